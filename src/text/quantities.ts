/**
 * Numbers of a Chinese or English text as plain values, so that the same quantity written either
 * way compares equal: 877万元 = 8.77 million yuan = 8,770,000 yuan (8770000), 4万亩 = 40,000 mu,
 * 7.05亿 = 705 million, 6% = 6 percent = 百分之六. Units are not part of the value (a unit is a
 * word like any other for whoever compares the texts).
 */

import { parseChineseNumeral } from './chinese-numerals.ts'

/** One number found in a text. */
export interface Quantity {
  /** The value with its multipliers applied (万 ×10⁴, 亿 ×10⁸, million ×10⁶, …). */
  value: number
  /** Written as a percentage (6%, 6 percent, 百分之六); the value is then the 6, not 0.06. */
  percent: boolean
  /** Where it was written, [start, end) of the NFKC-normalized text. */
  start: number
  end: number
}

/** Options of {@link findQuantities}. */
export interface FindQuantitiesOptions {
  /**
   * Also read numbers written in Chinese numerals (三, 两个, 十四五, 百分之六), including every
   * well-formed numeral inside a longer run (十四五 holds 10, 14, 4 and 5), and the comma-separated
   * parts of a grouped number (`12,345` in Chinese text may be the list 12、345). Generous on
   * purpose: it is meant for the evidence (a passage), where an extra value costs little, not for a
   * claim, where 一些/统一/一把手 would become numbers to prove. Default false.
   */
  generous?: boolean
}

const ENGLISH_MULTIPLIERS: Record<string, number> = {
  hundred: 1e2,
  thousand: 1e3,
  million: 1e6,
  mn: 1e6,
  billion: 1e9,
  bn: 1e9,
  trillion: 1e12,
}

const ENGLISH_UNITS: Record<string, number> = {
  two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12,
  thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19,
}
const ENGLISH_TENS: Record<string, number> = { twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90 }
const ENGLISH_DIGIT_WORDS: Record<string, number> = { one: 1, ...Object.fromEntries(Object.entries(ENGLISH_UNITS).filter(([, value]) => value < 10)) }

const CHINESE_MULTIPLIERS: Record<string, number> = { 万: 1e4, 亿: 1e8, 千: 1e3, 百: 1e2 }

const MULTIPLIER_WORDS = `(?:(?:${Object.keys(ENGLISH_MULTIPLIERS).join('|')})\\b(?:[\\s-]+(?:hundred|thousand|million|billion)\\b)*)`
const PERCENT = String.raw`(?:\s*%|\s*per\s*cent\b|\s*pct\b)`

// 8,770,000 | 316.5 | 877, then 万元-style multipliers, English multipliers ("8.77 million", "4.2 hundred million"), or a percent sign/word.
const DIGIT_QUANTITY = new RegExp(
  String.raw`(?<![\d.,])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?![\d])` +
    String.raw`(?:(?:st|nd|rd|th)\b)?` +
    String.raw`(?:\s*(万亿|[千百]?[万亿])|[\s-]*(${MULTIPLIER_WORDS})|[\s-]+(ten[\s-]+thousand)\b)?` +
    `(${PERCENT})?`,
  'giu',
)

// "forty", "twenty-six", "three hundred", "one million" ("one" alone is a pronoun more often than a number: left out).
const WORD_QUANTITY = new RegExp(
  String.raw`\b(?:(${Object.keys(ENGLISH_TENS).join('|')})(?:-(${Object.keys(ENGLISH_DIGIT_WORDS).join('|')}))?|(${Object.keys(ENGLISH_UNITS).join('|')})|(one|a)(?=[\s-]+(?:hundred|thousand|million|billion)\b))\b` +
    `(?:[\\s-]+(${MULTIPLIER_WORDS}))?` +
    `(${PERCENT})?`,
  'giu',
)

const CHINESE_NUMERAL_RUN = /[零〇一二两三四五六七八九十百千万亿]+/gu
const CHINESE_PERCENT = /百分之([零〇一二两三四五六七八九十百千]+|\d+(?:\.\d+)?)/gu

function multiplierOf(words: string): number {
  return words
    .toLowerCase()
    .split(/[\s-]+/)
    .filter((word) => word !== '')
    .reduce((product, word) => product * (ENGLISH_MULTIPLIERS[word] ?? 1), 1)
}

