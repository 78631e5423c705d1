import type { DocumentInterface } from '@langchain/core/documents'
import type { VectorStore } from '@langchain/core/vectorstores'
import type { CiteqaEmbeddings } from '../embeddings/citeqa-embeddings.ts'
import type { Chunk } from '../ingest/types.ts'
import { GRAPH_FILE, HnswVectorStore } from './hnsw-vector-store.ts'
import type { IndexManifest } from './index-manifest.ts'
import { SparseVectorStore } from './sparse-vector-store.ts'
import type { StoredIndex } from './stored-index.ts'
import type { TermIndex } from './term-index.ts'

// The store an index keeps its passage vectors in is the one the embedder's vectors need
// (CiteqaEmbeddings.passageVectors): vectors made from the stored term counts are made again at
// every start into an exact sparse store, and nothing is saved; vectors made from the text are
// embedded once and kept in an HNSW graph saved with the index.

const EMBEDDING_BATCH = 16

/** What the stores hold for each chunk: its passage text, and the chunk as metadata. */
function chunkDocuments(chunks: Chunk[], corpus: string[]): DocumentInterface[] {
  return chunks.map((chunk, index) => ({ pageContent: corpus[index], metadata: { ...chunk } }))
}

/** The passages of a chunked corpus, as a vector store sees them. */
export interface Passages {
  chunks: Chunk[]
  /** Each chunk's passage text (passageText). */
  corpus: string[]
  terms: TermIndex
}

/** The vector store of a stored index. */
export async function loadVectorStore(stored: StoredIndex, embeddings: CiteqaEmbeddings, embedder: IndexManifest['embedder'], { chunks, corpus, terms }: Passages): Promise<VectorStore> {
  const source = embeddings.passageVectors()
  const documents = chunkDocuments(chunks, corpus)
  return source.from === 'term-counts'
    ? SparseVectorStore.fromRows(embeddings, embedder.dimensions, documents, source.embed(terms))
    : HnswVectorStore.load(stored.folder, embeddings, { dimensions: embedder.dimensions }, documents)
}

/** A vector store built for a new index. */
export interface BuiltVectorStore {
  vectorStore: VectorStore
  /** Chunks embedded now (tokenized and hashed, for vectors made from the terms); the others' were reused. */
  embeddedChunks: number
  /** The passages' vectors, when made from the text (a similarity calibration is made from them). */
  denseVectors?: number[][]
  /** Writes what the index keeps of the store into its staging folder (nothing, for vectors made from the terms). */
  save(folder: string): Promise<void>
}

export interface BuildVectorStoreOptions {
  embeddings: CiteqaEmbeddings
  embedder: IndexManifest['embedder']
  passages: Passages
  /** The index replaced, when its vectors may be reused. */
  previous: StoredIndex | undefined
  /** A chunk's position in the index replaced, when it holds the same chunk. */
  reusedPosition: (index: number) => number | undefined
  onProgress?: (done: number, total: number) => void
}

/** The vector store of a new index, reusing the replaced index's vectors of unchanged chunks. */
export async function buildVectorStore({ embeddings, embedder, passages, previous, reusedPosition, onProgress }: BuildVectorStoreOptions): Promise<BuiltVectorStore> {
  const { chunks, corpus, terms } = passages
  const source = embeddings.passageVectors()
  if (source.from === 'term-counts') {
    // Its vectors are made from the terms, in milliseconds; what an ingest spares is tokenizing.
    onProgress?.(chunks.length, chunks.length)
    return {
      vectorStore: SparseVectorStore.fromRows(embeddings, embedder.dimensions, chunkDocuments(chunks, corpus), source.embed(terms)),
      embeddedChunks: chunks.filter((_, index) => reusedPosition(index) === undefined).length,
      save: async () => {},
    }
  }
  const vectors = await denseVectors(embeddings, embedder, corpus, previous, reusedPosition, onProgress)
  const store = HnswVectorStore.create(embeddings, { dimensions: embedder.dimensions }, chunks.length)
  await store.addVectors(vectors.vectors, chunkDocuments(chunks, corpus))
  return { vectorStore: store, embeddedChunks: vectors.embedded, denseVectors: vectors.vectors, save: (folder) => store.save(folder) }
}

async function embedInBatches(embeddings: CiteqaEmbeddings, texts: string[], onProgress?: (done: number, total: number) => void): Promise<number[][]> {
  const vectors: number[][] = []
  onProgress?.(0, texts.length)
  for (let start = 0; start < texts.length; start += EMBEDDING_BATCH) {
    vectors.push(...(await embeddings.embedDocuments(texts.slice(start, start + EMBEDDING_BATCH))))
    onProgress?.(vectors.length, texts.length)
  }
  return vectors
}

/** Vectors made from the text: the stored index's for chunks it holds (same embedder), new ones for the rest. */
async function denseVectors(
  embeddings: CiteqaEmbeddings,
  embedder: IndexManifest['embedder'],
  corpus: string[],
  previous: StoredIndex | undefined,
  reusedPosition: (index: number) => number | undefined,
  onProgress?: (done: number, total: number) => void,
): Promise<{ vectors: number[][]; embedded: number }> {
  let storedVectorAt: ((position: number) => number[] | undefined) | undefined
  const sameEmbedder = previous && previous.manifest.embedder.id === embedder.id && previous.manifest.embedder.dimensions === embedder.dimensions
  if (sameEmbedder && previous.vectorAt) {
    storedVectorAt = previous.vectorAt
  } else if (sameEmbedder && Object.hasOwn(previous.manifest.files, GRAPH_FILE)) {
    const count = previous.manifest.chunkCount
    const placeholders = Array.from({ length: count }, () => ({ pageContent: '', metadata: {} }))
    const stored = await HnswVectorStore.load(previous.folder, embeddings, { dimensions: embedder.dimensions }, placeholders).catch(() => undefined)
    if (stored) storedVectorAt = (position) => stored.vectorAt(position)
  }
  const vectors: (number[] | undefined)[] = corpus.map((_, index) => {
    const position = reusedPosition(index)
    return storedVectorAt && position !== undefined ? storedVectorAt(position) : undefined
  })
  const missing = vectors.flatMap((vector, index) => (vector ? [] : [index]))
  const fresh = await embedInBatches(embeddings, missing.map((index) => corpus[index]), onProgress)
  missing.forEach((index, offset) => (vectors[index] = fresh[offset]))
  return { vectors: vectors as number[][], embedded: missing.length }
}
