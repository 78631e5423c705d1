import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import OpenAI from 'openai'
import { passagesInPrompt, startScriptedOpenAIServer, type ScriptedOpenAIServer } from '../fixtures/scripted-openai-server.ts'
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
      { role: 'user', content: '具体是什么？' },
    ],
  })
  assert.equal((completion as unknown as { citeqa: { standaloneQuestion: string } }).citeqa.standaloneQuestion, `${QUESTION} 具体是什么？`)
  await assert.rejects(client.chat.completions.create({ model: 'gpt-4', messages: [{ role: 'user', content: QUESTION }] }), (error: { status?: number }) => error.status === 404)
})
