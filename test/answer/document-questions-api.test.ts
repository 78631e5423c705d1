import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { startScriptedOpenAIServer, type ScriptedOpenAIServer } from '../fixtures/scripted-openai-server.ts'
import { createOfflineCiteqa, startServer } from '../helpers/offline-citeqa.ts'

let llm: ScriptedOpenAIServer
let server: Awaited<ReturnType<typeof startServer>>

before(async () => {
  llm = await startScriptedOpenAIServer()
  const citeqa = await createOfflineCiteqa({ LLM_PROVIDER: 'openai', LLM_BASE_URL: llm.baseUrl, LLM_MODEL: 'scripted' })
  server = await startServer(citeqa)
})
after(async () => {
  await server.close()
  await llm.close()
})

async function ask(body: unknown) {
  const response = await fetch(`${server.baseUrl}/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  return { status: response.status, body: await response.json() }
}

test('POST /ask: who wrote the article is answered from its byline, in both modes, without the LLM', async () => {
  for (const mode of ['extractive', 'llm']) {
    const { status, body } = await ask({ question: '这篇文章的作者是谁?', mode })
    assert.equal(status, 200)
    assert.deepEqual([body.answer, body.answerable, body.mode], ['作者:赤壁市神山镇党委书记杨赤明[1]', true, 'extractive'], mode)
    assert.equal(body.citations.length, 1)
    const [citation] = body.citations
    assert.deepEqual([citation.docId, citation.paragraph, citation.text], ['article', 24, '赤壁市神山镇党委书记杨赤明'])
    const paragraph = await (await fetch(`${server.baseUrl}/passages/${citation.paragraph}`)).json()
    assert.equal(paragraph.text.slice(citation.start, citation.end), citation.text)
  }
  const english = await ask({ question: 'Who wrote the article?' })
  assert.equal(english.body.answer, 'The author is 赤壁市神山镇党委书记杨赤明 [1].')
  assert.equal(llm.requests.length, 0, 'the chat model was never asked')
})

test('GET /article and GET /health show the documents\' metadata', async () => {
  const article = await (await fetch(`${server.baseUrl}/article`)).json()
  assert.deepEqual(
    (({ title, author, source, date }) => ({ title, author, source, date }))(article.documents[0]),
    { title: null, author: { value: '赤壁市神山镇党委书记杨赤明', paragraph: 24, start: 163, end: 176 }, source: null, date: null },
  )
  const health = await (await fetch(`${server.baseUrl}/health`)).json()
  assert.deepEqual(health.documents, [{ id: 'article', paragraphs: 24, title: null }])
})