/** Every well-formed numeral inside a run of numeral characters, with its offsets in the run. */
function numeralsInside(run: string): { value: number; start: number; end: number }[] {
  const characters = [...run]
  const found: { value: number; start: number; end: number }[] = []
  for (let start = 0; start < characters.length; start++) {
    for (let end = start + 1; end <= Math.min(characters.length, start + 12); end++) {
      const value = parseChineseNumeral(characters.slice(start, end).join(''))
      if (value !== undefined) found.push({ value, start, end })
    }
  }
  return found
}

/**
 * The numbers of a text, in order of appearance. Arabic numerals with Chinese or English
 * multipliers and thousands separators, English number words (two … ninety-nine, with multipliers;
 * "one" only before a multiplier), percentages; with `generous`, Chinese numerals as well.
 */
export function findQuantities(text: string, options: FindQuantitiesOptions = {}): Quantity[] {
  const normalized = text.normalize('NFKC')
  const quantities: Quantity[] = []
  const add = (value: number, percent: boolean, start: number, end: number) => {
    if (Number.isFinite(value)) quantities.push({ value, percent, start, end })
  }

  for (const match of normalized.matchAll(DIGIT_QUANTITY)) {
    const [whole, digits, chineseMultiplier, englishMultiplier, tenThousand, percent] = match
    const base = Number(digits.replace(/,/g, ''))
    let multiplier = 1
    if (chineseMultiplier) multiplier = [...chineseMultiplier].reduce((product, character) => product * CHINESE_MULTIPLIERS[character], 1)
    else if (englishMultiplier) multiplier = multiplierOf(englishMultiplier)
    else if (tenThousand) multiplier = 1e4
    add(base * multiplier, Boolean(percent), match.index, match.index + whole.length)
    if (options.generous && digits.includes(',')) {
      let offset = match.index
      for (const part of digits.split(',')) {
        add(Number(part), false, offset, offset + part.length)
        offset += part.length + 1
      }
    }
  }

  const digitSpans = quantities.map(({ start, end }) => [start, end])
  for (const match of normalized.matchAll(WORD_QUANTITY)) {
    const [whole, tens, tensUnit, unit, one, multiplierWords, percent] = match
    // "877 ten thousand" was read whole above; its "ten thousand" is not a second number.
    if (digitSpans.some(([start, end]) => match.index < end && start < match.index + whole.length)) continue
    const base = tens ? ENGLISH_TENS[tens.toLowerCase()] + (tensUnit ? ENGLISH_DIGIT_WORDS[tensUnit.toLowerCase()] : 0) : unit ? ENGLISH_UNITS[unit.toLowerCase()] : one ? 1 : NaN
    add(base * (multiplierWords ? multiplierOf(multiplierWords) : 1), Boolean(percent), match.index, match.index + whole.length)
  }

  if (options.generous) {
    for (const match of normalized.matchAll(CHINESE_PERCENT)) {
      const value = /\d/.test(match[1]) ? Number(match[1]) : parseChineseNumeral(match[1])
      if (value !== undefined) add(value, true, match.index, match.index + match[0].length)
    }
    for (const match of normalized.matchAll(CHINESE_NUMERAL_RUN)) {
      // Code-unit offsets: every numeral character is one UTF-16 unit.
      for (const numeral of numeralsInside(match[0])) add(numeral.value, false, match.index + numeral.start, match.index + numeral.end)
    }
  }

  return quantities.sort((left, right) => left.start - right.start || right.end - left.end)
}

/** Equal values, allowing for floating-point multiplication (8.77 × 10⁶). */
function sameValue(left: number, right: number): boolean {
  return Math.abs(left - right) <= 1e-9 * Math.max(1, Math.abs(left), Math.abs(right))
}

/**
 * Whether the evidence holds a claimed quantity: the same value, and a claimed percentage only as a
 * percentage (6% is not 6个). A plain claimed number may match a percentage of the evidence.
 */
export function holdsQuantity(evidence: Quantity[], claimed: Quantity): boolean {
  return evidence.some((quantity) => sameValue(quantity.value, claimed.value) && (!claimed.percent || quantity.percent))
}
