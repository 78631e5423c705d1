import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { startScriptedOpenAIServer, type ScriptedOpenAIServer } from '../fixtures/scripted-openai-server.ts'
import { assertCitationsIntact, postJson, startApp, temporaryIndexDirectory, type RunningApp } from '../llm/test-app.ts'

// POST /ask over a real server with an LLM configured (the scripted OpenAI-protocol server), so
// that "without calling the LLM" is checked where the model could be called; and over the
// multi-document set, for answers that must come from the document the question is about.
let llm: ScriptedOpenAIServer
let app: RunningApp
let several: RunningApp

before(async () => {
  llm = await startScriptedOpenAIServer()
  app = await startApp(temporaryIndexDirectory(), { LLM_PROVIDER: 'openai', LLM_BASE_URL: llm.baseUrl, LLM_MODEL: 'scripted', LLM_MAX_RETRIES: '0' })
  several = await startApp(temporaryIndexDirectory(), { ARTICLE_PATH: 'data/qa/multidoc/docs' })
})
after(async () => {
  await app.close()
  await several.close()
  await llm.close()
})

async function ask(target: RunningApp, body: Record<string, unknown>) {
  const response = await postJson(`${target.url}/ask`, body)
  assert.equal(response.status, 200)
  return (await response.json()) as { answer: string; answerable: boolean; scope: string; citations: { docId: string; paragraph: number; text: string; start: number; end: number; n: number; section: string; score: number }[]; standaloneQuestion: string; mode: string }
}

test('small talk gets a short friendly chat reply in both modes, with no citation and no LLM call', async () => {
  for (const mode of ['extractive', 'llm'] as const) {
    for (const question of ['hello', '你好', 'ok thanks', 'Hi, who are you?']) {
      const body = await ask(app, { question, mode })
      assert.equal(body.scope, 'chat', `${question} (${mode})`)
      assert.equal(body.answerable, false)
      assert.deepEqual(body.citations, [])
      assert.match(body.answer, /乡镇党委书记要牢牢把握/, 'the reply names the document')
    }
  }
  assert.equal(llm.received, 0, 'the model was never asked')
})

test('a complete question after another is answered as asked, without asking the model to condense it', async () => {
  llm.setOtherwise(undefined)
  const history = [
    { role: 'user', content: '维修了多少公里沟渠?' },
    { role: 'assistant', content: '维修沟渠7公里[1]' },
  ]
  const body = await ask(app, { question: '作者是谁?', history, mode: 'extractive' })
  assert.equal(body.standaloneQuestion, '作者是谁?')
  assert.equal(body.answerable, true)
  assert.match(body.answer, /杨赤明/)
  assert.equal(body.citations[0].paragraph, 24)
  const elliptical = await ask(app, { question: '污水处理厂呢?', history: [{ role: 'user', content: '投资多少钱对张家坝水厂进行扩建升级?' }, { role: 'assistant', content: '投资877万元[1]' }], mode: 'extractive' })
  assert.match(elliptical.standaloneQuestion, /污水处理厂/)
  assert.match(elliptical.answer, /970万元/)
  assertCitationsIntact(app.citeqa, elliptical.citations as never)
})

test('with several documents, facts never cross: each answer cites the document whose subject is asked, a fact of another is refused', async () => {
  const population = await ask(several, { question: '青溪镇的常住人口有多少?' })
  assert.equal(population.answerable, true)
  assert.ok(population.citations.every((citation) => citation.docId === 'qingxi'))
  for (const trap of ['神山镇的常住人口有多少?', '南岭乡拆除了多少条渔船?', '杨赤明是哪一年出生的?']) {
    const body = await ask(several, { question: trap })
    assert.equal(body.answerable, false, trap)
    assert.deepEqual(body.citations, [])
  }
  const author = await ask(several, { question: '青溪镇那篇报告是谁写的?' })
  assert.match(author.answer, /周明远/)
  assert.equal(author.citations[0].docId, 'qingxi')
  const english = await ask(several, { question: 'Who wrote the report about Qingxi town?' })
  assert.match(english.answer, /周明远/)
})

test('a question asking for N things gets all N, each cited', async () => {
  const body = await ask(app, { question: '“三个到位”具体指哪三个?', mode: 'extractive' })
  for (const item of ['认识到位', '制度到位', '监督到位']) assert.match(body.answer, new RegExp(item))
  assert.equal(body.citations.length, 3)
  const abilities = await ask(app, { question: '乡镇党委书记应该具备哪三种政治能力?', mode: 'extractive' })
  for (const item of ['政治判断力', '政治领悟力', '政治执行力']) assert.match(abilities.answer, new RegExp(item))
})
