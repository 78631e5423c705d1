/**
 * Chinese numerals read and written: 二十一 ↔ 21, 一百零五 ↔ 105, 两千三百零二 → 2302,
 * 三亿五千万 → 350,000,000. The one reader for every place that meets a number written in Chinese —
 * quantities in passages (src/text/quantities.ts), the count of sections a thesis announces (五个方面,
 * src/ingest/document-outline.ts) and a section asked for by its place (第二十部分,
 * src/answer/document-overview.ts) — so that they agree on what a numeral is worth.
 *
 * Hand-written rather than taken from npm: the packages there (nzh, chinese-numbers-converter) give
 * a number for any string (十四五 → 45 or 55, 十十 → 100 or 20) where the callers need "not one
 * numeral" to skip it, and they misread 两 or 三亿五千万.
 */

/** Options of {@link parseChineseNumeral}. */
export interface ChineseNumeralOptions {
  /**
   * Also read two or more digit characters without a unit digit by digit, as years and codes are
   * written: 二〇二〇 → 2020, 一二三 → 123. Turn it off where a numeral counts or orders things:
   * 一二三四五 announces five points, and 第一二部分 is not part 12. Default true.
   */
  digitByDigit?: boolean
}

const DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 }
const SMALL_UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000 }
const BIG_UNITS: Record<string, number> = { 万: 1e4, 亿: 1e8 }

/** The digits as {@link writeChineseNumeral} writes them, 0 to 9. */
const WRITTEN_DIGITS = '零一二三四五六七八九'
const WRITTEN_SMALL_UNITS = ['千', '百', '十', '']
const WRITTEN_BIG_UNITS = ['亿', '万', '']
/** Past 9999亿9999万9999 the reader would need 万亿, which it does not read. */
const LARGEST_WRITTEN = 1e12 - 1

/**
 * The value of a well-formed numeral: Chinese (三百一十六 → 316, 两千三百零二 → 2302, 十四 → 14,
 * 一百零五 → 105, 两 → 2, 〇 → 0; 二〇二〇 → 2020 read digit by digit unless
 * `digitByDigit: false`) or ASCII digits (3 → 3, 12 → 12; callers NFKC-normalize full-width ones).
 * Undefined when the characters do not form one number: 十四五, 二十十, 一二三四五 with units, 万
 * alone, 第, ''. A digit after a unit is that unit's next lower place (一百零五 and 一百五 both give
 * 105), the reading the callers have always had.
 */
export function parseChineseNumeral(numeral: string, options: ChineseNumeralOptions = {}): number | undefined {
  if (/^\d+$/.test(numeral)) return Number(numeral)
  const characters = [...numeral]
  if (characters.length === 0 || !characters.every((character) => character in DIGITS || character in SMALL_UNITS || character in BIG_UNITS)) return undefined
  // 两 is a count (两千, 两个), never a digit of a year or a code.
  if ((options.digitByDigit ?? true) && characters.length > 1 && characters.every((character) => character in DIGITS && character !== '两')) {
    return Number(characters.map((character) => DIGITS[character]).join(''))
  }
  let total = 0
  let section = 0
  let pending: number | undefined
  let lastSmallUnit = Infinity
  let lastBigUnit = Infinity
  for (const [index, character] of characters.entries()) {
    if (character in DIGITS) {
      const digit = DIGITS[character]
      // Two digits in a row (五五, 二〇二〇 without digitByDigit) are not one positional numeral.
      if (pending !== undefined) return undefined
      // 零 only marks a skipped place (一百零五).
      if (digit !== 0) pending = digit
    } else if (character in SMALL_UNITS) {
      const unit = SMALL_UNITS[character]
      if (unit >= lastSmallUnit) return undefined
      // 十 alone, or 十四 (but not 千十), is "one ten".
      const coefficient = pending ?? (unit === 10 && index === 0 ? 1 : undefined)
      if (coefficient === undefined) return undefined
      section += coefficient * unit
      pending = undefined
      lastSmallUnit = unit
    } else {
      const unit = BIG_UNITS[character]
      const coefficient = section + (pending ?? 0)
      if (coefficient === 0 || unit >= lastBigUnit) return undefined
      // 三亿五千万: the 万 section is added under the 亿 already read.
      total = lastBigUnit === Infinity ? coefficient * unit : total + coefficient * unit
      section = 0
      pending = undefined
      lastSmallUnit = Infinity
      lastBigUnit = unit
    }
  }
  return total + section + (pending ?? 0)
}

/** 1…9999 in 千百十 places, with one 零 for each run of skipped places inside (一千零五, 一千零五十). */
function writePlaces(value: number): string {
  let written = ''
  let skipped = false
  WRITTEN_SMALL_UNITS.forEach((unit, place) => {
    const digit = Math.floor(value / 10 ** (3 - place)) % 10
    if (digit === 0) {
      skipped ||= written !== ''
      return
    }
    if (skipped) written += '零'
    written += WRITTEN_DIGITS[digit] + unit
    skipped = false
  })
  return written
}

/**
 * A whole number from 0 to 999,999,999,999 as Chinese text writes it: 0 → 零, 10 → 十, 21 → 二十一,
 * 105 → 一百零五, 110 → 一百一十, 100,010 → 十万零一十, 2302 → 二千三百零二 (二, not 两: the plain form).
 * {@link parseChineseNumeral} reads every one of them back.
 */
export function writeChineseNumeral(value: number): string {
  if (!Number.isSafeInteger(value) || value < 0 || value > LARGEST_WRITTEN) {
    throw new RangeError(`writeChineseNumeral: ${value} is not a whole number from 0 to ${LARGEST_WRITTEN}`)
  }
  if (value === 0) return WRITTEN_DIGITS[0]
  let written = ''
  let skipped = false
  WRITTEN_BIG_UNITS.forEach((unit, place) => {
    const group = Math.floor(value / 1e4 ** (2 - place)) % 1e4
    if (group === 0) {
      skipped ||= written !== ''
      return
    }
    // 一亿零五百万, 一万零五: a group that does not fill its 千 place, or follows an empty one, after a higher group.
    if (written !== '' && (skipped || group < 1000)) written += '零'
    written += writePlaces(group) + unit
    skipped = false
  })
  // 十, 十五, 十万: a leading "one ten" is written 十.
  return written.startsWith('一十') ? written.slice(1) : written
}
