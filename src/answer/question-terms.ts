import type { TermStatistics } from '../retrieval/term-statistics.ts'
import type { QueryTranslator } from '../text/query-translator.ts'
import { tokenizeForSearch } from '../text/tokenize.ts'

/**
 * One thing the question asks about: a Chinese term, or an English word with the Chinese terms
 * that translate it. It is covered by a text holding any of `alternatives`.
 */
export interface QuestionTerm {
  alternatives: string[]
  weight: number
}

const LATIN_WORD = /^[a-z][a-z'-]*$/

/**
 * The weighted terms of a question. An English word with no translation into the article's
 * vocabulary stays as a term nothing covers, which is what makes "weather forecast" unanswerable.
 */
export function questionTermsOf(question: string, statistics: TermStatistics, translator: QueryTranslator): QuestionTerm[] {
  const terms: QuestionTerm[] = []
  const seen = new Set<string>()
  for (const term of tokenizeForSearch(question)) {
    if (seen.has(term)) continue
    seen.add(term)
    if (!LATIN_WORD.test(term)) {
      terms.push({ alternatives: [term], weight: statistics.idf(term) })
      continue
    }
    const translations = tokenizeForSearch(translator.chineseTermsFor(term).join(' '), { bigrams: false }).filter((word) => statistics.has(word))
    const weights = translations.map((word) => statistics.idf(word))
    terms.push({
      alternatives: translations,
      weight: weights.length > 0 ? Math.max(...weights) : statistics.idf(term),
    })
  }
  return terms
}

/** Share of the question's weight that a set of text terms covers, 0–1. */
export function coverageOf(terms: QuestionTerm[], textTerms: ReadonlySet<string>): number {
  let total = 0
  let covered = 0
  for (const { alternatives, weight } of terms) {
    total += weight
    if (alternatives.some((alternative) => textTerms.has(alternative))) covered += weight
  }
  return total === 0 ? 0 : covered / total
}
