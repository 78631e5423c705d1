import assert from 'node:assert/strict'
import { PassThrough } from 'node:stream'
import { after, before, test } from 'node:test'
import { createCiteqa, type Citeqa } from '../../src/citeqa.ts'
import { parseConfig } from '../../src/config.ts'
import { createLogger, silentLogger } from '../../src/logger.ts'
import { createApp } from '../../src/server/app.ts'
import { reasonCode } from '../../src/server/metrics.ts'
import { startScriptedOpenAIServer, type ScriptedOpenAIServer } from '../fixtures/scripted-openai-server.ts'
import { temporaryIndexDirectory } from '../llm/test-app.ts'
import type { AddressInfo } from 'node:net'
import type { Server } from 'node:http'

const QUESTION = '乡镇党委书记要强化哪两个责任？'
let llm: ScriptedOpenAIServer
let citeqa: Citeqa
let server: Server
let baseUrl: string
const logLines: Record<string, unknown>[] = []
const logWaiters: { matches: (line: Record<string, unknown>) => boolean; resolve: () => void }[] = []

/** Resolves once a log line matching `matches` has been written (at once if one has). */
function whenLogged(matches: (line: Record<string, unknown>) => boolean): Promise<void> {
  if (logLines.some(matches)) return Promise.resolve()
  return new Promise((resolve) => logWaiters.push({ matches, resolve }))
}

before(async () => {
  llm = await startScriptedOpenAIServer()
  citeqa = await createCiteqa(
    parseConfig({ EMBEDDINGS: 'offline', LOG_LEVEL: 'silent', INDEX_DIR: temporaryIndexDirectory(), LLM_PROVIDER: 'openai', LLM_BASE_URL: llm.baseUrl, LLM_MODEL: 'scripted', LLM_TIMEOUT_MS: '2000', LLM_MAX_RETRIES: '0' }),
    { logger: silentLogger },
  )
  // The real logger, writing JSON lines into the test.
  const stream = new PassThrough()
  stream.on('data', (chunk: Buffer) => {
    for (const text of chunk.toString('utf8').split('\n')) {
      if (!text.trim()) continue
      const line = JSON.parse(text) as Record<string, unknown>
      logLines.push(line)
      for (const waiter of logWaiters.filter((waiter) => waiter.matches(line))) {
        logWaiters.splice(logWaiters.indexOf(waiter), 1)
        waiter.resolve()
      }
    }
  })
  const app = createApp({ citeqa, logger: createLogger('info', 'json', stream), maxQuestionLength: 2000 })
  server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening))
  })
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
after(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
  await llm.close()
})

function ask(body: object, headers: Record<string, string> = {}) {
  return fetch(`${baseUrl}/ask`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) })
}

async function metrics(): Promise<string> {
  const response = await fetch(`${baseUrl}/metrics`)
  assert.equal(response.status, 200)
  assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/)
  return response.text()
}

