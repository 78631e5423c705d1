import type { DocumentInterface } from '@langchain/core/documents'
import type { EmbeddingsInterface } from '@langchain/core/embeddings'
import { VectorStore } from '@langchain/core/vectorstores'
import type pg from 'pg'
import { CiteqaError } from '../../errors.ts'
import { HNSW_SETTINGS, hasVectorIndex, type VectorKind } from './generation-tables.ts'
import { identifier, inPooledTransaction } from './postgres-connection.ts'
import { denseVectorLiteral } from './write-generation.ts'

/** Search settings of the pgvector store. */
export interface PgvectorStoreOptions {
  /**
   * HNSW candidate list while searching through the index (pgvector's `hnsw.ef_search`, 1–1000),
   * set for each search's transaction. Default: the kind's (HNSW_SETTINGS): 200 for dense vectors,
   * past the 20 candidates the retriever takes; 400 for sparse ones, whose graph finds neighbours less surely.
   */
  efSearch?: number
}

/** A query vector as pgvector's sparse text form (only its non-zero entries). */
export function sparseQueryLiteral(vector: number[]): string {
  const entries: string[] = []
  vector.forEach((value, index) => {
    if (value !== 0) entries.push(`${index + 1}:${value}`)
  })
  return `{${entries.join(',')}}/${vector.length}`
}

/**
 * A LangChain vector store over one generation's `chunks.embedding` (pgvector), by cosine:
 * through the HNSW index when the generation has one (dense vectors; sparse ones of a large
 * generation, see hasVectorIndex), else by an exact scan whose ties are broken by chunk order, as
 * the sparse store in memory breaks them. Like the `files` store's it returns cosine similarity
 * (1 − distance), highest first, and the chunk as each result's metadata. Documents are added by
 * the generation build, not through this store.
 */
export class PgvectorStore extends VectorStore {
  declare FilterType: never
  private readonly efSearch: number

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
    this.efSearch = options.efSearch ?? HNSW_SETTINGS[kind].efSearch
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
    const [type, literal] = this.kind === 'dense' ? ['vector', denseVectorLiteral(query)] : ['sparsevec', sparseQueryLiteral(query)]
    if (hasVectorIndex(this.kind, this.documents.length)) {
      // ef_search is a setting of the session: set for this transaction only, on the connection that searches.
      // Ordered by the distance alone, which the index gives; the scan's order by chunk for ties would bypass it.
      rows = await inPooledTransaction(this.pool, async (client) => {
        await client.query(`SELECT set_config('hnsw.ef_search', $1, true)`, [String(Math.min(1000, Math.max(this.efSearch, count)))])
        return (await client.query(`SELECT ordinal, embedding <=> $1::${type} AS distance FROM ${chunks} ORDER BY embedding <=> $1::${type} LIMIT $2`, [literal, count])).rows
      })
    } else {
      ;({ rows } = await this.pool.query(`SELECT ordinal, embedding <=> $1::${type} AS distance FROM ${chunks} ORDER BY embedding <=> $1::${type}, ordinal LIMIT $2`, [literal, count]))
    }
    // A chunk without terms has a zero vector, whose cosine is undefined (NaN): it shares nothing, like similarity 0.
    return rows.map(({ ordinal, distance }) => [this.documents[ordinal], Number.isNaN(distance) ? 0 : 1 - distance])
  }
}
