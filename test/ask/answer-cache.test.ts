import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { AnswerCache, DEFAULT_ANSWER_CACHE_SIZE } from '../../src/ask/answer-cache.ts'
import type { AnswerBody } from '../../src/ask/types.ts'
import type { Citeqa } from '../../src/citeqa.ts'
import { parseConfig } from '../../src/config.ts'
import { createOfflineCiteqa, startServer } from '../helpers/offline-citeqa.ts'
import { startScriptedOpenAIServer } from '../fixtures/scripted-openai-server.ts'
import { temporaryIndexDirectory } from '../llm/test-app.ts'

const indexDirectory = temporaryIndexDirectory()
let citeqa: Citeqa
let server: Awaited<ReturnType<typeof startServer>>

before(async () => {
  citeqa = await createOfflineCiteqa({ INDEX_DIR: indexDirectory })
  server = await startServer(citeqa)
})
after(() => server.close())

async function ask(body: unknown, baseUrl = server.baseUrl): Promise<AnswerBody> {
  const response = await fetch(`${baseUrl}/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  assert.equal(response.status, 200)
  return (await response.json()) as AnswerBody
}

/** The answer without what may differ between a computed and a cached one. */
function content({ timings: _timings, cached: _cached, ...rest }: AnswerBody) {
  return rest
}

test('a question asked again is answered from the cache, with the same answer and citations', async () => {
  const question = '全镇新型农业经营主体突破了多少家?'
  const first = await ask({ question })
  assert.equal(first.cached, undefined)
  assert.ok(first.answerable)
  const again = await ask({ question })
  assert.equal(again.cached, true)
  assert.deepEqual(content(again), content(first))
  // Its timings are its own: nothing was retrieved this time.
  assert.equal(again.timings.retrieveMs, 0)
  // Whole-document answers and refusals are kept too.
  for (const other of ['这篇文章讲了什么?', '神山镇的常住人口有多少?']) {
    const computed = await ask({ question: other })
    const repeated = await ask({ question: other })
    assert.deepEqual([computed.cached, repeated.cached], [undefined, true], other)
    assert.deepEqual(content(repeated), content(computed), other)
  }
})

test('the cache tells questions apart by topK, and keeps no follow-ups and no LLM requests', async () => {
  const question = '村里的便民服务室设有几个服务窗口?'
  await ask({ question, topK: 3 })
  assert.equal((await ask({ question, topK: 8 })).cached, undefined)
  assert.equal((await ask({ question, topK: 3 })).cached, true)

  const history = [
    { role: 'user', content: '全镇新型农业经营主体突破了多少家?' },
    { role: 'assistant', content: '全镇新型农业经营主体突破了200家。' },
  ]
  await ask({ question: '那家庭农场呢?', history })
  assert.equal((await ask({ question: '那家庭农场呢?', history })).cached, undefined)

  // No provider here: the LLM request falls back to the extractive answer every time, and is not kept.
  await ask({ question, mode: 'llm' })
  const llmAgain = await ask({ question, mode: 'llm' })
  assert.equal(llmAgain.cached, undefined)
  assert.equal(llmAgain.degraded, true)
})

test('a streamed question asked again gets the cached answer in its events', async () => {
  const question = '西凉湖周边拆除了多少平方米违法建筑?'
  const computed = await ask({ question })
  const response = await fetch(`${server.baseUrl}/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question, stream: true }) })
  const events = (await response.text()).split('\n\n').filter(Boolean)
  const named = (name: string) => JSON.parse(events.find((event) => event.startsWith(`event: ${name}\n`))!.split('\ndata: ')[1])
  assert.deepEqual(named('citations').citations, computed.citations)
  assert.equal(named('token').text, computed.answer)
  const done = named('done') as AnswerBody
  assert.equal(done.cached, true)
  assert.deepEqual(content(done), content(computed))
})

