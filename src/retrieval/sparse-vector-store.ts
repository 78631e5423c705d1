import type { DocumentInterface } from '@langchain/core/documents'
import type { EmbeddingsInterface } from '@langchain/core/embeddings'
import { VectorStore } from '@langchain/core/vectorstores'
import type { SparseRows } from '../embeddings/passage-vectors.ts'
import { CiteqaError } from '../errors.ts'

/** Rows of the non-zero entries of dense vectors. */
export function sparseRowsOf(vectors: ArrayLike<number>[]): SparseRows {
  const starts = new Uint32Array(vectors.length + 1)
  const indices: number[] = []
  const values: number[] = []
  vectors.forEach((vector, row) => {
    for (let index = 0; index < vector.length; index++) {
      if (vector[index] !== 0) {
        indices.push(index)
        values.push(vector[index])
      }
    }
    starts[row + 1] = indices.length
  })
  return { starts, indices: Uint32Array.from(indices), values: Float64Array.from(values) }
}

/**
 * A LangChain vector store for sparse vectors — the offline embedder's hashed TF-IDF vectors
 * have ~110 non-zero entries of 1,024 — searched exactly, by cosine, through lists of the
 * vectors holding each dimension: a query touches only the vectors that share one of its
 * dimensions. At 10,000 chunks that is ~0.2 ms a query, where HNSW walked a graph of dense 4 KB
 * vectors (41 MB on disk) and needed an ef of every vector to be exact.
 *
 * Like a dense store it returns `k` results: when fewer vectors share a dimension with the query,
 * the rest follow with similarity 0 (in insertion order), then those with negative similarity.
 * Vectors are not persisted: the offline embedder makes them from the chunks' stored terms.
 */
export class SparseVectorStore extends VectorStore {
  declare FilterType: (document: DocumentInterface) => boolean
  private readonly documents: DocumentInterface[] = []
  /** The vectors by row (unit length), until the lists by dimension are built from them. */
  private rows: SparseRows = { starts: new Uint32Array(1), indices: new Uint32Array(0), values: new Float64Array(0) }
  private lists?: { starts: Uint32Array; vectors: Uint32Array; values: Float64Array }
  private scores = new Float64Array(0)
  private seenIn = new Uint32Array(0)
  private search = 0

  constructor(
    embeddings: EmbeddingsInterface,
    /** Vector length; must match the embedder. */
    private readonly dimensions: number,
  ) {
    super(embeddings, {})
  }

  /** A store of these documents' vectors (row i is document i's). */
  static fromRows(embeddings: EmbeddingsInterface, dimensions: number, documents: DocumentInterface[], rows: SparseRows): SparseVectorStore {
    const store = new SparseVectorStore(embeddings, dimensions)
    store.addRows(rows, documents)
    return store
  }

  _vectorstoreType(): string {
    return 'sparse-exact'
  }

  get size(): number {
    return this.documents.length
  }

  addRows(rows: SparseRows, documents: DocumentInterface[]): void {
    const count = rows.starts.length - 1
    if (count !== documents.length) throw new CiteqaError('index_mismatch', `Index: ${count} vectors for ${documents.length} documents`)
    for (const index of rows.indices) {
      if (index >= this.dimensions) throw new CiteqaError('index_dimensions', `Index: vector entry ${index} outside ${this.dimensions} dimensions`)
    }
    const current = this.lists ? this.rowsFromLists(this.lists) : this.rows
    this.rows = appendRows(current, unitLength(rows))
    // One at a time: spread into push, 100,000 documents' chunks overflow the call stack.
    for (const document of documents) this.documents.push(document)
    this.lists = undefined
  }

  async addVectors(vectors: number[][], documents: DocumentInterface[]): Promise<void> {
    for (const vector of vectors) {
      if (vector.length !== this.dimensions) throw new CiteqaError('index_dimensions', `Index: vector of length ${vector.length}, expected ${this.dimensions}`)
    }
    this.addRows(sparseRowsOf(vectors), documents)
  }

  async addDocuments(documents: DocumentInterface[]): Promise<void> {
    await this.addVectors(await this.embeddings.embedDocuments(documents.map((document) => document.pageContent)), documents)
  }

  /** Cosine similarity, highest first: exact, and `k` results whenever the store holds that many. */
  async similaritySearchVectorWithScore(query: number[], k: number, filter?: this['FilterType']): Promise<[DocumentInterface, number][]> {
    const count = Math.min(k, this.documents.length)
    if (count <= 0) return []
    const { starts, vectors, values } = this.dimensionLists()
    const asked = unitLength(sparseRowsOf([query]))
    const search = ++this.search
    const { scores, seenIn } = this
    const touched: number[] = []
    for (let entry = 0; entry < asked.indices.length; entry++) {
      const dimension = asked.indices[entry]
      const weight = asked.values[entry]
      for (let slot = starts[dimension]; slot < starts[dimension + 1]; slot++) {
        const vector = vectors[slot]
        if (seenIn[vector] !== search) {
          seenIn[vector] = search
          scores[vector] = 0
          touched.push(vector)
        }
        scores[vector] += weight * values[slot]
      }
    }
    const admitted = (vector: number) => !filter || filter(this.documents[vector])
    // Positive similarities, best first; ties in insertion order.
    const results = best(
      touched.filter((vector) => scores[vector] > 0 && admitted(vector)),
      (vector) => scores[vector],
      count,
    )
    // Then what shares nothing with the query (similarity 0), then the opposite (negative), as a dense store would rank them.
    for (let vector = 0; vector < this.documents.length && results.length < count; vector++) {
      if ((seenIn[vector] !== search || scores[vector] === 0) && admitted(vector)) results.push([vector, 0])
    }
    if (results.length < count) {
      results.push(...best(touched.filter((vector) => scores[vector] < 0 && admitted(vector)), (vector) => scores[vector], count - results.length))
    }
    return results.map(([vector, score]) => [this.documents[vector], score])
  }

