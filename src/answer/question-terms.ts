import type { TermStatistics } from '../retrieval/term-statistics.ts'
import { parseChineseNumeral } from '../text/chinese-numerals.ts'
import type { QueryTranslator } from '../text/query-translator.ts'
import { isStopWord } from '../text/stop-words.ts'
import { isHan, segmentQuestion, tagWords } from '../text/tokenize.ts'
import { ownLanguage } from './detect-language.ts'
import { isKnownWord, wordSpecificity } from '../text/word-specificity.ts'

/**
 * One thing the question asks about: a Chinese word, or an English word with the Chinese terms
 * that translate it. Each counts once, however the segmenter splits it, so a name repeated as
 * word, sub-words and bigrams cannot outweigh the one word that is missing (市长 in 赤壁市的市长是谁).
 */
export interface QuestionTerm {
  /** The word as asked. */
  word: string
  /** Strings whose presence in a text covers the term (the word itself, or its translations). */
  alternatives: string[]
  /** How much the term says, 0–1: its specificity in the language (see wordSpecificity), raised when no document has it. */
  weight: number
  /** The weight in a passage that is not about the question's subject (see absentTermCapElsewhere). */
  weightElsewhere?: number
  /** Whether some passage of the corpus holds the term. */
  inCorpus: boolean
  /** How specific the word is in the language (jieba's IDF, 0–1; see wordSpecificity); 1 for Latin words and numbers. */
  specificity: number
  /**
   * A word specific enough that a corpus lacking it is about something else (a name: 罗保铭,
   * 盾柱木; a rare term: 常住人口), and that no passage holds. A passage that answers must hold
   * at least a pair of its characters as the question writes them.
   */
  anchor: boolean
  /** Pairs of adjacent characters of the question that overlap the word (for anchorHeld). */
  overlappingPairs: string[]
  /**
   * For a two-character Chinese word, the question's two characters before it and its first one
   * (资产清 for 清查 in 资产清查), when all are Chinese: a text going on from them with another
   * character (资产清理) likely rewords the word.
   */
  phraseLead?: string
  /** For a count (两个, 三种), the number it counts: a sentence listing that many things holds it. */
  count?: number
}

/** How question terms are weighed. */
export interface QuestionTermOptions {
  /**
   * Factor on the weight of a term no document holds. A word missing from the whole corpus (常住人口,
   * a name) says more against answering than one missing from a sentence. Range ≥ 1. Default 3.
   */
  absentTermFactor: number
  /**
   * Most weight a term no document holds may get (a present term weighs at most 1) when judged in
   * a passage whose title or section names the question's subject — a page about 黄鳍紫鱼 may say
   * 体呈 for the question's 身体 — and elsewhere (`absentTermCapElsewhere`), where a missing word
   * (天气预报 in 赤壁市的天气预报是什么, with 赤壁市 only mentioned in a byline) counts fully. Defaults 1 and 2.
   */
  absentTermCap: number
  absentTermCapElsewhere: number
  /** Weight of a number in the question (2013, 16): it narrows the answer but must not outweigh a name. Default 0.5. */
  numberWeight: number
  /** Weight of an English word with no translation into the documents' vocabulary. Default 1 (the most): nothing covers it. */
  untranslatedWeight: number
  /** Share of that weight an untranslated English word gets when it is not written as a name (GDP, Chibi mid-sentence). Default 0.5. */
  untranslatedWordShare: number
  /**
   * How much a term's rarity among the passages counts for a term the corpus holds, 0–1: its
   * weight is specificity × (1 − r + r × normalized passage IDF). A name on every page of the
   * article (神山镇) narrows nothing down there, while the title of one page among hundreds does.
   * Default 0.8.
   */
  corpusRarity: number
  /** Least specificity (0–1) of a known Chinese word of two or more characters for it to be an anchor; unknown words (names) always are. Default 0.9 (常住人口, 盾柱木). */
  anchorSpecificity: number
}

export const defaultQuestionTermOptions: QuestionTermOptions = { absentTermFactor: 3, absentTermCap: 1, absentTermCapElsewhere: 2, numberWeight: 0.5, untranslatedWeight: 1, untranslatedWordShare: 0.5, anchorSpecificity: 0.9, corpusRarity: 0.8 }

// Characters jieba's guesses glue to an unknown word (慧是 in 王法慧是谁, 叶有 in 上部叶有什么),
// demonstratives that point at the topic (此鱼, 该书), and the 人 of a people glued to the verb
// after it (人守 in 斯巴达人守温泉关): none is what the question is about.
const GLUED_PARTICLE = /^[此该这本人]|[是有为在的了和与对从于把被时]$/u