test('ANSWER_CACHE_SIZE=0 keeps no answer; the metrics count the cached ones', async () => {
  assert.equal(parseConfig({ ANSWER_CACHE_SIZE: '0' }).ANSWER_CACHE_SIZE, 0)
  assert.equal(parseConfig({}).ANSWER_CACHE_SIZE, 1000)
  // config.ts imports nothing of the ask pipeline (no import circle): its default and the cache's own are kept equal here.
  assert.equal(parseConfig({}).ANSWER_CACHE_SIZE, DEFAULT_ANSWER_CACHE_SIZE)
  assert.throws(() => parseConfig({ ANSWER_CACHE_SIZE: '-1' }))
  const uncached = await createOfflineCiteqa({ INDEX_DIR: indexDirectory, ANSWER_CACHE_SIZE: '0' })
  const uncachedServer = await startServer(uncached)
  try {
    const question = '全镇新型农业经营主体突破了多少家?'
    await ask({ question }, uncachedServer.baseUrl)
    assert.equal((await ask({ question }, uncachedServer.baseUrl)).cached, undefined)
    assert.equal(uncached.answerCache.size, 0)
  } finally {
    await uncachedServer.close()
  }
  const metrics = await (await fetch(`${server.baseUrl}/metrics`)).text()
  const cachedCount = Number(/^citeqa_answers_cached_total (\d+)$/m.exec(metrics)?.[1])
  assert.ok(cachedCount >= 5, `citeqa_answers_cached_total ${cachedCount}`)
})

test('beyond its size the cache lets the least recently used answer go', () => {
  const cache = new AnswerCache(2)
  const body = (answer: string) => ({ answer, standaloneQuestion: '', citations: [], timings: { retrieveMs: 0, answerMs: 0, totalMs: 0 } }) as unknown as AnswerBody
  cache.set({ question: 'a', topK: 5 }, body('A'))
  cache.set({ question: 'b', topK: 5 }, body('B'))
  assert.equal(cache.get({ question: 'a', topK: 5 })?.answer, 'A')
  cache.set({ question: 'c', topK: 5 }, body('C'))
  assert.equal(cache.get({ question: 'b', topK: 5 }), undefined)
  assert.deepEqual([cache.get({ question: 'a', topK: 5 })?.answer, cache.get({ question: 'c', topK: 5 })?.answer, cache.size], ['A', 'C', 2])
  assert.equal(new AnswerCache(0).size, 0)
})

test('the kept answers are bounded in characters too: long questions push the oldest out, and one too large is not kept', () => {
  const cache = new AnswerCache(1000, 120)
  const body = (answer: string) => ({ answer, standaloneQuestion: '', citations: [{ text: 'x'.repeat(10), section: '' }], timings: {} }) as unknown as AnswerBody
  cache.set({ question: 'q'.repeat(30), topK: 5 }, body('a'.repeat(10)))
  cache.set({ question: 'r'.repeat(30), topK: 5 }, body('b'.repeat(10)))
  assert.equal(cache.size, 2)
  // Each holds 52 characters (key, answer, cited text): a third passes 120, and the least recently used goes.
  cache.set({ question: 's'.repeat(30), topK: 5 }, body('c'.repeat(10)))
  assert.equal(cache.get({ question: 'q'.repeat(30), topK: 5 }), undefined)
  assert.equal(cache.get({ question: 's'.repeat(30), topK: 5 })?.answer, 'c'.repeat(10))
  cache.set({ question: 't'.repeat(200), topK: 5 }, body('d'))
  assert.equal(cache.get({ question: 't'.repeat(200), topK: 5 }), undefined)
})

test('with an LLM configured, its answers (the default mode) are never kept; extractive ones asked for by name are', async () => {
  const llm = await startScriptedOpenAIServer({ otherwise: () => ({ kind: 'answer', content: '全镇新型农业经营主体突破了200家。[1]' }) })
  const withLlm = await createOfflineCiteqa({ INDEX_DIR: indexDirectory, LLM_PROVIDER: 'openai', LLM_BASE_URL: llm.baseUrl, LLM_MODEL: 'scripted', LLM_MAX_RETRIES: '0' })
  const withLlmServer = await startServer(withLlm)
  try {
    const question = '全镇新型农业经营主体突破了多少家?'
    const first = await ask({ question }, withLlmServer.baseUrl)
    const second = await ask({ question }, withLlmServer.baseUrl)
    assert.deepEqual([first.mode, second.mode, second.cached], ['llm', 'llm', undefined])
    assert.equal(llm.received, 2, 'each LLM answer was asked of the model')
    await ask({ question, mode: 'extractive' }, withLlmServer.baseUrl)
    const extractive = await ask({ question, mode: 'extractive' }, withLlmServer.baseUrl)
    assert.deepEqual([extractive.mode, extractive.cached], ['extractive', true])
    assert.equal(llm.received, 2)
  } finally {
    await withLlmServer.close()
    await llm.close()
  }
})
