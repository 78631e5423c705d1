import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { passagesInPrompt, startScriptedOpenAIServer, type ChatCompletionRequest, type ScriptedOpenAIServer } from '../fixtures/scripted-openai-server.ts'
import { assertCitationsIntact, postJson, startApp, temporaryIndexDirectory, type RunningApp } from './test-app.ts'

const QUESTION = 'How much was invested in the Zhangjiaba water plant?'
let llm: ScriptedOpenAIServer
let app: RunningApp

before(async () => {
  llm = await startScriptedOpenAIServer()
  app = await startApp(temporaryIndexDirectory(), { LLM_PROVIDER: 'openai', LLM_BASE_URL: llm.baseUrl, LLM_MODEL: 'scripted', LLM_MAX_RETRIES: '0' })
})
after(async () => {
  await app.close()
  await llm.close()
})

/** The model's English answer, citing the prompt's passage about the Zhangjiaba water plant. */
function answerInEnglish(amount: string) {
  return (body: ChatCompletionRequest) => {
    const passage = [...passagesInPrompt(body)].find(([, text]) => text.includes('张家坝'))
    assert.ok(passage, 'the water-plant passage is among those given to the model')
    return { kind: 'answer' as const, content: `The town invested ${amount} yuan to expand and upgrade the Zhangjiaba water plant [${passage[0]}].` }
  }
}

async function ask() {
  const response = await postJson(`${app.url}/ask`, { question: QUESTION, mode: 'llm' })
  assert.equal(response.status, 200)
  const result = await response.json()
  assert.equal(result.mode, 'llm')
  assert.equal(result.degraded, undefined)
  assertCitationsIntact(app.citeqa, result.citations)
  return result
}

test('an English answer citing the Chinese passage is supported and answerable', async () => {
  llm.script(answerInEnglish('8.77 million'))
  const result = await ask()
  assert.equal(result.answerable, true)
  assert.equal(result.segments.length, 1)
  const [segment] = result.segments
  assert.equal(segment.supported, true)
  assert.ok(segment.score >= 0.4, `score ${segment.score}`)
  assert.match(result.citations.find((citation: { n: number }) => citation.n === segment.cites[0]).text, /投资877万元对张家坝水厂/)
  assert.match(result.answer, /^The town invested 8\.77 million yuan .*\[\d\]$/)
})

test('the same amount written out in full is supported too', async () => {
  llm.script(answerInEnglish('8,770,000'))
  assert.equal((await ask()).answerable, true)
})

test('an English answer with a number the passage does not hold is unsupported and not answerable', async () => {
  llm.script(answerInEnglish('9.77 million'))
  const result = await ask()
  assert.equal(result.answerable, false)
  assert.deepEqual(
    result.segments.map(({ supported, score }: { supported: boolean; score: number }) => ({ supported, score })),
    [{ supported: false, score: 0 }],
  )
})