/** An unknown word without the particle or demonstrative jieba glued to it; known words are left alone. */
function trimGuessedWord(word: string): string {
  if (!isHan(word) || [...word].length < 2 || isKnownWord(word)) return word
  const trimmed = word.replace(GLUED_PARTICLE, '')
  return trimmed.length > 0 ? trimmed : word
}

// A count: a Chinese numeral with its measure word (五个, 三种, 两项).
const COUNT_WORDS = ['个', '种', '项', '类', '大', '条', '点', '样', '位', '件', '是']
const COUNTED = new RegExp(`^([一二两三四五六七八九十百千万]+)(?:${COUNT_WORDS.join('|')})$`, 'u')

// Locative endings spoken Chinese puts after a place (镇上, 镇里, 湖里, 村中): in the town, in the lake.
const LOCATIVE = /^(\p{Script=Han})[上里内中外边]$/u

/**
 * A two-character word made of a noun and a locative ending (镇上, 湖里) that no passage holds,
 * as the noun itself (镇, 湖) when the passages hold that: the question says "in the town", the
 * text says 镇. Without this, 镇上 weighs as a rare word the text lacks.
 */
function withoutLocative(word: string, statistics: TermStatistics): string {
  // 改了, 拆了, 建过, 拆掉: a verb with its aspect particle or its complement (掉, 完) is the verb.
  const aspect = /^(\p{Script=Han})[了着过掉完]$/u.exec(word)
  if (aspect && !statistics.has(word)) return aspect[1]
  const match = LOCATIVE.exec(word)
  if (!match || statistics.has(word) || isKnownWord(word) && !statistics.has(match[1])) return word
  return statistics.has(match[1]) ? match[1] : word
}

/**
 * Rejoins the pieces jieba cut a name into when the documents hold the whole (神/山镇 → 神山镇):
 * adjacent Chinese words, one of them a single character, whose join some passage contains. Counted as pieces, one name would weigh twice.
 */
function mergeFragments(words: string[], statistics: TermStatistics): string[] {
  const merged: string[] = []
  for (const word of words) {
    const previous = merged.at(-1)
    const single = (piece: string) => [...piece].length === 1
    if (previous && isHan(previous) && isHan(word) && !isStopWord(previous) && !isStopWord(word) && (single(previous) || single(word)) && statistics.has(previous + word)) {
      merged[merged.length - 1] = previous + word
    } else {
      merged.push(word)
    }
  }
  return merged
}

/** Lower-cased words an English question writes as names: in capitals (GDP), or capitalized after its first word (the Ember mayor). */
function namesWrittenAsNames(question: string): Set<string> {
  const names = new Set<string>()
  for (const match of question.matchAll(/[A-Za-z][A-Za-z0-9-]*/g)) {
    const word = match[0]
    if (/^[A-Z0-9-]{2,}$/.test(word) || (match.index > 0 && /^[A-Z]/.test(word))) names.add(word.toLowerCase())
  }
  return names
}

/** Adjacent Chinese character pairs of the question that share a character with the span [start, end). */
function pairsOverlapping(question: string, start: number, end: number): string[] {
  const pairs: string[] = []
  for (let index = Math.max(0, start - 1); index < Math.min(question.length - 1, end); index++) {
    const pair = question.slice(index, index + 2)
    if (/^\p{Script=Han}{2}$/u.test(pair)) pairs.push(pair)
  }
  return pairs
}

/**
 * Whether jieba's dictionary tags a known word as a verb (盯紧, 拦网, 提上去): a rare verb says how
 * the question is worded, not what it is about, so the text lacking it is no sign of another topic.
 */
function isVerb(word: string): boolean {
  const tagged = tagWords(word)
  return tagged.length === 1 && tagged[0].tag === 'v'
}

/**
 * The weighted terms of a question. Weights come from the word's specificity in general Chinese,
 * not from the documents at hand, so a threshold on covered weight means the same on any text.
 * An English word with no translation into the documents' vocabulary stays as a term nothing
 * covers, which is what makes "weather forecast" unanswerable.
 */
