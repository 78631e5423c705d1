import { tokenizeForSearch } from '../text/tokenize.ts'

/**
 * Inverse document frequencies of search terms over the passages, used to weigh how much of
 * a question a sentence covers: sharing a rare term (常住人口) means more than a common one (乡镇).
 */
export class TermStatistics {
  private readonly documentFrequency = new Map<string, number>()
  private readonly documentCount: number

  constructor(passages: string[]) {
    this.documentCount = passages.length
    for (const passage of passages) {
      for (const term of new Set(tokenizeForSearch(passage))) this.documentFrequency.set(term, (this.documentFrequency.get(term) ?? 0) + 1)
    }
  }

  /** Smoothed IDF; a term no passage contains gets the highest value. */
  idf(term: string): number {
    const frequency = this.documentFrequency.get(term) ?? 0
    return Math.log(1 + (this.documentCount - frequency + 0.5) / (frequency + 0.5))
  }

  /** True when some passage contains the term. */
  has(term: string): boolean {
    return this.documentFrequency.has(term)
  }
}
