import { CiteqaEmbeddings } from './citeqa-embeddings.ts'
import type { CountedCorpus, PassageVectorSource, SparseRows } from './passage-vectors.ts'
import { tokenizeForSearch } from '../text/tokenize.ts'
import type { QueryTranslator } from '../text/query-translator.ts'

/** Options for {@link OfflineEmbeddings}. */
export interface OfflineEmbeddingsOptions {
  /**
   * Passages the IDF is fitted on; normally every passage of the index. Their texts, or their
   * terms counted already (a TermIndex), which spares tokenizing them again.
   */
  corpus: string[] | CountedCorpus
  /**
   * Vector length. More dimensions mean fewer hash collisions between terms; a power of two keeps
   * the bucket and the sign bit of a hash independent. Default: 1024.
   */
  dimensions?: number
  /**
   * Adds Chinese terms for the English words of a query, so English questions find Chinese
   * passages. Usually a {@link QueryTranslator}; anything with its `translate` will do.
   */
  translator?: Pick<QueryTranslator, 'translate'>
}

/** Defaults of {@link OfflineEmbeddingsOptions}. */
export const offlineEmbeddingsDefaults = { dimensions: 1024 } as const

const FNV_OFFSET_BASIS = 0x811c9dc5
const FNV_PRIME = 0x01000193

/**
 * 32-bit FNV-1a over the UTF-16 code units of a string: stable across processes and platforms
 * (unlike anything seeded), and fast for the short terms hashed here.
 */
export function fnv1a32(text: string): number {
  let hash = FNV_OFFSET_BASIS
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index)
    hash = Math.imul(hash, FNV_PRIME)
  }
  return hash >>> 0
}

/**
 * A built-in embedder that needs no model: TF-IDF-weighted feature hashing of the terms of
 * {@link tokenizeForSearch} (jieba words and Chinese character bigrams).
 *
 * - term weight = (1 + ln tf) × idf, where idf = ln((1 + N) / (1 + df)) + 1 over the corpus
 *   passages (smoothed, so terms in every passage still count a little); terms unseen in the corpus
 *   get the largest IDF, as a term in no passage is at least as rare as the rarest one.
 * - each term goes to bucket `hash mod dimensions` with sign from the hash's top bit, so colliding
 *   terms cancel on average instead of always adding up (signed feature hashing).
 * - vectors are L2-normalized, so the dot product is the cosine similarity. A text with no terms
 *   gets the zero vector.
 *
 * Deterministic: the same corpus gives the same vectors in every process.
 */
export class OfflineEmbeddings extends CiteqaEmbeddings {
  readonly id: string
  private readonly vectorLength: number
  /** IDF by term: a Map for a corpus of texts, through the term numbers of a counted one (no Map of every term to build at start). */
  private readonly idfOf: (term: string) => number | undefined
  private readonly unseenTermIdf: number
  private readonly corpus: OfflineEmbeddingsOptions['corpus']
  private readonly translator?: Pick<QueryTranslator, 'translate'>

