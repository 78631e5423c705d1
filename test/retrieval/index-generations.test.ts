import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { after, before, test } from 'node:test'
import pg from 'pg'
import { createCiteqa } from '../../src/citeqa.ts'
import { parseConfig } from '../../src/config.ts'
import { createEmbeddings } from '../../src/embeddings/create-embeddings.ts'
import { followIndexGenerations } from '../../src/follow-index-generations.ts'
import { loadDocuments } from '../../src/ingest/load-documents.ts'
import type { ArticleDocument } from '../../src/ingest/types.ts'
import { silentLogger } from '../../src/logger.ts'
import { GENERATIONS_TABLE, activeGeneration } from '../../src/retrieval/postgres/index-generations.ts'
import { closePostgresPools, postgresPool } from '../../src/retrieval/postgres/postgres-connection.ts'
import { openPostgresIndex, type PostgresIndexOptions } from '../../src/retrieval/postgres/postgres-index-store.ts'
import { ServedCiteqa } from '../../src/served-citeqa.ts'
import { DenseHashingEmbeddings } from '../fixtures/dense-hashing-embeddings.ts'
import { createTestDatabase } from '../helpers/postgres-database.ts'

let database: Awaited<ReturnType<typeof createTestDatabase>>
let article: ArticleDocument[]
const offline = parseConfig({ EMBEDDINGS: 'offline', LOG_LEVEL: 'silent' })

before(async () => {
  database = await createTestDatabase()
  article = await loadDocuments('data/article.txt')
})

after(async () => {
  await closePostgresPools()
  await database.drop()
})

function storeOptions(documents: ArticleDocument[], overrides: Partial<PostgresIndexOptions> = {}): PostgresIndexOptions {
  return {
    directory: 'unused',
    documents,
    chunking: { maxCharacters: 240, overlapSentences: 1 },
    createEmbeddings: (context) => createEmbeddings(offline, context, silentLogger),
    logger: silentLogger,
    databaseUrl: database.url,
    graceSeconds: 300,
    forceRebuild: true,
    ...overrides,
  }
}

async function generations(): Promise<{ number: number; state: string }[]> {
  const { rows } = await postgresPool(database.url).query(`SELECT number, state FROM ${GENERATIONS_TABLE} ORDER BY number`)
  return rows
}

async function schemaExists(schema: string): Promise<boolean> {
  const { rows } = await postgresPool(database.url).query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema])
  return rows.length === 1
}

test('each build is a new schema; publishing makes it the only active generation and retires the one before', async () => {
  const first = await openPostgresIndex(storeOptions(article))
  const second = await openPostgresIndex(storeOptions(article))
  assert.notEqual(first.generation, second.generation)
  assert.equal((await activeGeneration(postgresPool(database.url)))?.schema, second.generation)
  const states = new Map((await generations()).map(({ number, state }) => [`citeqa_g${number}`, state]))
  assert.equal(states.get(first.generation!), 'retired')
  assert.equal(states.get(second.generation!), 'active')
  // Within the grace period the retired generation is still there, and still answers.
  assert.ok(await schemaExists(first.generation!))
  assert.ok((await first.keywordSearch!.find('维修了多少公里沟渠?', 5)).length > 0)
  // Without forceRebuild, the same documents are served from the active generation, not built again.
  const reopened = await openPostgresIndex(storeOptions(article, { forceRebuild: false }))
  assert.equal(reopened.generation, second.generation)
  assert.equal(reopened.origin, 'loaded')
})

test('a dense embedder stores vector(d) under an HNSW index and finds a passage by its own text', async () => {
  const index = await openPostgresIndex(storeOptions(article, { createEmbeddings: async () => new DenseHashingEmbeddings(256) }))
  const { rows } = await postgresPool(database.url).query(
    `SELECT indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename = 'chunks' AND indexdef LIKE '%hnsw%'`,
    [index.generation],
  )
  assert.equal(rows.length, 1, 'one HNSW index on chunks.embedding')
  const chunk = index.chunks[7]
  const [[best, similarity]] = await index.vectorStore.similaritySearchVectorWithScore(await index.embeddings.embedQuery(chunk.text), 3)
  assert.equal((best.metadata as { id: string }).id, chunk.id)
  assert.ok(similarity > 0.9, `cosine ${similarity}`)
})

