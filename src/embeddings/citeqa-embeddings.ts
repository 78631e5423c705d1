import { Embeddings, type EmbeddingsParams } from '@langchain/core/embeddings'
import type { PassageVectorSource } from './passage-vectors.ts'

/**
 * The embedder contract of citeqa: a LangChain `Embeddings` that also names itself and its
 * vector size, so a persisted index can tell whether it was built by the same embedder.
 * Queries and passages are embedded by separate methods because models such as E5 embed them
 * differently (`query: ` / `passage: ` prefixes).
 */
export abstract class CiteqaEmbeddings extends Embeddings {
  /** Stable identifier written to the index manifest, e.g. `transformers:Xenova/multilingual-e5-small:q8`. */
  abstract readonly id: string

  constructor(params: EmbeddingsParams = {}) {
    super(params)
  }

  /** Length of every vector this embedder returns (loads the model if needed). */
  abstract dimensions(): Promise<number>

  /** How its passage vectors are made, which decides the store an index keeps them in; by default from the text (embedDocuments). */
  passageVectors(): PassageVectorSource {
    return { from: 'text' }
  }
}

/**
 * True for embedders whose similarity means something beyond word overlap (`transformers:…`).
 * The offline hashing embedder's cosine is word overlap again, so it never counts as evidence.
 */
export function isNeuralEmbedder(id: string): boolean {
  return id.startsWith('transformers:')
}