  /** For each dimension, the vectors with a non-zero entry there and that entry (built on the first search after vectors were added). */
  private dimensionLists() {
    if (this.lists) return this.lists
    const { rows } = this
    const starts = new Uint32Array(this.dimensions + 1)
    for (const index of rows.indices) starts[index + 1]++
    for (let dimension = 0; dimension < this.dimensions; dimension++) starts[dimension + 1] += starts[dimension]
    const next = starts.slice(0, this.dimensions)
    const vectors = new Uint32Array(rows.indices.length)
    const values = new Float64Array(rows.indices.length)
    for (let row = 0; row + 1 < rows.starts.length; row++) {
      for (let entry = rows.starts[row]; entry < rows.starts[row + 1]; entry++) {
        const slot = next[rows.indices[entry]]++
        vectors[slot] = row
        values[slot] = rows.values[entry]
      }
    }
    this.scores = new Float64Array(this.documents.length)
    this.seenIn = new Uint32Array(this.documents.length)
    this.lists = { starts, vectors, values }
    // The lists hold every vector; keeping the rows as well would double the memory.
    this.rows = { starts: new Uint32Array(1), indices: new Uint32Array(0), values: new Float64Array(0) }
    return this.lists
  }

  /** The vectors by row again, from the dimension lists (when more are added after a search). */
  private rowsFromLists({ starts, vectors, values }: NonNullable<SparseVectorStore['lists']>): SparseRows {
    const perRow = Array.from({ length: this.documents.length }, () => ({ indices: [] as number[], values: [] as number[] }))
    for (let dimension = 0; dimension < this.dimensions; dimension++) {
      for (let slot = starts[dimension]; slot < starts[dimension + 1]; slot++) {
        perRow[vectors[slot]].indices.push(dimension)
        perRow[vectors[slot]].values.push(values[slot])
      }
    }
    const rowStarts = new Uint32Array(perRow.length + 1)
    perRow.forEach((row, index) => (rowStarts[index + 1] = rowStarts[index] + row.indices.length))
    return { starts: rowStarts, indices: Uint32Array.from(perRow.flatMap((row) => row.indices)), values: Float64Array.from(perRow.flatMap((row) => row.values)) }
  }
}

function appendRows(first: SparseRows, second: SparseRows): SparseRows {
  if (first.starts.length === 1) return second
  const offset = first.indices.length
  const starts = new Uint32Array(first.starts.length + second.starts.length - 1)
  starts.set(first.starts)
  for (let row = 1; row < second.starts.length; row++) starts[first.starts.length - 1 + row] = offset + second.starts[row]
  const indices = new Uint32Array(offset + second.indices.length)
  indices.set(first.indices)
  indices.set(second.indices, offset)
  const values = new Float64Array(offset + second.values.length)
  values.set(first.values)
  values.set(second.values, offset)
  return { starts, indices, values }
}

/** The `limit` candidates of highest score, best first; equal scores in candidate (insertion) order. */
function best(candidates: number[], scoreOf: (candidate: number) => number, limit: number): [number, number][] {
  const chosen: [number, number][] = []
  if (limit <= 0) return chosen
  const before = (candidate: number, score: number, other: [number, number]) => score > other[1] || (score === other[1] && candidate < other[0])
  for (const candidate of candidates) {
    const score = scoreOf(candidate)
    if (chosen.length === limit && !before(candidate, score, chosen[limit - 1])) continue
    let position = chosen.length
    while (position > 0 && before(candidate, score, chosen[position - 1])) position--
    chosen.splice(position, 0, [candidate, score])
    if (chosen.length > limit) chosen.pop()
  }
  return chosen
}

/** Each row scaled to length 1 (cosine becomes a dot product); a zero row stays zero. Rows of length 1 (to rounding) are kept as they are. */
function unitLength(rows: SparseRows): SparseRows {
  let values: Float64Array | undefined
  for (let row = 0; row + 1 < rows.starts.length; row++) {
    let squared = 0
    for (let entry = rows.starts[row]; entry < rows.starts[row + 1]; entry++) squared += rows.values[entry] * rows.values[entry]
    const norm = Math.sqrt(squared)
    if (norm === 0 || Math.abs(norm - 1) < 1e-12) continue
    values ??= Float64Array.from(rows.values)
    for (let entry = rows.starts[row]; entry < rows.starts[row + 1]; entry++) values[entry] = rows.values[entry] / norm
  }
  return values ? { ...rows, values } : rows
}
