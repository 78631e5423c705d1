import { join } from 'node:path'
import type { DocumentInterface } from '@langchain/core/documents'
import type { EmbeddingsInterface } from '@langchain/core/embeddings'
import { VectorStore } from '@langchain/core/vectorstores'
import { createRequire } from 'node:module'
import type hnswlib from 'hnswlib-node'
import { CiteqaError } from '../errors.ts'
import type { Chunk } from '../ingest/types.ts'

/** Settings of the HNSW graph. */
export interface HnswOptions {
  /** Vector length; must match the embedder. */
  dimensions: number
  /** Links per node (hnswlib's M). Default 16. */
  links?: number
  /** Candidate list size while building. Default 200. */
  efConstruction?: number
  /**
   * Candidate list size while searching. Default: at least the number of vectors, which makes
   * search exact at the size of one article (a few dozen chunks) for no measurable cost.
   */
  efSearch?: number
}

const defaultHnswOptions = { links: 16, efConstruction: 200 }

// The native addon is loaded with the first graph: a service on the offline embedder never needs it.
let native: typeof hnswlib | undefined
function hnsw(): typeof hnswlib {
  native ??= createRequire(import.meta.url)('hnswlib-node') as typeof hnswlib
  return native
}

// hnswlib's graph file; labels are positions in the documents the store is loaded with.
export const GRAPH_FILE = 'vectors.hnsw'

/**
 * A LangChain vector store over hnswlib-node with cosine distance, for the dense vectors of a
 * neural embedder, persisted as hnswlib's graph file. Its documents are not saved with it: the
 * index stores the chunks once and gives them back at load (labels are their positions).
 * `similaritySearchVectorWithScore` returns cosine similarity (1 − distance), higher is closer.
 */
export class HnswVectorStore extends VectorStore {
  declare FilterType: (document: DocumentInterface) => boolean
  private readonly graph: hnswlib.HierarchicalNSW
  private readonly documents: DocumentInterface[]
  private readonly options: Required<HnswOptions>

  private constructor(embeddings: EmbeddingsInterface, options: HnswOptions, graph: hnswlib.HierarchicalNSW, documents: DocumentInterface[]) {
    super(embeddings, {})
    this.options = { ...defaultHnswOptions, efSearch: 0, ...options }
    this.graph = graph
    this.documents = documents
  }

  /** An empty store with room for `capacity` vectors. */
  static create(embeddings: EmbeddingsInterface, options: HnswOptions, capacity: number): HnswVectorStore {
    const settings = { ...defaultHnswOptions, ...options }
    const graph = new (hnsw().HierarchicalNSW)('cosine', settings.dimensions)
    graph.initIndex({ maxElements: Math.max(1, capacity), m: settings.links, efConstruction: settings.efConstruction, randomSeed: 42 })
    return new HnswVectorStore(embeddings, options, graph, [])
  }

  /**
   * Reads a graph written by {@link save}, labelled with these documents. Check the file's
   * integrity first: a damaged graph file can crash the native reader.
   */
  static async load(directory: string, embeddings: EmbeddingsInterface, options: HnswOptions, documents: DocumentInterface[]): Promise<HnswVectorStore> {
    const graph = new (hnsw().HierarchicalNSW)('cosine', options.dimensions)
    await graph.readIndex(join(directory, GRAPH_FILE))
    if (graph.getCurrentCount() !== documents.length) {
      throw new CiteqaError('index_corrupt', `Index: graph holds ${graph.getCurrentCount()} vectors but ${documents.length} documents are stored`)
    }
    return new HnswVectorStore(embeddings, options, graph, documents)
  }

  _vectorstoreType(): string {
    return 'hnswlib'
  }

  get size(): number {
    return this.documents.length
  }

  /** The chunks stored as document metadata, in insertion order. */
  chunks(): Chunk[] {
    return this.documents.map((document) => document.metadata as Chunk)
  }

  async addVectors(vectors: number[][], documents: DocumentInterface[]): Promise<void> {
    if (vectors.length !== documents.length) throw new CiteqaError('index_mismatch', `Index: ${vectors.length} vectors for ${documents.length} documents`)
    const needed = this.documents.length + vectors.length
    if (needed > this.graph.getMaxElements()) this.graph.resizeIndex(needed)
    vectors.forEach((vector, offset) => {
      if (vector.length !== this.options.dimensions) {
        throw new CiteqaError('index_dimensions', `Index: vector of length ${vector.length}, expected ${this.options.dimensions}`)
      }
      this.graph.addPoint(vector, this.documents.length + offset)
    })
    // One at a time: spread into push, 100,000 documents' chunks overflow the call stack.
    for (const document of documents) this.documents.push(document)
  }

  async addDocuments(documents: DocumentInterface[]): Promise<void> {
    await this.addVectors(await this.embeddings.embedDocuments(documents.map((document) => document.pageContent)), documents)
  }

  async similaritySearchVectorWithScore(query: number[], k: number, filter?: this['FilterType']): Promise<[DocumentInterface, number][]> {
    const count = Math.min(k, this.documents.length)
    if (count === 0) return []
    this.graph.setEf(Math.max(this.options.efSearch, this.documents.length, count))
    const result = filter
      ? this.graph.searchKnn(query, count, (label) => filter(this.documents[label]))
      : this.graph.searchKnn(query, count)
    return result.neighbors.map((label, index) => [this.documents[label], 1 - result.distances[index]])
  }

  /** The stored vector of a document, by position (normalized, as cosine space keeps it). */
  vectorAt(position: number): number[] {
    return this.graph.getPoint(position)
  }

  /** Writes the graph; the documents are the caller's to keep (see {@link load}). */
  async save(directory: string): Promise<void> {
    await this.graph.writeIndex(join(directory, GRAPH_FILE))
  }
}