/** The value of one sample line, e.g. `citeqa_answers_total{mode="extractive",scope="passage"}`. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`)
  for (const line of text.split('\n')) {
    const match = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line)
    if (!match || match[1] !== name) continue
    const present = (match[2] ?? '').split(/,(?=[a-z_]+=)/)
    if (wanted.every((label) => present.includes(label))) return Number(match[3])
  }
  return 0
}

test('GET /metrics counts requests by route and status, answers by mode, refusals and /ask latency', async () => {
  const before = await metrics()
  assert.equal((await ask({ question: '维修了多少公里沟渠?', mode: 'extractive' })).status, 200)
  assert.equal((await ask({ question: '神山镇的常住人口有多少?', mode: 'extractive' })).status, 200)
  assert.equal((await ask({ question: '' })).status, 400)
  assert.equal((await fetch(`${baseUrl}/passages/999`)).status, 404)
  assert.equal((await fetch(`${baseUrl}/no/such/route`)).status, 404)
  const after = await metrics()
  const delta = (name: string, labels: Record<string, string>) => sample(after, name, labels) - sample(before, name, labels)

  assert.equal(delta('citeqa_http_requests_total', { route: '/ask', method: 'POST', status: '200' }), 2)
  assert.equal(delta('citeqa_http_requests_total', { route: '/ask', method: 'POST', status: '400' }), 1)
  assert.equal(delta('citeqa_http_requests_total', { route: '/passages/:paragraph', method: 'GET', status: '404' }), 1)
  assert.equal(delta('citeqa_http_requests_total', { route: 'unmatched', method: 'GET', status: '404' }), 1)
  assert.doesNotMatch(after, /\/passages\/999|\/no\/such/, 'no client path becomes a label')
  assert.equal(delta('citeqa_answers_total', { mode: 'extractive', scope: 'passage' }), 2)
  assert.equal(delta('citeqa_refusals_total', { mode: 'extractive' }), 1)
  assert.equal(delta('citeqa_ask_duration_seconds_count', { route: '/ask', mode: 'extractive' }), 2)
  assert.ok(sample(after, 'citeqa_ask_duration_seconds_bucket', { route: '/ask', mode: 'extractive', le: '+Inf' }) >= 2)
  assert.ok(sample(after, 'process_resident_memory_bytes') > 0, "Node's process metrics are there")
  assert.match(after, /# TYPE citeqa_llm_calls_active gauge/)
})

test('LLM fallbacks are counted by reason, and tokens when the provider reports them', async () => {
  const before = await metrics()
  // A non-streamed answer: the scripted server reports 1 prompt and 1 completion token.
  llm.script({ kind: 'answer', content: '乡镇党委书记要强化抓班子、带队伍的责任。[1]' })
  const good = await (await ask({ question: QUESTION, mode: 'llm' })).json()
  assert.equal(good.mode, 'llm')
  llm.script({ kind: 'status', status: 400 })
  const degraded = await (await ask({ question: QUESTION, mode: 'llm' })).json()
  assert.equal(degraded.degraded, true)
  const after = await metrics()
  const delta = (name: string, labels: Record<string, string>) => sample(after, name, labels) - sample(before, name, labels)
  assert.equal(delta('citeqa_llm_fallbacks_total', { reason: 'llm_http_400' }), 1)
  assert.equal(delta('citeqa_answers_total', { mode: 'llm', scope: 'passage' }), 1)
  assert.equal(delta('citeqa_llm_tokens_total', { kind: 'prompt' }), 1)
  assert.equal(delta('citeqa_llm_tokens_total', { kind: 'completion' }), 1)
  assert.equal(reasonCode('llm_busy: LLM: all 4 calls are in use'), 'llm_busy')
})

test('every response has an X-Request-Id, and every log line of the request carries it', async () => {
  const first = await ask({ question: '维修了多少公里沟渠?' })
  const id = first.headers.get('x-request-id')
  assert.match(id ?? '', /^[0-9a-f-]{36}$/)
  assert.notEqual((await fetch(`${baseUrl}/health`)).headers.get('x-request-id'), id)
  // A caller's (or proxy's) plain id is kept; anything else is replaced.
  assert.equal((await fetch(`${baseUrl}/health`, { headers: { 'x-request-id': 'edge-42.a' } })).headers.get('x-request-id'), 'edge-42.a')
  for (const offered of ['a b', '<script>', 'x'.repeat(200)]) {
    assert.match((await fetch(`${baseUrl}/health`, { headers: { 'x-request-id': offered } })).headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/, offered)
  }

  // An LLM failure logs a warning deep in the pipeline; it and the request line carry the id.
  llm.script({ kind: 'status', status: 400 })
  const failed = await ask({ question: QUESTION, mode: 'llm' })
  const failedId = failed.headers.get('x-request-id')
  await failed.json()
  // The request line is written when the response has finished, which the client may see first.
  await whenLogged((line) => line.requestId === failedId && line.msg === 'request')
  const lines = logLines.filter((line) => line.requestId === failedId)
  assert.ok(lines.some((line) => line.level === 40 && /LLM answer failed/.test(String(line.msg))), 'the warning carries the request id')
  const requestLine = lines.find((line) => line.msg === 'request')
  assert.deepEqual({ method: requestLine?.method, path: requestLine?.path, status: requestLine?.status }, { method: 'POST', path: '/ask', status: 200 })
  assert.ok(logLines.filter((line) => line.msg === 'request').every((line) => typeof line.requestId === 'string'), 'every request line has an id')
  assert.ok(!logLines.some((line) => JSON.stringify(line).includes(QUESTION)), 'questions are not logged')
})
