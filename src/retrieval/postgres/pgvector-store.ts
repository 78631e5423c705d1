import type { DocumentInterface } from '@langchain/core/documents'
import type { EmbeddingsInterface } from '@langchain/core/embeddings'
import { VectorStore } from '@langchain/core/vectorstores'
import type pg from 'pg'
import { CiteqaError } from '../../errors.ts'
import type { VectorKind } from './generation-tables.ts'
import { identifier, inPooledTransaction } from './postgres-connection.ts'
import { denseVectorLiteral } from './write-generation.ts'

/** Search settings of the pgvector store. */
export interface PgvectorStoreOptions {
  /**
   * HNSW candidate list while searching dense vectors (pgvector's `hnsw.ef_search`, 1–1000), set
   * for each search's transaction. Default 200: past the 20 candidates the retriever takes, and
   * exact on the article's few dozen chunks like the `files` store's graph.
   */
  efSearch: number
}

export const defaultPgvectorStoreOptions: PgvectorStoreOptions = { efSearch: 200 }

/** A query vector as pgvector's sparse text form (only its non-zero entries). */
function sparseQueryLiteral(vector: number[]): string {
  const entries: string[] = []
  vector.forEach((value, index) => {
    if (value !== 0) entries.push(`${index + 1}:${value}`)
  })
  return `{${entries.join(',')}}/${vector.length}`
}

/**
 * A LangChain vector store over one generation's `chunks.embedding` (pgvector), by cosine:
 * `dense` vectors through their HNSW index, `sparse` ones (the offline embedder's) by an exact
 * scan. Like the `files` store's it returns cosine similarity (1 − distance), highest first, and
 * the chunk as each result's metadata; ties are broken by chunk order, as the sparse store in
 * memory breaks them. Documents are added by the generation build, not through this store.
 */
export class PgvectorStore extends VectorStore {
  declare FilterType: never
  private readonly options: PgvectorStoreOptions

  constructor(
    embeddings: EmbeddingsInterface,
    private readonly pool: pg.Pool,
    private readonly schema: string,
    private readonly kind: VectorKind,
    private readonly dimensions: number,
    /** The chunks as documents, by ordinal (what a search returns). */
    private readonly documents: DocumentInterface[],
    options: Partial<PgvectorStoreOptions> = {},
  ) {
    super(embeddings, {})
    this.options = { ...defaultPgvectorStoreOptions, ...options }
  }

  _vectorstoreType(): string {
    return `pgvector-${this.kind}`
  }

  async addVectors(): Promise<void> {
    throw new CiteqaError('index_read_only', 'Index: a published generation is read-only; add documents through a new build (npm run ingest)')
  }

  async addDocuments(): Promise<void> {
    await this.addVectors()
  }

  async similaritySearchVectorWithScore(query: number[], k: number): Promise<[DocumentInterface, number][]> {
    if (query.length !== this.dimensions) throw new CiteqaError('index_dimensions', `Index: query vector of length ${query.length}, expected ${this.dimensions}`)
    const count = Math.min(k, this.documents.length)
    if (count <= 0) return []
    const chunks = `${identifier(this.schema)}.chunks`
    let rows: { ordinal: number; distance: number }[]
    if (this.kind === 'dense') {
      // ef_search is a setting of the session: set for this transaction only, on the connection that searches.
      rows = await inPooledTransaction(this.pool, async (client) => {
        await client.query(`SELECT set_config('hnsw.ef_search', $1, true)`, [String(Math.min(1000, Math.max(this.options.efSearch, count)))])
        return (await client.query(`SELECT ordinal, embedding <=> $1::vector AS distance FROM ${chunks} ORDER BY embedding <=> $1::vector LIMIT $2`, [denseVectorLiteral(query), count])).rows
      })
    } else {
      ;({ rows } = await this.pool.query(`SELECT ordinal, embedding <=> $1::sparsevec AS distance FROM ${chunks} ORDER BY embedding <=> $1::sparsevec, ordinal LIMIT $2`, [sparseQueryLiteral(query), count]))
    }
    // A chunk without terms has a zero vector, whose cosine is undefined (NaN): it shares nothing, like similarity 0.
    return rows.map(({ ordinal, distance }) => [this.documents[ordinal], Number.isNaN(distance) ? 0 : 1 - distance])
  }
}
