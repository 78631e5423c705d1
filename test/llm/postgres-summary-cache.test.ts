import assert from 'node:assert/strict'
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { closePostgresPools, postgresPool } from '../../src/retrieval/postgres/postgres-connection.ts'
import { longDocument } from '../fixtures/long-document.ts'
import { passagesInPrompt, startScriptedOpenAIServer, type ChatCompletionRequest } from '../fixtures/scripted-openai-server.ts'
import { createTestDatabase } from '../helpers/postgres-database.ts'
import { postJson, startApp } from './test-app.ts'

// With INDEX_STORE=postgres a long document's map-reduce summary is kept in the database: built
// once by one replica, read by another (its own INDEX_DIR, no files shared) with no LLM call but the answer.

const systemPrompt = (body: ChatCompletionRequest) => body.messages.find((message) => message.role === 'system')?.content ?? ''
let database: Awaited<ReturnType<typeof createTestDatabase>>

before(async () => {
  database = await createTestDatabase()
})

after(async () => {
  await closePostgresPools()
  await database.drop()
})

test('a summary built by one replica is read from PostgreSQL by another', async () => {
  const folder = await mkdtemp(join(tmpdir(), 'citeqa-long-pg-'))
  await mkdir(join(folder, 'docs'))
  await writeFile(join(folder, 'docs', 'long.txt'), longDocument())
  const server = await startScriptedOpenAIServer()
  const reply = (body: ChatCompletionRequest) => {
    const system = systemPrompt(body)
    const passages = [...passagesInPrompt(body).entries()]
    if (/summarize one part/.test(system)) return { kind: 'answer' as const, content: `${passages[0][1]}[${passages[0][0]}]` }
    if (/combine the summaries/.test(system)) {
      const notes = [...body.messages.at(-1)!.content.matchAll(/^\[(\d+)\] (.*)$/gm)]
      return { kind: 'answer' as const, content: notes.map(([, n, text]) => `${text}[${n}]`).join('') }
    }
    return { kind: 'answer' as const, content: passages.slice(0, 3).map(([n, text]) => `${text}[${n}]`).join('') }
  }
  const environment = {
    LLM_PROVIDER: 'openai',
    LLM_BASE_URL: server.baseUrl,
    LLM_MODEL: 'scripted',
    LLM_TIMEOUT_MS: '2000',
    LLM_MAX_RETRIES: '0',
    ARTICLE_PATH: join(folder, 'docs'),
    INDEX_STORE: 'postgres',
    DATABASE_URL: database.url,
  }
  const first = await startApp(join(folder, 'index-1'), environment)
  const second = await startApp(join(folder, 'index-2'), environment)
  try {
    server.script(...Array.from({ length: 40 }, () => reply))
    const built = await (await postJson(`${first.url}/ask`, { question: '这篇文章讲了什么?', mode: 'llm' })).json()
    assert.equal(built.scope, 'document')
    assert.equal(built.answerable, true)
    assert.ok(server.requests.length > 10, 'the first replica built the summary (map and reduce calls)')
    const { rows } = await postgresPool(database.url).query('SELECT doc_id, summary FROM citeqa_document_summaries')
    assert.deepEqual(rows.map((row) => row.doc_id), ['long'])
    assert.ok(rows[0].summary.sentences.length > 0)

    const before = server.requests.length
    const read = await (await postJson(`${second.url}/ask`, { question: '文章的主要内容是什么?', mode: 'llm' })).json()
    assert.equal(read.scope, 'document')
    assert.equal(server.requests.length - before, 1, 'the other replica made one call, the answer: the summary came from the database')
  } finally {
    await first.close()
    await second.close()
    await server.close()
  }
})
