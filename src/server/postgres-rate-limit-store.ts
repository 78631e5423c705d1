import type { ClientRateLimitInfo, IncrementResponse, Options, Store } from 'express-rate-limit'
import type pg from 'pg'
import { createSharedTable } from '../retrieval/postgres/postgres-connection.ts'

const TABLE = 'citeqa_rate_limits'
/** Increments between two sweeps of expired windows (rows of clients gone quiet). */
const SWEEP_EVERY = 1000

/**
 * express-rate-limit's store in PostgreSQL, so every replica on one database counts a client's
 * requests together: a fixed window per client, as the middleware's MemoryStore counts, in one
 * row updated by a single atomic upsert. Written here rather than taken from
 * @acpr/rate-limit-postgresql, which pins an older pg of its own and brings a migrations framework
 * for what is one table.
 */
export class PostgresRateLimitStore implements Store {
  readonly localKeys = false
  readonly prefix = 'citeqa'
  private windowMs = 60_000
  private ready?: Promise<void>
  private increments = 0

  constructor(private readonly pool: pg.Pool) {}

  init(options: Options): void {
    this.windowMs = options.windowMs
    void this.table()
  }

  private table(): Promise<void> {
    this.ready ??= createSharedTable(this.pool, `CREATE TABLE IF NOT EXISTS ${TABLE} (key text PRIMARY KEY, hits integer NOT NULL, reset_at timestamptz NOT NULL)`).catch((error: unknown) => {
      // Not memoized: the next call tries again.
      this.ready = undefined
      throw error
    })
    return this.ready
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    await this.table()
    const { rows } = await this.pool.query(`SELECT hits, reset_at FROM ${TABLE} WHERE key = $1 AND reset_at > now()`, [key])
    return rows[0] ? { totalHits: rows[0].hits, resetTime: rows[0].reset_at } : undefined
  }

  async increment(key: string): Promise<IncrementResponse> {
    await this.table()
    // A window that has ended starts again at 1; otherwise one more hit in it.
    const { rows } = await this.pool.query(
      `INSERT INTO ${TABLE} AS counted (key, hits, reset_at) VALUES ($1, 1, now() + make_interval(secs => $2))
       ON CONFLICT (key) DO UPDATE SET
         hits = CASE WHEN counted.reset_at <= now() THEN 1 ELSE counted.hits + 1 END,
         reset_at = CASE WHEN counted.reset_at <= now() THEN excluded.reset_at ELSE counted.reset_at END
       RETURNING hits, reset_at`,
      [key, this.windowMs / 1000],
    )
    if (++this.increments % SWEEP_EVERY === 0) void this.pool.query(`DELETE FROM ${TABLE} WHERE reset_at < now()`).catch(() => undefined)
    return { totalHits: rows[0].hits, resetTime: rows[0].reset_at }
  }

  async decrement(key: string): Promise<void> {
    await this.table()
    await this.pool.query(`UPDATE ${TABLE} SET hits = greatest(hits - 1, 0) WHERE key = $1 AND reset_at > now()`, [key])
  }

  async resetKey(key: string): Promise<void> {
    await this.table()
    await this.pool.query(`DELETE FROM ${TABLE} WHERE key = $1`, [key])
  }
}
