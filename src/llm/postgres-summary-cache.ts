import type pg from 'pg'
import type { DocumentSummary } from './document-summary.ts'
import type { SummaryCache } from './summary-cache.ts'

const TABLE = 'citeqa_document_summaries'
// The same advisory lock key the index registry's set-up takes (index-generations.ts): one set-up at a time.
const SETUP_LOCK = 160_002

/**
 * Summaries in PostgreSQL (INDEX_STORE=postgres), by key — a hash of the document's text, the
 * model, the prompts and the format — so every replica reads a summary any of them built, and a
 * document unchanged across index generations keeps its summary.
 */
export class PostgresSummaryCache implements SummaryCache {
  private ready?: Promise<void>

  constructor(private readonly pool: pg.Pool) {}

  private table(): Promise<void> {
    this.ready ??= (async () => {
      const client = await this.pool.connect()
      try {
        await client.query('BEGIN')
        await client.query('SELECT pg_advisory_xact_lock($1)', [SETUP_LOCK])
        await client.query(`CREATE TABLE IF NOT EXISTS ${TABLE} (key text PRIMARY KEY, doc_id text NOT NULL, summary jsonb NOT NULL, built_at timestamptz NOT NULL DEFAULT now())`)
        await client.query('COMMIT')
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined)
        this.ready = undefined
        throw error
      } finally {
        client.release()
      }
    })()
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
