import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { passagesInPrompt, startScriptedOpenAIServer, type ChatCompletionRequest, type ScriptedOpenAIServer } from '../fixtures/scripted-openai-server.ts'
import { assertCitationsIntact, collectServerSentEvents, postJson, startApp, temporaryIndexDirectory, type RunningApp } from './test-app.ts'

const QUESTION = '乡镇党委书记要强化哪两个责任？'
let llm: ScriptedOpenAIServer
let app: RunningApp
const indexDirectory = temporaryIndexDirectory()

before(async () => {
  llm = await startScriptedOpenAIServer()
  app = await startApp(indexDirectory, { LLM_PROVIDER: 'openai', LLM_BASE_URL: llm.baseUrl, LLM_MODEL: 'scripted', LLM_TIMEOUT_MS: '400', LLM_MAX_RETRIES: '2' })
})
after(async () => {
  await app.close()
  await llm.close()
})

/** The first sentence of passage n of the prompt, cited with `marker`. */
function citePassage(n: number, marker = `[${n}]`) {
  return (body: ChatCompletionRequest) => ({ kind: 'answer' as const, content: `${passagesInPrompt(body).get(n)!.split('。')[0]}。${marker}` })
}

async function ask(body: object) {
  const requestsBefore = llm.requests.length
  const response = await postJson(`${app.url}/ask`, { question: QUESTION, mode: 'llm', ...body })
  assert.equal(response.status, 200)
  const result = await response.json()
  assertCitationsIntact(app.citeqa, result.citations)
  return { result, llmRequests: llm.requests.length - requestsBefore }
}

test('the default mode is llm when a provider is configured; a good answer keeps its citations', async () => {
  llm.script(citePassage(1))
  const response = await postJson(`${app.url}/ask`, { question: QUESTION })
  const result = await response.json()
  assert.equal(result.mode, 'llm')
  assert.equal(result.answerable, true)
  assert.equal(result.degraded, undefined)
  assert.equal(result.citations.length, 5)
  assert.deepEqual(result.segments[0].cites, [1])
  assert.equal(result.segments[0].supported, true)
  assert.match(result.answer, /\[1\]$/)
  assert.equal(result.standaloneQuestion, QUESTION)
  assertCitationsIntact(app.citeqa, result.citations)
  const prompt = llm.requests.at(-1)!.body.messages.map((message) => message.content).join('\n')
  assert.match(prompt, /\[1\] /)
  assert.match(prompt, new RegExp(QUESTION))
})

test('a marker to a passage that was not given is removed', async () => {
  llm.script(citePassage(2, '[2][9]'))
  const { result } = await ask({})
  assert.doesNotMatch(result.answer, /\[9\]/)
  assert.deepEqual(result.segments[0].cites, [2])
  assert.equal(result.answerable, true)
})

test('an answer without markers is attached to its best-supporting passage', async () => {
  llm.script(citePassage(3, ''))
  const { result } = await ask({})
  assert.deepEqual(result.segments[0].cites, [3])
  assert.equal(result.segments[0].supported, true)
})

test('an answer no passage supports is not answerable (and not degraded)', async () => {
  llm.script({ kind: 'answer', content: '明天北京有大雨，气温下降十度。' })
  const { result } = await ask({})
  assert.equal(result.mode, 'llm')
  assert.equal(result.answerable, false)
  assert.equal(result.degraded, undefined)
})

test('a reply slower than the timeout falls back to the extractive answer after the retries', async () => {
  llm.script(...Array.from({ length: 3 }, () => ({ kind: 'answer' as const, content: '太慢了。', delayMs: 1000 })))
  const { result, llmRequests } = await ask({})
  assert.equal(result.degraded, true)
  assert.match(result.reason, /^llm_timeout/)
  assert.equal(result.mode, 'extractive')
  assert.equal(llmRequests, 3)
})