  constructor(options: OfflineEmbeddingsOptions) {
    super({})
    const { corpus, dimensions, translator } = { ...offlineEmbeddingsDefaults, ...options }
    if (!Number.isInteger(dimensions) || dimensions < 1) throw new RangeError(`dimensions must be a positive integer, got ${dimensions}`)
    this.vectorLength = dimensions
    this.id = `offline-hashing-v1:${dimensions}`
    this.translator = translator
    this.corpus = corpus

    const passageCount = Array.isArray(corpus) ? corpus.length : (corpus as CountedCorpus).chunkCount
    const idf = (frequency: number) => Math.log((1 + passageCount) / (1 + frequency)) + 1
    this.unseenTermIdf = idf(0)
    if (Array.isArray(corpus)) {
      const documentFrequency = new Map<string, number>()
      for (const passage of corpus) {
        for (const term of new Set(tokenizeForSearch(passage))) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1)
      }
      const inverseDocumentFrequency = new Map([...documentFrequency].map(([term, frequency]) => [term, idf(frequency)]))
      this.idfOf = (term) => inverseDocumentFrequency.get(term)
    } else {
      const counted = corpus as CountedCorpus
      this.idfOf = (term) => {
        const number = counted.termNumber(term)
        return number === undefined ? undefined : idf(counted.documentFrequency(number))
      }
    }
  }

  /** Made from the passages' counted terms: an index keeps them in a sparse store, rebuilt at start. */
  override passageVectors(): PassageVectorSource {
    return { from: 'term-counts', embed: (corpus) => this.embedCountedPassages(corpus) }
  }

  /**
   * The passages' vectors from their counted terms, as {@link embedDocuments} would make them from
   * their text (up to the order floating-point sums are taken in), without tokenizing them again.
   * Sparse: a passage's ~110 terms fill at most as many of the dimensions.
   */
  embedCountedPassages(corpus: CountedCorpus): SparseRows {
    const buckets = new Uint32Array(corpus.terms.length)
    const signedIdf = new Float64Array(corpus.terms.length)
    const idf = (frequency: number) => Math.log((1 + corpus.chunkCount) / (1 + frequency)) + 1
    const sameCorpus = corpus === this.corpus
    corpus.terms.forEach((term, number) => {
      const hash = fnv1a32(term)
      buckets[number] = hash % this.vectorLength
      signedIdf[number] = (hash & 0x80000000 ? -1 : 1) * (sameCorpus ? idf(corpus.documentFrequency(number)) : (this.idfOf(term) ?? this.unseenTermIdf))
    })
    const { starts, terms, counts } = corpus.entries()
    const entries = starts[corpus.chunkCount]
    const rows: SparseRows = { starts: new Uint32Array(corpus.chunkCount + 1), indices: new Uint32Array(entries), values: new Float64Array(entries) }
    const dense = new Float64Array(this.vectorLength)
    const usedBy = new Uint32Array(this.vectorLength)
    const used = new Uint32Array(this.vectorLength)
    // 1 + ln(count) for the small counts nearly every term has.
    const countWeight = Float64Array.from({ length: 64 }, (_, count) => 1 + Math.log(count))
    let written = 0
    for (let chunk = 0; chunk < corpus.chunkCount; chunk++) {
      let usedCount = 0
      for (let entry = starts[chunk]; entry < starts[chunk + 1]; entry++) {
        const term = terms[entry]
        const count = counts[entry]
        const bucket = buckets[term]
        if (usedBy[bucket] !== chunk + 1) {
          usedBy[bucket] = chunk + 1
          used[usedCount++] = bucket
        }
        dense[bucket] += signedIdf[term] * (count < 64 ? countWeight[count] : 1 + Math.log(count))
      }
      const bucketsUsed = used.subarray(0, usedCount).sort()
      let squaredNorm = 0
      for (const bucket of bucketsUsed) squaredNorm += dense[bucket] * dense[bucket]
      const norm = Math.sqrt(squaredNorm)
      for (const bucket of bucketsUsed) {
        if (dense[bucket] !== 0) {
          rows.indices[written] = bucket
          rows.values[written++] = dense[bucket] / norm
        }
        dense[bucket] = 0
      }
      rows.starts[chunk + 1] = written
    }
    return rows
  }

  async dimensions(): Promise<number> {
    return this.vectorLength
  }

  async embedDocuments(passages: string[]): Promise<number[][]> {
    return passages.map((passage) => this.embedText(passage))
  }

  /**
   * Terms no passage holds are left out of a query: they cannot make one passage closer than
   * another, and hashed into the vector they only collide at random with passage terms (the
   * English words of a translated question are the common case).
   */
  async embedQuery(query: string): Promise<number[]> {
    return this.embedText(this.translator ? this.translator.translate(query) : query, { corpusTermsOnly: true })
  }

  /** Hashed, TF-IDF-weighted, L2-normalized vector of a text. */
  embedText(text: string, { corpusTermsOnly = false } = {}): number[] {
    const termFrequency = new Map<string, { frequency: number; idf: number }>()
    for (const term of tokenizeForSearch(text)) {
      const counted = termFrequency.get(term)
      if (counted) {
        counted.frequency++
        continue
      }
      const idf = this.idfOf(term)
      if (corpusTermsOnly && idf === undefined) continue
      termFrequency.set(term, { frequency: 1, idf: idf ?? this.unseenTermIdf })
    }

    const vector = new Float64Array(this.vectorLength)
    for (const [term, { frequency, idf }] of termFrequency) {
      const hash = fnv1a32(term)
      const sign = hash & 0x80000000 ? -1 : 1
      vector[hash % this.vectorLength] += sign * (1 + Math.log(frequency)) * idf
    }

    let squaredNorm = 0
    for (let index = 0; index < vector.length; index++) squaredNorm += vector[index] * vector[index]
    const norm = Math.sqrt(squaredNorm)
    // A plain loop: a mapping callback per dimension cost more than the terms' hashing.
    const normalized: number[] = []
    for (let index = 0; index < vector.length; index++) normalized.push(norm > 0 ? vector[index] / norm : vector[index])
    return normalized
  }

}
