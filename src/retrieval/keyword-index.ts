import type { Chunk } from '../ingest/types.ts'
import { tokenizeForSearch } from '../text/tokenize.ts'
import { TermIndex } from './term-index.ts'

/** A keyword hit: chunk id and BM25 score. */
export interface KeywordMatch {
  id: string
  score: number
}

/** BM25+ parameters: term-frequency saturation `k`, length normalization `b`, lower bound `d` of a matching term's weight. */
export interface Bm25Parameters {
  k: number
  b: number
  d: number
}

/** MiniSearch's defaults, which this index was tuned with: k 1.2, b 0.7, d 0.5. */
export const defaultBm25Parameters: Bm25Parameters = { k: 1.2, b: 0.7, d: 0.5 }

/** BM25's average chunk length: the mean number of distinct terms, as MiniSearch's running mean computes it (so both stores get the same double). */
export function averageChunkLength(terms: TermIndex): number {
  let average = 0
  for (let chunk = 0; chunk < terms.chunkCount; chunk++) average = (average * chunk + terms.distinctTermCount(chunk)) / (chunk + 1)
  return average
}

/** BM25's inverse document frequency of a term held by `frequency` of `total` chunks. */
export function inverseDocumentFrequency(total: number, frequency: number): number {
  return Math.log(1 + (total - frequency + 0.5) / (frequency + 0.5))
}

/**
 * BM25+ over jieba words and character bigrams, scored exactly as MiniSearch 7 scores one field
 * with OR, no prefix and no fuzzy matching (which citeqa used until the index had to scale): a
 * chunk's length is its number of distinct terms, the average length is MiniSearch's running
 * mean, every query term (repeats included) adds its BM25+ weight, and the sum is multiplied by
 * the number of distinct query terms the chunk holds; ties keep the order in which chunks were
 * first matched. Hand-written because MiniSearch rebuilds its radix tree from text at every start
 * — 7.8 s for 10,000 chunks, or 3.8 s to load its 11 MB JSON form — while the terms this reads
 * are stored with the index (see TermIndex) and load in milliseconds.
 */
export class KeywordIndex {
  private readonly terms: TermIndex
  private readonly averageLength: number
  // Scratch space of one search, reused: a search allocates nothing per chunk.
  private readonly scores: Float64Array
  private readonly matchedTerms: Uint32Array
  private readonly seenIn: Uint32Array
  private search = 0

  /**
   * @param chunks the chunks, in index order
   * @param passageText the text a chunk is indexed by (its breadcrumb and text)
   * @param terms the chunks' stored terms; tokenized from `passageText` when not given
   */
  constructor(
    private readonly chunks: Chunk[],
    passageText: (chunk: Chunk) => string,
    terms?: TermIndex,
    private readonly parameters: Bm25Parameters = defaultBm25Parameters,
  ) {
    this.terms = terms ?? TermIndex.fromTexts(chunks.map(passageText))
    if (this.terms.chunkCount !== chunks.length) throw new Error(`Index: ${this.terms.chunkCount} chunks of terms for ${chunks.length} chunks`)
    this.averageLength = averageChunkLength(this.terms)
    this.scores = new Float64Array(chunks.length)
    this.matchedTerms = new Uint32Array(chunks.length)
    this.seenIn = new Uint32Array(chunks.length)
  }

  /** Chunks sharing terms with the query, best first. */
  find(query: string, limit: number): KeywordMatch[] {
    const { k, b, d } = this.parameters
    const { terms, scores, matchedTerms, seenIn } = this
    const search = ++this.search
    const total = this.chunks.length
    const matched: number[] = []
    const queried = new Set<string>()
    for (const token of tokenizeForSearch(query)) {
      const repeated = queried.has(token)
      queried.add(token)
      const term = terms.termNumber(token)
      if (term === undefined) continue
      const frequency = terms.documentFrequency(term)
      const inverseFrequency = inverseDocumentFrequency(total, frequency)
      terms.forEachChunkWith(term, (chunk, count) => {
        const length = terms.distinctTermCount(chunk)
        const score = inverseFrequency * (d + (count * (k + 1)) / (count + k * (1 - b + (b * length) / this.averageLength)))
        if (seenIn[chunk] !== search) {
          seenIn[chunk] = search
          scores[chunk] = score
          matchedTerms[chunk] = 1
          matched.push(chunk)
        } else {
          scores[chunk] = scores[chunk] + score
          if (!repeated) matchedTerms[chunk]++
        }
      })
    }
    return bestFirst(matched, (chunk) => scores[chunk] * matchedTerms[chunk], limit).map(([chunk, score]) => ({ id: this.chunks[chunk].id, score }))
  }
}

/** The `limit` best candidates by score, ties in candidate order (a stable sort's order, without sorting them all). */
function bestFirst(candidates: number[], scoreOf: (candidate: number) => number, limit: number): [number, number][] {
  const best: [number, number][] = []
  if (limit <= 0) return best
  for (const candidate of candidates) {
    const score = scoreOf(candidate)
    if (best.length === limit && !(score > best[best.length - 1][1])) continue
    let position = best.length
    while (position > 0 && score > best[position - 1][1]) position--
    best.splice(position, 0, [candidate, score])
    if (best.length > limit) best.pop()
  }
  return best
}