export function questionTermsOf(
  question: string,
  statistics: TermStatistics,
  translator: QueryTranslator,
  options: Partial<QuestionTermOptions> = {},
): QuestionTerm[] {
  const { absentTermFactor, absentTermCap, absentTermCapElsewhere, numberWeight, untranslatedWeight, untranslatedWordShare, anchorSpecificity, corpusRarity } = { ...defaultQuestionTermOptions, ...options }
  const rarity = (term: string) => 1 - corpusRarity + corpusRarity * statistics.normalizedIdf(term)
  const terms = new Map<string, QuestionTerm>()
  const normalized = question.normalize('NFKC').toLowerCase()
  const questionIsChinese = ownLanguage(question) === 'zh'
  const namesInEnglish = namesWrittenAsNames(question)
  let cursor = 0
  // 多大面积, 多长时间: jieba glues the question word to the noun (多/大面积); the noun is what is asked.
  // 花了多少钱 asks for money, which cues.ts reads as a quantity in 元: its words say nothing of the topic.
  // 哪三种, 哪五个字: the count stays a word of its own (三种 ~ 提高三种能力, see COUNTED), apart from 哪.
  const cutReady = question
    .replace(/哪\s*((?:几|两|[一二三四五六七八九十]+|\d+)\s*(?:个|种|项|类|条|点|样|大|方面|位|件))/gu, ' 哪 $1 ')
    .replace(/(?:花了?|用了?|投了?)?(?:多少|几块)钱/gu, ' 多少 ')
    // 多少口人, 几艘船, 拆了多少艘: the measure word counts, the text may count with another (渔船990条), and
    // jieba glues it to the noun (口人, 个村), a word no text holds: the noun is what is counted.
    .replace(/(?<!哪\s*)(多少|几)(个|口|名|位|艘|只|头|座|所|棵|株|匹|条|辆|架|台|件|张|本|部)/gu, '$1 ').replace(/(多[大长高重远宽深久])(?=\p{Script=Han})/gu, '$1 ')
  for (const segmented of mergeFragments(segmentQuestion(cutReady), statistics)) {
    const asked = trimGuessedWord(segmented)
    const start = normalized.indexOf(asked, cursor)
    if (start !== -1) cursor = start + asked.length
    const word = withoutLocative(asked, statistics)
    if (terms.has(word) || isStopWord(word)) continue
    const counted = COUNTED.exec(word)
    if (/^\d+(?:\.\d+)?$/.test(word)) {
      terms.set(word, { word, alternatives: [word], weight: numberWeight, inCorpus: statistics.has(word), specificity: 1, anchor: false, overlappingPairs: [] })
    } else if (counted) {
      // 五个理念 in the question, 五大发展理念 in the text: a count is a number, whatever its measure word.
      const alternatives = COUNT_WORDS.map((measure) => counted[1] + measure)
      terms.set(word, { word, alternatives, weight: numberWeight, inCorpus: alternatives.some((alternative) => statistics.has(alternative)), specificity: 1, anchor: false, overlappingPairs: [], count: parseChineseNumeral(counted[1]) })
    } else if (isHan(word) || /\d/.test(word)) {
      const inCorpus = statistics.has(word)
      const specificity = wordSpecificity(word)
      // A verb the texts lack says how the question is worded (列入, 挂牌), not what it is about: it
      // weighs as if present. Opening the question, a verb names the thing (搜索雷达): it weighs as a noun.
      const absentFactor = start > 0 && isKnownWord(word) && isVerb(word) ? 1 : absentTermFactor
      terms.set(word, {
        word,
        alternatives: [word],
        weight: inCorpus ? specificity * rarity(word) : Math.min(absentTermCap, specificity * absentFactor),
        weightElsewhere: inCorpus ? specificity * rarity(word) : Math.min(absentTermCapElsewhere, specificity * absentFactor),
        inCorpus,
        specificity,
        anchor: !inCorpus && isHan(word) && [...word].length >= 2 && (!isKnownWord(word) || (specificity >= anchorSpecificity && !isVerb(word))),
        overlappingPairs: start === -1 ? [] : pairsOverlapping(normalized, start, start + word.length),
        phraseLead: start >= 2 && [...word].length === 2 && /^\p{Script=Han}{3}$/u.test(normalized.slice(start - 2, start + 1)) ? normalized.slice(start - 2, start + 1) : undefined,
      })
    } else {
      // A Latin word is itself when the documents use it (JAXR, MonoDevelop), else its Chinese translations.
      if (statistics.has(word)) {
        terms.set(word, { word, alternatives: [word], weight: untranslatedWeight * rarity(word), inCorpus: true, specificity: 1, anchor: false, overlappingPairs: [] })
        continue
      }
      const translations = translator.chineseTermsFor(word).filter((term) => statistics.has(term))
      // A Latin word no passage holds and nothing translates is a name or an acronym when the question
      // is Chinese or writes it so (GDP, MPQ-78, Ember): an anchor. Any other English word is more
      // likely a gap of the dictionary (convenience, guidelines) than a sign the answer is missing.
      const isName = translations.length === 0 && word.length >= 2 && (questionIsChinese || namesInEnglish.has(word))
      const weight = translations.length > 0 ? Math.max(...translations.map((term) => wordSpecificity(term) * rarity(term))) : isName ? untranslatedWeight : untranslatedWeight * untranslatedWordShare
      terms.set(word, { word, alternatives: translations, weight, inCorpus: translations.length > 0, specificity: 1, anchor: isName, overlappingPairs: [] })
    }
  }
  return [...terms.values()]
}

