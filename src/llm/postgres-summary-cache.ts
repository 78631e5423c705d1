import type pg from 'pg'
import { createSharedTable } from '../retrieval/postgres/postgres-connection.ts'
import type { DocumentSummary } from './document-summary.ts'
import type { SummaryCache } from './summary-cache.ts'

const TABLE = 'citeqa_document_summaries'

/**
 * Summaries in PostgreSQL (INDEX_STORE=postgres), by key — a hash of the document's text, the
 * model, the prompts and the format — so every replica reads a summary any of them built, and a
 * document unchanged across index generations keeps its summary.
 */
export class PostgresSummaryCache implements SummaryCache {
  private ready?: Promise<void>

  constructor(private readonly pool: pg.Pool) {}

  private table(): Promise<void> {
    this.ready ??= createSharedTable(this.pool, `CREATE TABLE IF NOT EXISTS ${TABLE} (key text PRIMARY KEY, doc_id text NOT NULL, summary jsonb NOT NULL, built_at timestamptz NOT NULL DEFAULT now())`).catch((error: unknown) => {
      // Not memoized: the next call tries again.
      this.ready = undefined
      throw error
    })
    return this.ready
  }

  async read(docId: string, key: string): Promise<DocumentSummary | undefined> {
    await this.table()
    const { rows } = await this.pool.query(`SELECT summary FROM ${TABLE} WHERE key = $1 AND doc_id = $2`, [key, docId])
    return rows[0]?.summary as DocumentSummary | undefined
  }

  async write(summary: DocumentSummary): Promise<void> {
    await this.table()
    // Two replicas may build the same summary at once: the first kept wins, both are the same text's.
    await this.pool.query(`INSERT INTO ${TABLE} (key, doc_id, summary) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING`, [summary.key, summary.docId, JSON.stringify(summary)])
  }
}
