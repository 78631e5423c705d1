import { RecentResults } from '../text/recent-results.ts'

// Terms whose counts are kept: a question's words are looked up several times while it is answered.
const RECENT_TERMS = 10_000

/**
 * How rare a term is across the passages, by plain substring search, so a question word counts
 * as present whatever the segmenter did to the passage: sharing a rare term (常住人口) means more
 * than sharing a common one (乡镇).
 *
 * A term is looked for only in the passages that hold its rarest character (a list per character,
 * built on first use), not in all of them: at 10,000 passages a scan took ~1 ms a term, a dozen
 * terms a question.
 */
export class TermStatistics {
  private normalized?: string[]
  private characters?: { starts: Uint32Array; passages: Uint32Array }
  /** Counts made lately: bounded, as every new question brings new words and a service runs for months. */
  private readonly frequencies = new RecentResults<number>(RECENT_TERMS)

  constructor(private readonly texts: string[]) {}

  private get passages(): string[] {
    this.normalized ??= this.texts.map((passage) => passage.normalize('NFKC').toLowerCase())
    return this.normalized
  }

  /** Number of passages that contain the term. */
  documentFrequency(term: string): number {
    return this.frequencies.get(term, () => this.count(term))
  }

  private count(term: string): number {
    const passages = this.passages
    if (term.length === 0) return passages.length
    const { starts, passages: holding } = this.characterLists()
    // Every UTF-16 unit of the term must be in a passage that contains it: the rarest unit narrows the search most.
    let rarest = term.charCodeAt(0)
    for (let index = 1; index < term.length; index++) {
      const unit = term.charCodeAt(index)
      if (starts[unit + 1] - starts[unit] < starts[rarest + 1] - starts[rarest]) rarest = unit
    }
    let frequency = 0
    for (let entry = starts[rarest]; entry < starts[rarest + 1]; entry++) if (passages[holding[entry]].includes(term)) frequency++
    return frequency
  }

  /** For each UTF-16 unit, the passages holding it, ascending. */
  private characterLists() {
    if (this.characters) return this.characters
    const passages = this.passages
    const lastSeenIn = new Int32Array(0x10000).fill(-1)
    const starts = new Uint32Array(0x10001)
    passages.forEach((passage, position) => {
      for (let index = 0; index < passage.length; index++) {
        const unit = passage.charCodeAt(index)
        if (lastSeenIn[unit] !== position) {
          lastSeenIn[unit] = position
          starts[unit + 1]++
        }
      }
    })
    for (let unit = 0; unit < 0x10000; unit++) starts[unit + 1] += starts[unit]
    const next = starts.slice(0, 0x10000)
    const holding = new Uint32Array(starts[0x10000])
    lastSeenIn.fill(-1)
    passages.forEach((passage, position) => {
      for (let index = 0; index < passage.length; index++) {
        const unit = passage.charCodeAt(index)
        if (lastSeenIn[unit] !== position) {
          lastSeenIn[unit] = position
          holding[next[unit]++] = position
        }
      }
    })
    this.characters = { starts, passages: holding }
    return this.characters
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
