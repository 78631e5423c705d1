import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import OpenAI from 'openai'
import { passagesInPrompt, startScriptedOpenAIServer, type ChatCompletionRequest, type ScriptedOpenAIServer } from '../fixtures/scripted-openai-server.ts'
import { assertCitationsIntact, startApp, temporaryIndexDirectory, type RunningApp } from '../llm/test-app.ts'

const QUESTION = '乡镇党委书记要强化哪两个责任？'
let llm: ScriptedOpenAIServer
let app: RunningApp
let client: OpenAI

before(async () => {
  llm = await startScriptedOpenAIServer()
  app = await startApp(temporaryIndexDirectory(), { LLM_PROVIDER: 'openai', LLM_BASE_URL: llm.baseUrl, LLM_MODEL: 'scripted', LLM_TIMEOUT_MS: '5000' })
  client = new OpenAI({ baseURL: `${app.url}/v1`, apiKey: 'unused', maxRetries: 0 })
})
after(async () => {
  await app.close()
  await llm.close()
})

test('GET /v1/models lists the citeqa models', async () => {
  const models = await client.models.list()
  assert.deepEqual(
    models.data.map((model) => model.id),
    ['citeqa', 'citeqa-llm', 'citeqa-extractive'],
  )
})

test('non-streaming completion carries the answer, a sources list and the citations', async () => {
  llm.script((body) => ({ kind: 'answer', content: `${passagesInPrompt(body).get(1)!.split('。')[0]}。[1]` }))
  const completion = await client.chat.completions.create({ model: 'citeqa', messages: [{ role: 'user', content: QUESTION }] })
  const content = completion.choices[0].message.content!
  assert.match(content, /\[1\]/)
  assert.match(content, /来源：\n\[1\] 第\d+段/)
  const extra = completion as unknown as { citations: any[]; citeqa: { mode: string; segments: unknown[] } }
  assert.equal(extra.citations.length, 5)
  assert.equal(extra.citeqa.mode, 'llm')
  assertCitationsIntact(app.citeqa, extra.citations)
})

test('streaming completion: deltas add up to the answer, the last chunk carries the citations', async () => {
  const stream = await client.chat.completions.create({
    model: 'citeqa-extractive',
    stream: true,
    messages: [
      { role: 'system', content: 'ignored' },
      { role: 'user', content: QUESTION },
    ],
  })
  let content = ''
  let last: any
  for await (const chunk of stream) {
    content += chunk.choices[0]?.delta?.content ?? ''
    last = chunk
  }
  assert.equal(last.choices[0].finish_reason, 'stop')
  assert.ok(last.citations.length > 0)
  assert.equal(last.citeqa.mode, 'extractive')
  assert.ok(content.startsWith(last.citations.map((citation: { text: string; n: number }) => `${citation.text}[${citation.n}]`).join('')))
  assert.match(content, /来源：/)
  assertCitationsIntact(app.citeqa, last.citations)
})

test('earlier messages become the history; an unknown model is a 404', async () => {
  const completion = await client.chat.completions.create({
    model: 'citeqa-extractive',
    messages: [
      { role: 'user', content: QUESTION },
      { role: 'assistant', content: '抓班子、带队伍。' },
      { role: 'user', content: '具体呢？' },
    ],
  })
  assert.equal((completion as unknown as { citeqa: { standaloneQuestion: string } }).citeqa.standaloneQuestion, `${QUESTION} 具体呢？`)
  await assert.rejects(client.chat.completions.create({ model: 'gpt-4', messages: [{ role: 'user', content: QUESTION }] }), (error: { status?: number }) => error.status === 404)
})

test('earlier messages condense an elliptical question only: a complete one goes to the model as asked', async () => {
  const conversation = [
    { role: 'user' as const, content: QUESTION },
    { role: 'assistant' as const, content: '抓班子、带队伍。' },
  ]
  const citeFirst = (body: ChatCompletionRequest) => ({ kind: 'answer' as const, content: `${passagesInPrompt(body).get(1)!.split('。')[0]}。[1]` })
  const standaloneOf = (completion: unknown) => (completion as { citeqa: { standaloneQuestion: string } }).citeqa.standaloneQuestion

  const condensed = '村党支部书记要强化哪两个责任？'
  llm.script({ kind: 'answer', content: condensed }, citeFirst)
  let requestsBefore = llm.requests.length
  const elliptical = await client.chat.completions.create({ model: 'citeqa-llm', messages: [...conversation, { role: 'user', content: '那村党支部书记呢？' }] })
  assert.equal(llm.requests.length - requestsBefore, 2, 'the condense call, then the answer')
  assert.match(llm.requests[requestsBefore].body.messages.at(-1)!.content, /<conversation>[\s\S]*Follow-up question: 那村党支部书记呢？/)
  assert.equal(standaloneOf(elliptical), condensed)

  const complete = '乡镇党委书记要树立什么意识？'
  llm.script(citeFirst)
  requestsBefore = llm.requests.length
  const asked = await client.chat.completions.create({ model: 'citeqa-llm', messages: [...conversation, { role: 'user', content: complete }] })
  assert.equal(llm.requests.length - requestsBefore, 1, 'no condense call, only the answer')
  assert.doesNotMatch(llm.requests[requestsBefore].body.messages.map((message) => message.content).join('\n'), /<conversation>|强化哪两个责任/)
  assert.equal(standaloneOf(asked), complete)
  assert.match(asked.choices[0].message.content!, /\[1\]/)
})
