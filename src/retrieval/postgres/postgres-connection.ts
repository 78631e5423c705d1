import pg from 'pg'

// One pool a process per database URL: every generation a replica serves, the builder and the
// watcher share its connections.
const pools = new Map<string, pg.Pool>()

/** Connections of a pool (pg's `max`): requests wait for one past it. */
const POOL_SIZE = 10

/**
 * The pool of connections to `url`, made on first use. Numeric results (BIGINT counts) stay
 * strings in pg; the store converts what it reads.
 */
export function postgresPool(url: string): pg.Pool {
  let pool = pools.get(url)
  if (!pool) {
    // allowExitOnIdle: a CLI (ingest, ask, eval) exits when its work is done, without closing the pool itself.
    pool = new pg.Pool({ connectionString: url, max: POOL_SIZE, allowExitOnIdle: true })
    // A dropped idle connection must not crash the process: the pool replaces it on the next query.
    pool.on('error', () => undefined)
    pools.set(url, pool)
  }
  return pool
}

/** Closes every pool (tests, and the CLIs before they exit). */
export async function closePostgresPools(): Promise<void> {
  const closing = [...pools.values()].map((pool) => pool.end())
  pools.clear()
  await Promise.all(closing)
}

/** A quoted SQL identifier (schema and table names are made by the store; quoted all the same). */
export function identifier(name: string): string {
  return pg.escapeIdentifier(name)
}

// The advisory lock every set-up of shared tables takes (the index registry, the rate limits, the
// summaries): replicas starting together create each table once.
export const SETUP_LOCK = 160_002

/** Runs `work` in a transaction on `client`: committed when it returns, rolled back when it throws. */
export async function inTransaction<T>(client: pg.ClientBase, work: () => Promise<T>): Promise<T> {
  await client.query('BEGIN')
  try {
    const result = await work()
    await client.query('COMMIT')
    return result
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined)
    throw error
  }
}

/** {@link inTransaction} on a connection of the pool, released after. */
export async function inPooledTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect()
  try {
    return await inTransaction(client, () => work(client))
  } finally {
    client.release()
  }
}

/**
 * Runs `ddl` (CREATE TABLE IF NOT EXISTS …) in a transaction holding the set-up lock. Made into a
 * memoized promise by the caller; a failure is thrown, after a rollback, for the caller to retry.
 */
export async function createSharedTable(pool: pg.Pool, ddl: string): Promise<void> {
  await inPooledTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [SETUP_LOCK])
    await client.query(ddl)
  })
}
