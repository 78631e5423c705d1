import assert from 'node:assert/strict'
import { execFileSync, spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import pg from 'pg'

// npm run postgres:start (scripts/postgres-cluster.sh): the URL alone on standard output, as the
// last line; a second call reuses the running cluster; the server runs as the postgres user, with
// pgvector in the database. (.ci/run has started it already; here it is started or reused.)

function start(): { stdout: string; stderr: string } {
  const run = spawnSync('bash', ['scripts/postgres-cluster.sh', 'start'], { encoding: 'utf8' })
  assert.equal(run.status, 0, run.stderr)
  return { stdout: run.stdout, stderr: run.stderr }
}

test('postgres:start prints DATABASE_URL as its only line of output, reuses the running cluster, and the server runs as postgres with pgvector', async () => {
  const first = start()
  const second = start()
  const lines = second.stdout.trim().split('\n')
  assert.equal(lines.length, 1, `standard output is the URL alone: ${second.stdout}`)
  assert.match(lines[0], /^DATABASE_URL=postgres:\/\/postgres@127\.0\.0\.1:\d+\/citeqa$/)
  assert.equal(first.stdout, second.stdout, 'the same cluster, the same URL')
  assert.match(second.stderr, /reusing the running cluster/)

  const url = lines[0].slice('DATABASE_URL='.length)
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const { rows } = await client.query(`SELECT current_setting('data_directory') AS data, current_setting('fsync') AS fsync, (SELECT extversion FROM pg_extension WHERE extname = 'vector') AS vector`)
    assert.equal(rows[0].fsync, 'off')
    assert.match(rows[0].vector, /^0\.\d+\.\d+$/)
    // The postmaster's process id is the first line of postmaster.pid in the data folder.
    const postmaster = readFileSync(`${rows[0].data}/postmaster.pid`, 'utf8').split('\n')[0].trim()
    assert.equal(execFileSync('ps', ['-o', 'user=', '-p', postmaster], { encoding: 'utf8' }).trim(), 'postgres')
  } finally {
    await client.end()
  }
})

test('postgres-cluster.sh refuses an unknown command, naming it', () => {
  const run = spawnSync('bash', ['scripts/postgres-cluster.sh', 'restart'], { encoding: 'utf8' })
  assert.equal(run.status, 1)
  assert.match(run.stderr, /unknown command 'restart': expected start, stop or url/)
})
