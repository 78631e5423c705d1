import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import pg from 'pg'

let serverUrl: string | undefined

/**
 * The URL of the test PostgreSQL server: DATABASE_URL when set (CI's .ci/run exports the one
 * `npm run postgres:start` printed), else the cluster that same script starts or reuses here.
 */
export function postgresServerUrl(): string {
  if (serverUrl) return serverUrl
  if (process.env.DATABASE_URL) {
    serverUrl = process.env.DATABASE_URL
  } else {
    const output = execFileSync('bash', ['scripts/postgres-cluster.sh', 'start'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })
    const last = output.trim().split('\n').at(-1) ?? ''
    if (!last.startsWith('DATABASE_URL=')) throw new Error(`postgres-cluster.sh start printed no DATABASE_URL (last line: ${last})`)
    serverUrl = last.slice('DATABASE_URL='.length)
  }
  return serverUrl
}

/** A database of its own for one test file (with pgvector), on the test server; `drop` removes it. */
export async function createTestDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const server = new URL(postgresServerUrl())
  const name = `citeqa_test_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: server.toString() })
  await admin.connect()
  try {
    await admin.query(`CREATE DATABASE ${name}`)
  } finally {
    await admin.end()
  }
  const url = new URL(server.toString())
  url.pathname = `/${name}`
  const database = new pg.Client({ connectionString: url.toString() })
  await database.connect()
  await database.query('CREATE EXTENSION IF NOT EXISTS vector')
  await database.end()
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: server.toString() })
      await client.connect()
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      } finally {
        await client.end()
      }
    },
  }
}