test('a build that fails after writing its rows leaves the active generation untouched and drops its own schema', async () => {
  const active = await activeGeneration(postgresPool(database.url))
  assert.ok(active)
  // pgvector's HNSW indexes take at most 2,000 dimensions: the index creation, after every row is written, fails.
  await assert.rejects(openPostgresIndex(storeOptions(article, { createEmbeddings: async () => new DenseHashingEmbeddings(2048) })), /2000 dimensions/)
  assert.equal((await activeGeneration(postgresPool(database.url)))?.schema, active.schema)
  const failed = (await generations()).at(-1)!
  assert.equal(failed.state, 'failed')
  assert.equal(await schemaExists(`citeqa_g${failed.number}`), false)
})

test('an ingest killed mid-build (kill -9) leaves the active generation serving; the next build drops its schema', async () => {
  // An offline generation active again (the dense test's is of another embedder).
  await openPostgresIndex(storeOptions(article))
  const active = await activeGeneration(postgresPool(database.url))
  assert.ok(active)
  const ingest = spawn(process.execPath, ['--import', 'tsx', 'src/cli/ingest.ts'], {
    env: { ...process.env, INDEX_STORE: 'postgres', DATABASE_URL: database.url, EMBEDDINGS: 'offline', ARTICLE_PATH: 'data/qa/cmrc-trial/docs', DOCUMENTS_DIR: 'data/no-such-folder', LOG_LEVEL: 'silent' },
    stdio: 'ignore',
  })
  const exited = new Promise((resolve) => ingest.once('exit', resolve))
  // Wait until its generation is registered and its schema has tables, then kill it without warning.
  const deadline = Date.now() + 60_000
  let building: number | undefined
  while (building === undefined && Date.now() < deadline) {
    const { rows } = await postgresPool(database.url).query(
      `SELECT g.number FROM ${GENERATIONS_TABLE} g WHERE g.state = 'building' AND EXISTS (SELECT 1 FROM pg_tables t WHERE t.schemaname = 'citeqa_g' || g.number)`,
    )
    building = rows[0]?.number
    if (building === undefined) await new Promise((resolve) => setTimeout(resolve, 20))
  }
  assert.ok(building !== undefined, 'the ingest started a generation within a minute')
  ingest.kill('SIGKILL')
  await exited
  assert.equal((await activeGeneration(postgresPool(database.url)))?.schema, active.schema, 'the killed build did not change the active generation')
  const served = await openPostgresIndex(storeOptions(article, { forceRebuild: false, generation: 'active' }))
  assert.equal(served.generation, active.schema)
  assert.ok((await served.keywordSearch!.find('维修了多少公里沟渠?', 5)).length > 0)

  await openPostgresIndex(storeOptions(article))
  const state = (await generations()).find(({ number }) => number === building)!.state
  assert.equal(state, 'failed')
  assert.equal(await schemaExists(`citeqa_g${building}`), false, 'the next build dropped the abandoned schema')
})

test('a replica switches to a published generation on its NOTIFY, and drops retired ones after the grace period', async () => {
  const config = parseConfig({ EMBEDDINGS: 'offline', LOG_LEVEL: 'silent', INDEX_STORE: 'postgres', DATABASE_URL: database.url, INDEX_GENERATION_POLL_MS: '600000', INDEX_GENERATION_GRACE_SECONDS: '1' })
  const served = new ServedCiteqa(await createCiteqa(config, { logger: silentLogger, documents: article }))
  const before = served.current.index.generation
  const watcher = await followIndexGenerations(config, served, silentLogger)
  try {
    // Another process's ingest, here: a generation over other documents, published with NOTIFY.
    const cmrc = (await loadDocuments('data/qa/cmrc-trial/docs')).slice(0, 5)
    const published = performance.now()
    const next = await openPostgresIndex(storeOptions(cmrc, { graceSeconds: 1 }))
    while (served.current.index.generation !== next.generation && performance.now() - published < 5000) await new Promise((resolve) => setTimeout(resolve, 10))
    const switchedInMs = performance.now() - published
    assert.equal(served.current.index.generation, next.generation)
    assert.ok(switchedInMs < 1000, `switched in ${Math.round(switchedInMs)} ms (the poll is 10 minutes: it was the notification)`)
    assert.deepEqual(served.current.documents.map((document) => document.id), cmrc.map((document) => document.id))
    // Requests answered after the switch read the new generation's documents.
    const passages = await served.current.retrieve('生命数耗完即算为什么？')
    assert.ok(passages.length > 0 && passages.every((passage) => passage.chunk.docId.startsWith('trial-')))

    // Past the grace period the next check drops what was retired before it.
    await new Promise((resolve) => setTimeout(resolve, 1200))
    await watcher.check()
    assert.equal(await schemaExists(before!), false, `${before} dropped after the grace period`)
    assert.ok(await schemaExists(next.generation!))
  } finally {
    await watcher.stop()
  }
})
