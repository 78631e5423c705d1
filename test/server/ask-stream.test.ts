import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { passagesInPrompt, startScriptedOpenAIServer, type ScriptedOpenAIServer } from '../fixtures/scripted-openai-server.ts'
import { assertCitationsIntact, collectServerSentEvents, postJson, readServerSentEvents, startApp, temporaryIndexDirectory, type RunningApp } from '../llm/test-app.ts'

const QUESTION = '乡镇党委书记要强化哪两个责任？'
let llm: ScriptedOpenAIServer
let app: RunningApp

before(async () => {
  llm = await startScriptedOpenAIServer()
  app = await startApp(temporaryIndexDirectory(), { LLM_PROVIDER: 'openai', LLM_BASE_URL: llm.baseUrl, LLM_MODEL: 'scripted', LLM_TIMEOUT_MS: '5000' })
})
after(async () => {
  await app.close()
  await llm.close()
})

test('llm mode streams citations, tokens in order, then done with the verified body', async () => {
  llm.script((body) => ({ kind: 'answer', content: `${passagesInPrompt(body).get(1)!.split('。')[0]}。[1]`, chunkSize: 3 }))
  const response = await postJson(`${app.url}/ask`, { question: QUESTION, stream: true })
  assert.equal(response.status, 200)
  assert.match(response.headers.get('content-type')!, /^text\/event-stream/)
  const events = await collectServerSentEvents(response)
  const names = events.map((event) => event.event)
  assert.equal(names[0], 'citations')
  assert.equal(names.at(-1), 'done')
  assert.ok(names.slice(1, -1).length > 1 && names.slice(1, -1).every((name) => name === 'token'))
  assert.deepEqual(Object.keys(events[0].data).sort(), ['citations', 'embedder', 'mode', 'standaloneQuestion'])
  assert.equal(events[0].data.mode, 'llm')
  const streamed = events.filter((event) => event.event === 'token').map((event) => event.data.text).join('')
  const done = events.at(-1)!.data
  assert.equal(streamed, done.answer)
  assert.equal(done.mode, 'llm')
  assert.equal(done.answerable, true)
  assert.ok(Array.isArray(done.segments))
  assert.ok(done.timings.totalMs >= 0)
  assert.deepEqual(done.citations, events[0].data.citations)
  assertCitationsIntact(app.citeqa, done.citations)
})

test('extractive mode streams too, its answer in one token; Accept: text/event-stream also streams', async () => {
  const response = await postJson(`${app.url}/ask`, { question: QUESTION, mode: 'extractive' }, { accept: 'text/event-stream' })
  const events = await collectServerSentEvents(response)
  assert.deepEqual(
    events.map((event) => event.event),
    ['citations', 'token', 'done'],
  )
  assert.equal(events[1].data.text, events[2].data.answer)
  assert.equal(events[2].data.mode, 'extractive')
  assert.deepEqual(events[0].data.citations, events[2].data.citations)
  assertCitationsIntact(app.citeqa, events[2].data.citations)
})

test('validation errors come before the stream as plain JSON', async () => {
  const response = await postJson(`${app.url}/ask`, { question: '', stream: true })
  assert.equal(response.status, 400)
  assert.match(response.headers.get('content-type')!, /application\/json/)
  assert.equal((await response.json()).error.code, 'invalid_request')
  const tooLong = await postJson(`${app.url}/ask`, { question: QUESTION, history: Array.from({ length: 21 }, () => ({ role: 'user', content: 'x' })) })
  assert.equal(tooLong.status, 400)
})

test('a client that disconnects cancels the LLM call', async () => {
  llm.script({ kind: 'hang' })
  const controller = new AbortController()
  const streaming = await fetch(`${app.url}/ask`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ question: QUESTION, stream: true }),
    signal: controller.signal,
  })
  const seen: string[] = []
  for await (const event of readServerSentEvents(streaming)) {
    seen.push(event.event)
    if (event.event === 'token') break
  }
  assert.deepEqual(seen, ['citations', 'token'])
  controller.abort()
  const aborted = await Promise.race([llm.requests.at(-1)!.aborted, new Promise((resolve) => setTimeout(() => resolve('still open'), 2000))])
  assert.equal(aborted, true)
})