test('500s are retried up to the cap, with backoff, then the answer degrades to the extractive one', async () => {
  llm.script(...Array.from({ length: 3 }, () => ({ kind: 'status' as const, status: 500 })))
  const { result, llmRequests } = await ask({})
  assert.equal(result.degraded, true)
  assert.match(result.reason, /^llm_http_500/)
  // The first call and LLM_MAX_RETRIES (2) retries of the same prompt, each after a longer wait
  // (250 ms, then 500 ms, each ±25%: never under 187 and 375 ms).
  assert.equal(llmRequests, 3)
  const attempts = llm.requests.slice(-3)
  assert.ok(attempts.every((attempt) => JSON.stringify(attempt.body) === JSON.stringify(attempts[0].body)), 'the same request, retried')
  const waits = [attempts[1].receivedAt - attempts[0].receivedAt, attempts[2].receivedAt - attempts[1].receivedAt]
  assert.ok(waits[0] >= 180 && waits[1] >= 360, `waits between attempts: ${waits.map((wait) => wait.toFixed(0)).join(', ')} ms`)
  // The answer is the extractive answerer's: sentences of the article, each followed by the marker of the passage it is, naming the responsibilities.
  assert.equal(result.mode, 'extractive')
  assert.equal(result.answerable, true)
  assert.ok(result.citations.length > 0)
  const sentences = (result.citations as { n: number; text: string }[]).map(({ n, text }) => `${text}[${n}]`)
  assert.equal(result.answer, sentences.join(''))
  assert.match(result.answer, /抓班子、带队伍/)
})

test('429 then success: retried once, not degraded', async () => {
  llm.script({ kind: 'status', status: 429, headers: { 'retry-after-ms': '20' } }, citePassage(1))
  const { result, llmRequests } = await ask({})
  assert.equal(llmRequests, 2)
  assert.equal(result.degraded, undefined)
  assert.equal(result.mode, 'llm')
})

test('a 400 is not retried', async () => {
  llm.script({ kind: 'status', status: 400 })
  const { result, llmRequests } = await ask({})
  assert.equal(llmRequests, 1)
  assert.match(result.reason, /^llm_http_400/)
})

test('malformed JSON degrades', async () => {
  llm.script({ kind: 'malformed' })
  const { result, llmRequests } = await ask({})
  assert.equal(llmRequests, 1)
  assert.equal(result.degraded, true)
  assert.match(result.reason, /^llm_malformed_output/)
  assert.equal(result.mode, 'extractive')
})

test('empty output degrades', async () => {
  llm.script({ kind: 'answer', content: '' })
  const { result } = await ask({})
  assert.equal(result.degraded, true)
  assert.match(result.reason, /^llm_empty_output/)
})

test('a stream cut mid-way ends with the extractive answer in done', async () => {
  llm.script((body) => ({ kind: 'cut', content: `${passagesInPrompt(body).get(1)}[1]`, chunks: 2 }))
  const response = await postJson(`${app.url}/ask`, { question: QUESTION, mode: 'llm', stream: true })
  assert.equal(response.status, 200)
  const events = await collectServerSentEvents(response)
  assert.equal(events[0].event, 'citations')
  assert.ok(events.some((event) => event.event === 'token'))
  const done = events.at(-1)!
  assert.equal(done.event, 'done')
  assert.equal(done.data.degraded, true)
  assert.equal(done.data.mode, 'extractive')
  assertCitationsIntact(app.citeqa, done.data.citations)
})

test('a follow-up is condensed by the model before retrieval', async () => {
  const standalone = '乡镇党委书记要树立什么意识？'
  llm.script({ kind: 'answer', content: standalone }, citePassage(1))
  const { result } = await ask({ question: '那第一条呢？', history: [{ role: 'user', content: QUESTION }, { role: 'assistant', content: '抓班子、带队伍。' }] })
  assert.equal(result.standaloneQuestion, standalone)
  assert.equal(result.mode, 'llm')
  const condenseRequest = llm.requests.at(-2)!.body.messages.map((message) => message.content).join('\n')
  assert.match(condenseRequest, /那第一条呢/)
  assert.match(condenseRequest, /抓班子、带队伍/)
})

