import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { activeGeneration } from '../../src/retrieval/postgres/index-generations.ts'
import { closePostgresPools, postgresPool } from '../../src/retrieval/postgres/postgres-connection.ts'
import { startDocumentService, type DocumentService } from '../helpers/offline-citeqa.ts'
import { createTestDatabase } from '../helpers/postgres-database.ts'

// With INDEX_STORE=postgres, a document uploaded or removed through the API is a new index
// generation, published like an ingest's: the service serves it, and the registry names it active.

const LAKE_ID = '白鹭洲湿地'
const LAKE_TEXT = ['白鹭洲湿地公园简介', '白鹭洲湿地公园位于赤壁市西南部，面积三千六百亩，有芦苇荡和浅滩。', '每年冬天，约有一万二千只候鸟在白鹭洲湿地公园越冬，其中包括白鹤和小天鹅。'].join('\n')
const LAKE_QUESTION = '每年冬天有多少只候鸟在白鹭洲湿地公园越冬?'

let database: Awaited<ReturnType<typeof createTestDatabase>>
let service: DocumentService

before(async () => {
  database = await createTestDatabase()
  service = await startDocumentService({ INDEX_STORE: 'postgres', DATABASE_URL: database.url })
})

after(async () => {
  await service.close()
  await closePostgresPools()
  await database.drop()
})

async function ask(question: string): Promise<{ body: any; generation: string | null }> {
  const response = await fetch(`${service.baseUrl}/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question }) })
  return { body: await response.json(), generation: response.headers.get('x-citeqa-index-generation') }
}

async function waitForStatus(id: string, done: (status: string) => boolean): Promise<any> {
  for (let attempt = 0; attempt < 600; attempt++) {
    const response = await fetch(`${service.baseUrl}/documents/${encodeURIComponent(id)}`)
    const { document } = (await response.json()) as { document?: any }
    if (document ? done(document.status) : done(`http ${response.status}`)) return document
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`${id} never settled`)
}

test('an upload and a removal through the documents API each publish a generation that the service then answers from', async () => {
  const pool = postgresPool(database.url)
  const first = await activeGeneration(pool)
  assert.ok(first, 'the first start built and published a generation')
  const before = await ask(LAKE_QUESTION)
  assert.equal(before.generation, first.schema)
  assert.equal(before.body.answerable, false)

  const form = new FormData()
  form.append('file', new Blob([LAKE_TEXT]), `${LAKE_ID}.txt`)
  const accepted = await fetch(`${service.baseUrl}/documents`, { method: 'POST', body: form })
  assert.equal(accepted.status, 202)
  assert.equal((await waitForStatus(LAKE_ID, (status) => status === 'ready' || status === 'failed')).status, 'ready')
  const second = await activeGeneration(pool)
  assert.ok(second && second.number > first.number, 'the upload published a new generation')
  const answered = await ask(LAKE_QUESTION)
  assert.equal(answered.generation, second.schema)
  assert.equal(answered.body.answerable, true, JSON.stringify(answered.body))
  assert.equal(answered.body.citations[0].docId, LAKE_ID)

  const removed = await fetch(`${service.baseUrl}/documents/${encodeURIComponent(LAKE_ID)}`, { method: 'DELETE' })
  assert.equal(removed.status, 200)
  await waitForStatus(LAKE_ID, (status) => status === 'http 404')
  const third = await activeGeneration(pool)
  assert.ok(third && third.number > second.number, 'the removal published a new generation')
  const after = await ask(LAKE_QUESTION)
  assert.equal(after.generation, third.schema)
  assert.equal(after.body.answerable, false)
})
