import type { TermStatistics } from '../retrieval/term-statistics.ts'
import type { QueryTranslator } from '../text/query-translator.ts'
import { isStopWord } from '../text/stop-words.ts'
import { isHan, segmentQuestion } from '../text/tokenize.ts'

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
  weight: number
}

/**
 * The weighted terms of a question. An English word with no translation into the article's
 * vocabulary stays as a term nothing covers, which is what makes "weather forecast" unanswerable.
 */
export function questionTermsOf(question: string, statistics: TermStatistics, translator: QueryTranslator): QuestionTerm[] {
  const terms = new Map<string, QuestionTerm>()
  for (const word of segmentQuestion(question)) {
    if (terms.has(word) || isStopWord(word)) continue
    if (isHan(word) || /\d/.test(word)) {
      terms.set(word, { word, alternatives: [word], weight: statistics.idf(word) })
      continue
    }
    const translations = translator.chineseTermsFor(word).filter((term) => statistics.has(term))
    const weight = translations.length > 0 ? Math.max(...translations.map((term) => statistics.idf(term))) : statistics.idf(word)
    terms.set(word, { word, alternatives: translations, weight })
  }
  return [...terms.values()]
}

/** How much of one term a text covers: 1 when it holds the word; for a long Chinese word missing whole, the share of its character pairs present. */
function termCoverage(term: QuestionTerm, text: string): number {
  if (term.alternatives.some((alternative) => text.includes(alternative))) return 1
  const characters = [...term.word]
  if (characters.length < 3 || !isHan(term.word)) return 0
  let found = 0
  for (let index = 0; index + 1 < characters.length; index++) if (text.includes(characters[index] + characters[index + 1])) found++
  return found / (characters.length - 1)
}

/** Share of the question's weight that a text covers, 0–1. */
export function coverageOf(terms: QuestionTerm[], text: string): number {
  let total = 0
  let covered = 0
  for (const term of terms) {
    total += term.weight
    covered += term.weight * termCoverage(term, text)
  }
  return total === 0 ? 0 : covered / total
}
