import { CiteqaEmbeddings } from './citeqa-embeddings.ts'
import { tokenizeForSearch } from '../text/tokenize.ts'
import type { QueryTranslator } from '../text/query-translator.ts'

/** Options for {@link OfflineEmbeddings}. */
export interface OfflineEmbeddingsOptions {
  /** Passages the IDF is fitted on; normally every passage of the index. */
  corpus: string[]
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
  private readonly inverseDocumentFrequency: Map<string, number>
  private readonly unseenTermIdf: number
  private readonly translator?: Pick<QueryTranslator, 'translate'>

  constructor(options: OfflineEmbeddingsOptions) {
    super({})
    const { corpus, dimensions, translator } = { ...offlineEmbeddingsDefaults, ...options }
    if (!Number.isInteger(dimensions) || dimensions < 1) throw new RangeError(`dimensions must be a positive integer, got ${dimensions}`)
    this.vectorLength = dimensions
    this.id = `offline-hashing-v1:${dimensions}`
    this.translator = translator

    const documentFrequency = new Map<string, number>()
    for (const passage of corpus) {
      for (const term of new Set(tokenizeForSearch(passage))) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1)
    }
    const passageCount = corpus.length
    const idf = (frequency: number) => Math.log((1 + passageCount) / (1 + frequency)) + 1
    this.inverseDocumentFrequency = new Map([...documentFrequency].map(([term, frequency]) => [term, idf(frequency)]))
    this.unseenTermIdf = idf(0)
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
    const termFrequency = new Map<string, number>()
    for (const term of tokenizeForSearch(text)) {
      if (corpusTermsOnly && !this.inverseDocumentFrequency.has(term)) continue
      termFrequency.set(term, (termFrequency.get(term) ?? 0) + 1)
    }

    const vector = new Array<number>(this.vectorLength).fill(0)
    for (const [term, frequency] of termFrequency) {
      const hash = fnv1a32(term)
      const sign = hash & 0x80000000 ? -1 : 1
      const weight = (1 + Math.log(frequency)) * (this.inverseDocumentFrequency.get(term) ?? this.unseenTermIdf)
      vector[hash % this.vectorLength] += sign * weight
    }

    let squaredNorm = 0
    for (const value of vector) squaredNorm += value * value
    const norm = Math.sqrt(squaredNorm)
    return norm > 0 ? vector.map((value) => value / norm) : vector
  }
}