/**
 * The role a "who is the X" question names: X in …的X是谁 / X是谁 (赤壁市的市长是谁 → 市长) or
 * "Who is the X of …" (mayor), when it
 * is a word of two or more characters that says something (not 人 in 制作人). Undefined for any
 * other form: in 谁一直跟随… or 与谁一起… the words around 谁 are not a role.
 */
export function roleAskedFor(question: string, terms: QuestionTerm[]): QuestionTerm | undefined {
  const english = /^\s*who\s+(?:is|was|are|were)\s+(?:the\s+)?([a-z-]+)\b/i.exec(question)
  if (english) return terms.find((term) => term.word === english[1].toLowerCase())
  const words = segmentQuestion(question).map(trimGuessedWord)
  const who = words.lastIndexOf('谁')
  if (who < 2 || words[who - 1] !== '是' || who !== words.length - 1) return undefined
  const role = terms.find((term) => term.word === words[who - 2])
  return role && [...role.word].length >= 2 && role.weight >= 0.1 ? role : undefined
}

// The character pairs a long Chinese word is partly covered by, made once per term: a term is
// checked against every candidate sentence and paragraph of a question.
const partialPairs = new WeakMap<QuestionTerm, string[]>()

function partialPairsOf(term: QuestionTerm): string[] {
  let pairs = partialPairs.get(term)
  if (!pairs) {
    const characters = [...term.word]
    pairs = []
    if (characters.length >= 3 && isHan(term.word)) for (let index = 0; index + 1 < characters.length; index++) pairs.push(characters[index] + characters[index + 1])
    partialPairs.set(term, pairs)
  }
  return pairs
}

/** How much of one term a text covers: 1 when it holds the word; for a long Chinese word missing whole, the share of its character pairs present. */
export function termCoverage(term: QuestionTerm, text: string): number {
  for (const alternative of term.alternatives) if (text.includes(alternative)) return 1
  const pairs = partialPairsOf(term)
  if (pairs.length === 0) return 0
  let found = 0
  for (const pair of pairs) if (text.includes(pair)) found++
  return found / pairs.length
}

/**
 * Like termCoverage, with half credit for a two-character word whose last character — the head
 * of most Chinese compounds — the text holds: 颜色 for 银灰色, 身体 for 体呈, 体重 for 8公斤重.
 * Too loose to decide whether to answer; good enough to choose between sentences.
 */
export function looseTermCoverage(term: QuestionTerm, text: string): number {
  return looseCoverageFrom(term, text, termCoverage(term, text))
}

/** {@link looseTermCoverage} when the term's coverage of the text is already known. */
export function looseCoverageFrom(term: QuestionTerm, text: string, coverage: number): number {
  if (coverage > 0 || !isHan(term.word)) return coverage
  const characters = [...term.word]
  return characters.length === 2 && text.includes(characters[1]) ? 0.5 : 0
}

/**
 * Whether a text holds an anchor word, or at least two characters of the question in a row that
 * overlap it — jieba's guesses at unknown words straddle names (年松 in 天正16年松平康忠), so a
 * pair of the question's own characters is the fairer test.
 */
export function anchorHeld(term: QuestionTerm, text: string): boolean {
  return term.alternatives.some((alternative) => text.includes(alternative)) || term.overlappingPairs.some((pair) => text.includes(pair)) || abbreviates(term.word, text)
}

/** Whether a short Chinese word abbreviates a name the text writes in full: 加航 for 加拿大航空 (its characters in order, close together). */
function abbreviates(word: string, text: string): boolean {
  const characters = [...word]
  if (characters.length !== 2 || !isHan(word)) return false
  for (let start = text.indexOf(characters[0]); start !== -1; start = text.indexOf(characters[0], start + 1)) {
    const next = text.indexOf(characters[1], start + 2)
    if (next !== -1 && next - start <= ABBREVIATION_WINDOW) return true
  }
  return false
}

// How far apart the two characters of an abbreviation may stand in the full name (加拿大航空: 3).
const ABBREVIATION_WINDOW = 4
