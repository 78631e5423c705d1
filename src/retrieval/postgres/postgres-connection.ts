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