test('a follow-up pointing back (它) is condensed too', async () => {
  const standalone = '乡镇党委书记要强化的两个责任具体是什么？'
  llm.script({ kind: 'answer', content: standalone }, citePassage(1))
  const { result, llmRequests } = await ask({ question: '它具体是什么？', history: [{ role: 'user', content: QUESTION }, { role: 'assistant', content: '抓班子、带队伍。' }] })
  assert.equal(llmRequests, 2)
  assert.match(llm.requests.at(-2)!.body.messages.map((message) => message.content).join('\n'), /<conversation>[\s\S]*Follow-up question: 它具体是什么？/)
  assert.equal(result.standaloneQuestion, standalone)
})

test('a complete question after a conversation is not condensed: the model is asked it as asked', async () => {
  const question = '乡镇党委书记要树立什么意识？'
  llm.script(citePassage(1))
  const { result, llmRequests } = await ask({ question, history: [{ role: 'user', content: QUESTION }, { role: 'assistant', content: '抓班子、带队伍。' }] })
  assert.equal(llmRequests, 1, 'no condense call, only the answer')
  const prompt = llm.requests.at(-1)!.body.messages.map((message) => message.content).join('\n')
  assert.doesNotMatch(prompt, /<conversation>|Follow-up question/)
  assert.doesNotMatch(prompt, /强化哪两个责任/, 'the earlier question does not reach the model')
  assert.match(prompt, new RegExp(`Question: ${question}`))
  assert.equal(result.standaloneQuestion, question)
  assert.equal(result.mode, 'llm')
  assert.equal(result.timings.condenseMs, undefined)
})

test('an unreachable server and an unconfigured provider both answer extractively', async () => {
  const refused = await startApp(indexDirectory, { LLM_PROVIDER: 'openai', LLM_BASE_URL: 'http://127.0.0.1:9/v1', LLM_MODEL: 'x', LLM_MAX_RETRIES: '0' })
  const none = await startApp(indexDirectory)
  try {
    const refusedResult = await (await postJson(`${refused.url}/ask`, { question: QUESTION })).json()
    assert.equal(refusedResult.degraded, true)
    assert.match(refusedResult.reason, /^llm_unreachable/)
    const noneResult = await (await postJson(`${none.url}/ask`, { question: QUESTION, mode: 'llm' })).json()
    assert.equal(noneResult.degraded, true)
    assert.match(noneResult.reason, /^llm_not_configured/)
    const defaultResult = await (await postJson(`${none.url}/ask`, { question: QUESTION })).json()
    assert.equal(defaultResult.mode, 'extractive')
    assert.equal(defaultResult.degraded, undefined)
  } finally {
    await refused.close()
    await none.close()
  }
})

test('extractive follow-ups: an elliptical one carries the previous question, a complete one is answered as asked', async () => {
  const history = [{ role: 'user', content: QUESTION }, { role: 'assistant', content: '抓班子、带队伍。' }]
  const { result } = await ask({ mode: 'extractive', question: '具体呢？', history })
  assert.equal(result.standaloneQuestion, `${QUESTION} 具体呢？`)
  assert.equal(result.mode, 'extractive')
  // A new subject takes the old one's place in the previous question's frame.
  const { result: newSubject } = await ask({ mode: 'extractive', question: '那村党支部书记呢？', history })
  assert.equal(newSubject.standaloneQuestion, '“村党支部书记”要强化哪两个责任？')
  // A complete question is not read with the conversation: the same answer as without it.
  const complete = '乡镇党委书记要树立什么意识？'
  const { result: withHistory } = await ask({ mode: 'extractive', question: complete, history })
  const { result: alone } = await ask({ mode: 'extractive', question: complete })
  assert.equal(withHistory.standaloneQuestion, complete)
  assert.equal(withHistory.answer, alone.answer)
  assert.deepEqual(withHistory.citations, alone.citations)
})
