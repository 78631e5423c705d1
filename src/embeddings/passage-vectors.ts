/** What the IDF is fitted on, when the passages' terms are counted already (see TermIndex). */
export interface CountedCorpus {
  /** Every term of the passages, by number. */
  terms: string[]
  chunkCount: number
  /** The number of a term, or undefined when no passage has it. */
  termNumber(term: string): number | undefined
  /** In how many passages a term (by number) occurs. */
  documentFrequency(term: number): number
  /** Each passage's terms (by number) and their counts: passage c's are at [starts[c], starts[c + 1]). */
  entries(): { starts: Uint32Array; terms: ArrayLike<number>; counts: ArrayLike<number> }
}

/**
 * Sparse vectors, one a row: row r's non-zero entries are at [starts[r], starts[r + 1]) of
 * `indices` (ascending) and `values`.
 */
export interface SparseRows {
  starts: Uint32Array
  indices: Uint32Array
  values: Float64Array
}

/**
 * How an embedder makes its passage vectors, which decides how an index keeps them
 * (src/retrieval/vector-storage.ts):
 * - `text`: from each passage's text, every dimension set (a neural model) — embedded once, kept
 *   in an HNSW graph saved with the index;
 * - `term-counts`: from the passages' stored term counts, few dimensions set (the offline hashing
 *   embedder) — made again at every start, in milliseconds, into an exact sparse store; the index
 *   saves no vectors.
 */
export type PassageVectorSource = { from: 'text' } | { from: 'term-counts'; embed: (corpus: CountedCorpus) => SparseRows }
