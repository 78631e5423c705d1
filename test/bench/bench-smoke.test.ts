import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { promisify } from 'node:util'
import { createTestDatabase } from '../helpers/postgres-database.ts'

const run = promisify(execFile)

// A smoke run of `npm run bench` so it cannot rot: a tiny corpus, one round of starts and one-second loads.
// It checks that every table has every row and the figures are there; speed is never asserted.
test('npm run bench -- --quick --distinct prints every table with every row, the distinct growth of both stores, and draws the chart', async () => {
  const chart = join(tmpdir(), `citeqa-bench-smoke-${process.pid}.svg`)
  const { url: database, drop } = await createTestDatabase()
  const { stdout } = await run('npm', ['run', '--silent', 'bench', '--', '--quick', '--distinct', '--svg', chart], {
    timeout: 300_000,
    maxBuffer: 10_000_000,
    env: { ...process.env, DATABASE_URL: database },
  }).finally(drop)

  const rows = stdout.split('\n').filter((line) => line.startsWith('| '))
  const row = (label: string) => {
    const found = rows.find((line) => line.startsWith(`| ${label}`))
    assert.ok(found, `no row "${label}" in:\n${stdout}`)
    const cells = found.split('|').slice(1, -1).map((cell) => cell.trim())
    return cells
  }
  for (const label of ['start from a saved index', 'throughput, dev questions in turn', 'latency p50 / p99 under that load', 'throughput, every answer computed', 'latency p50 / p99, every answer computed']) {
    const [, helloWorld, citeqa] = row(label)
    assert.match(helloWorld, /\d/, `${label}: hello-world`)
    assert.match(citeqa, /\d/, `${label}: citeqa`)
    assert.doesNotMatch(`${helloWorld} ${citeqa}`, /failed/, `${label}: requests failed`)
  }
  for (const label of ['BM25 alone', 'dense alone', 'bigram baseline', 'hybrid (BM25 + dense)']) {
    const cells = row(label)
    assert.equal(cells.length, 7, `${label}: hit@1, MRR and ms/query on two sets`)
    for (const cell of cells.slice(1)) assert.match(cell, /^\d/, `${label}: ${cells.join(' | ')}`)
  }
  const growth = row('1×')
  assert.equal(growth.length, 10)
  // Peak memory needs GNU time and server memory /proc: where they are missing the cell says –.
  growth.slice(1).forEach((cell, index) => assert.match(cell, [4, 7].includes(index) ? /^(\d|–$)/ : /^\d/, `growth: ${growth.join(' | ')}`))
  assert.match(stdout, /hybrid is at least as good|hybrid falls short/)

  // The distinct growth: one table a store, its one row with every figure.
  for (const store of ['files', 'postgres']) assert.match(stdout, new RegExp(`store \`${store}\``), `no distinct growth table of ${store}`)
  const distinctRows = rows.filter((line) => line.startsWith('| 150 |'))
  assert.equal(distinctRows.length, 2, stdout)
  for (const distinct of distinctRows) {
    const cells = distinct.split('|').slice(1, -1).map((cell) => cell.trim())
    assert.equal(cells.length, 10)
    cells.forEach((cell, index) => assert.match(cell, [4, 7].includes(index) ? /^(\d|–$)/ : /^\d/, `distinct growth: ${cells.join(' | ')}`))
  }

  const svg = await readFile(chart, 'utf8')
  assert.match(svg, /^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/)
  assert.match(svg, /<circle /)
  await rm(chart, { force: true })
})

test('npm run bench:hnsw measures recall and latency of every build and ef_search against the exact scan', async () => {
  const { url: database, drop } = await createTestDatabase()
  const { stdout } = await run('npm', ['run', '--silent', 'bench:hnsw', '--', '--documents', '60', '--builds', '8/16', '--ef-search', '10,40', '--types', 'sparsevec'], {
    timeout: 300_000,
    maxBuffer: 10_000_000,
    env: { ...process.env, DATABASE_URL: database, EMBEDDINGS: 'offline' },
  }).finally(drop)
  const rows = stdout.split('\n').filter((line) => /^\| sparsevec /.test(line))
  assert.equal(rows.length, 3, stdout)
  for (const row of rows) assert.match(row, /\| \d+\.\d% \| \d+\.\d \/ \d+\.\d ms \|$/, row)
})
