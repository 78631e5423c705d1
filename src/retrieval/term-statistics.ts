/**
 * How rare a term is across the passages, by plain substring search, so a question word counts
 * as present whatever the segmenter did to the passage: sharing a rare term (常住人口) means more
 * than sharing a common one (乡镇).
 */
export class TermStatistics {
  private readonly passages: string[]
  private readonly frequencies = new Map<string, number>()

  constructor(passages: string[]) {
    this.passages = passages.map((passage) => passage.normalize('NFKC').toLowerCase())
  }

  /** Number of passages that contain the term. */
  documentFrequency(term: string): number {
    let frequency = this.frequencies.get(term)
    if (frequency === undefined) {
      frequency = this.passages.filter((passage) => passage.includes(term)).length
      this.frequencies.set(term, frequency)
    }
    return frequency
  }

  /** Smoothed IDF; a term no passage contains gets the highest value. */
  idf(term: string): number {
    const frequency = this.documentFrequency(term)
    return Math.log(1 + (this.passages.length - frequency + 0.5) / (frequency + 0.5))
  }

  /** IDF scaled to 0–1 by the IDF of a term only one passage holds (1 and above mean rare). */
  normalizedIdf(term: string): number {
    const highest = Math.log(1 + (this.passages.length - 1 + 0.5) / 1.5)
    return highest > 0 ? Math.min(1, this.idf(term) / highest) : 1
  }

  /** True when some passage contains the term. */
  has(term: string): boolean {
    return this.documentFrequency(term) > 0
  }
}
