import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { after, before, test } from 'node:test'
import type { Citeqa } from '../../src/citeqa.ts'
import { INDEX_FORMAT_VERSION } from '../../src/retrieval/index-manifest.ts'
import { createOfflineCiteqa, startServer } from '../helpers/offline-citeqa.ts'

let citeqa: Citeqa
let server: Awaited<ReturnType<typeof startServer>>

before(async () => {
  citeqa = await createOfflineCiteqa()
  server = await startServer(citeqa)
})
after(() => server.close())

async function post(path: string, body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) {
  const response = await fetch(server.baseUrl + path, { method: 'POST', headers, body })
  return { status: response.status, body: await response.json() }
}

const ask = (body: unknown) => post('/ask', JSON.stringify(body))

test('POST /ask answers with cited, verbatim passages and the documented fields', async () => {
  const { status, body } = await ask({ question: '维修了多少公里沟渠?' })
  assert.equal(status, 200)
  assert.equal(body.answerable, true)
  assert.equal(body.mode, 'extractive')
  assert.equal(body.embedder, 'offline-hashing-v1:1024')
  assert.match(body.answer, /7公里/)
  assert.match(body.answer, /\[1\]/)
  assert.equal(body.citations[0].n, 1)
  assert.equal(body.citations[0].docId, 'article')
  assert.equal(body.citations[0].paragraph, 21)
  assert.equal(body.citations[0].section, '五、践行五大发展理念 › 2、要坚持协调发展')
  for (const key of ['retrieveMs', 'answerMs', 'totalMs']) assert.equal(typeof body.timings[key], 'number')
  for (const key of ['start', 'end', 'score']) assert.equal(typeof body.citations[0][key], 'number')
})

test('every [n] marker points into citations, and every citation is the paragraph sliced at its offsets', async () => {
  const questions = (await readFile('data/qa/dev.jsonl', 'utf8')).trim().split('\n').map((line) => JSON.parse(line).question as string)
  for (const question of [...questions, 'How many households completed the toilet renovation?']) {
    const { body } = await ask({ question, topK: 8 })
    const numbers = new Set(body.citations.map((citation: { n: number }) => citation.n))
    for (const [, n] of body.answer.matchAll(/\[(\d+)\]/g)) assert.ok(numbers.has(Number(n)), `[${n}] in "${body.answer}" has a citation`)
    for (const citation of body.citations) {
      const paragraph = await (await fetch(`${server.baseUrl}/passages/${citation.paragraph}`)).json()
      assert.equal(paragraph.text.slice(citation.start, citation.end), citation.text, question)
    }
  }
})

test('questions the article does not answer are refused in the question language', async () => {
  const chinese = await ask({ question: '神山镇的常住人口有多少?' })
  assert.deepEqual([chinese.body.answerable, chinese.body.answer, chinese.body.citations], [false, '文章中没有找到相关内容。', []])
  const english = await ask({ question: 'What is the weather forecast for tomorrow?' })
  assert.deepEqual([english.body.answerable, english.body.answer], [false, 'The article does not say.'])
  // The page chrome (other articles' teasers) was dropped, so questions about it are refused too.
  const teaser = await ask({ question: '崇阳县召开了什么专题研讨会?' })
  assert.equal(teaser.body.answerable, false)
})

test('a question in neither Chinese nor English is answered in the asker\'s language: `language`, else Accept-Language', async () => {
  const refusal = { zh: '文章中没有找到相关内容。', en: 'The article does not say.' }
  for (const question of ['😀😀', '天気はどうですか', 'この記事の著者は誰ですか？', '12345']) {
    for (const language of ['zh', 'en'] as const) {
      // Asked twice: the second answer comes from the answer cache, which keeps each language's answer apart.
      for (const round of [1, 2]) {
        const { body } = await ask({ question, language })
        assert.deepEqual([body.answerable, body.answer], [false, refusal[language]], `${question} (${language}, round ${round})`)
      }
    }
    const { body } = await post('/ask', JSON.stringify({ question }), { 'content-type': 'application/json', 'accept-language': 'en-GB,en;q=0.9,zh-CN;q=0.5' })
    assert.equal(body.answer, refusal.en, `${question} with Accept-Language en-GB`)
    const chinese = await post('/ask', JSON.stringify({ question }), { 'content-type': 'application/json', 'accept-language': 'zh-CN,zh;q=0.9' })
    assert.equal(chinese.body.answer, refusal.zh, `${question} with Accept-Language zh-CN`)
    // The body's language wins over the header.
    const both = await post('/ask', JSON.stringify({ question, language: 'zh' }), { 'content-type': 'application/json', 'accept-language': 'en' })
    assert.equal(both.body.answer, refusal.zh, `${question} with language zh and Accept-Language en`)
  }
  // A question in Chinese or English is answered in its own language, whatever the asker reads.
  assert.equal((await ask({ question: '神山镇的常住人口有多少?', language: 'en' })).body.answer, refusal.zh)
  assert.equal((await ask({ question: 'What is the weather forecast for tomorrow?', language: 'zh' })).body.answer, refusal.en)
  assert.match((await ask({ question: '维修了多少公里沟渠?', language: 'en' })).body.answer, /7公里/)
  // The OpenAI-compatible route reads Accept-Language.
  const completion = await post('/v1/chat/completions', JSON.stringify({ model: 'citeqa', messages: [{ role: 'user', content: '😀' }] }), { 'content-type': 'application/json', 'accept-language': 'zh-CN' })
  assert.equal(completion.body.choices[0].message.content, refusal.zh)
  const invalid = await ask({ question: '😀', language: 'ja' })
  assert.deepEqual([invalid.status, invalid.body.error.message], [400, 'language must be "zh" or "en"'])
})

test('English questions about the Chinese article are answered', async () => {
  const { body } = await ask({ question: 'How much was invested in the town\'s sewage treatment plant?' })
  assert.equal(body.answerable, true)
  assert.match(body.answer, /970万元/)
  assert.equal(body.citations[0].paragraph, 23)
})

test('topK bounds the passages retrieved', async () => {
  const { status, body } = await ask({ question: '西凉全线道路改造升级多少公里?', topK: 1 })
  assert.equal(status, 200)
  assert.match(body.answer, /18\.7公里/)
})

const badRequests: [string, string, Record<string, string> | undefined, number, string][] = [
  ['missing question', '{}', undefined, 400, 'invalid_request'],
  ['empty question', '{"question":""}', undefined, 400, 'invalid_request'],
  ['blank question', '{"question":"   "}', undefined, 400, 'invalid_request'],
  ['over-long question', JSON.stringify({ question: '问'.repeat(2001) }), undefined, 400, 'invalid_request'],
  ['question of the wrong type', '{"question":42}', undefined, 400, 'invalid_request'],
  ['topK of the wrong type', '{"question":"问题","topK":"5"}', undefined, 400, 'invalid_request'],
  ['topK out of range', '{"question":"问题","topK":21}', undefined, 400, 'invalid_request'],
  ['fractional topK', '{"question":"问题","topK":2.5}', undefined, 400, 'invalid_request'],
  ['unknown mode', '{"question":"问题","mode":"magic"}', undefined, 400, 'invalid_request'],
  ['body that is an array', '[1,2]', undefined, 400, 'invalid_request'],
  ['body that is null', 'null', undefined, 400, 'invalid_request'],
  ['body that is a number', '42', undefined, 400, 'invalid_request'],
  ['body that is a string', '"维修了多少公里沟渠?"', undefined, 400, 'invalid_request'],
  ['malformed JSON', '{"question":', undefined, 400, 'invalid_json'],
  ['oversized body', JSON.stringify({ question: 'x', padding: 'y'.repeat(200_000) }), undefined, 413, 'body_too_large'],
  ['body that is not JSON', 'question=hi', { 'content-type': 'application/x-www-form-urlencoded' }, 415, 'unsupported_media_type'],
  ['body with no content type', '{"question":"问题"}', {}, 415, 'unsupported_media_type'],
]

for (const [name, body, headers, status, code] of badRequests) {
  test(`POST /ask with a ${name} gets ${status} ${code} in the one error shape`, async () => {
    const response = await post('/ask', body, headers ?? { 'content-type': 'application/json' })
    assert.equal(response.status, status)
    assert.equal(response.body.error.code, code)
    assert.equal(typeof response.body.error.message, 'string')
    assert.ok(response.body.error.message.length > 0)
    assert.deepEqual(Object.keys(response.body), ['error'])
  })
}

test('the error message says what is wrong with the input', async () => {
  assert.match((await ask({})).body.error.message, /question is required/)
  assert.match((await ask({ question: '问'.repeat(2001) })).body.error.message, /longer than 2000 characters/)
  assert.match((await ask({ question: '问', mode: 'magic' })).body.error.message, /mode must be "extractive" or "llm"/)
})

test('a body that is JSON but not an object is named as such, not as malformed JSON', async () => {
  for (const [body, what] of [['null', 'null'], ['[1,2]', 'an array'], ['42', 'a number'], ['"问题"', 'a string'], ['true', 'a boolean']]) {
    const response = await post('/ask', body)
    assert.deepEqual([response.status, response.body.error], [400, { code: 'invalid_request', message: `Request body must be a JSON object, got ${what}` }], body)
  }
  const completions = await post('/v1/chat/completions', 'null')
  assert.equal(completions.body.error.message, 'Request body must be a JSON object, got null')
  assert.equal((await post('/ask', '{"question":')).body.error.message, 'Request body is not valid JSON')
})

test('validation messages name the field once', async () => {
  const messages = async (body: unknown) => (await ask(body)).body.error.message
  assert.equal(await messages({ question: '' }), 'question must not be empty')
  assert.equal(await messages({ question: '   ' }), 'question must not be empty')
  assert.equal(await messages({ question: 42 }), 'question must be a string')
  assert.equal(await messages({ question: '问', topK: 21 }), 'topK must be at most 20')
  assert.equal(await messages({ question: '问', history: [{ role: 'system', content: 'x' }] }), 'history role must be "user" or "assistant"')
  // zod's own messages, which do not start with the field, keep the field's path in front.
  assert.equal(await messages({ question: '问', topk: 3 }), 'unknown field "topk"')
  assert.equal(await messages({ question: '问', history: [{ role: 'user', content: 'x', extra: 1 }] }), 'history.0: unknown field "extra"')
})

test('a route that exists answers other methods with 405 and Allow, not 404', async () => {
  for (const [method, path, allow] of [
    ['GET', '/ask', 'POST'],
    ['PUT', '/ask', 'POST'],
    ['GET', '/v1/chat/completions', 'POST'],
    ['POST', '/v1/models', 'GET, HEAD'],
    ['POST', '/health', 'GET, HEAD'],
    ['POST', '/article', 'GET, HEAD'],
    ['DELETE', '/passages/3', 'GET, HEAD'],
    ['POST', '/outline', 'GET, HEAD'],
    ['POST', '/metrics', 'GET, HEAD'],
  ] as const) {
    const response = await fetch(server.baseUrl + path, { method })
    assert.equal(response.status, 405, `${method} ${path}`)
    assert.equal(response.headers.get('allow'), allow, `${method} ${path}`)
    const body = await response.json()
    assert.equal(body.error.code, 'method_not_allowed')
    assert.equal(body.error.message, `${method} ${path} is not allowed: use ${allow.replace(', HEAD', '')}`)
  }
  const options = await fetch(`${server.baseUrl}/ask`, { method: 'OPTIONS' })
  assert.deepEqual([options.status, options.headers.get('allow')], [204, 'POST'])
  assert.equal((await fetch(`${server.baseUrl}/nothing-here`, { method: 'POST' })).status, 404)
})

test('GET /passages/:paragraph returns the paragraph, its section and its neighbours', async () => {
  const response = await fetch(`${server.baseUrl}/passages/14`)
  const body = await response.json()
  assert.equal(response.status, 200)
  assert.equal(body.paragraph, 14)
  assert.equal(body.section, '四、推动“四个全面”战略布局 › 1、全面建设社会主义现代化国家不留短板')
  assert.deepEqual([body.previous, body.next], [13, 15])
  assert.match(body.text, /^1、全面建设社会主义现代化国家不留短板/)
  const last = await (await fetch(`${server.baseUrl}/passages/24`)).json()
  assert.equal(last.next, null)
})

test('GET /passages rejects unknown paragraphs and documents with 4xx JSON errors', async () => {
  for (const [path, status, code] of [
    ['/passages/25', 404, 'unknown_paragraph'],
    ['/passages/0', 404, 'unknown_paragraph'],
    ['/passages/abc', 400, 'invalid_paragraph'],
    ['/passages/3?doc=nope', 404, 'unknown_document'],
    ['/article?doc=nope', 404, 'unknown_document'],
    ['/outline?doc=nope', 404, 'unknown_document'],
    ['/no-such-route', 404, 'not_found'],
  ] as const) {
    const response = await fetch(server.baseUrl + path)
    assert.equal(response.status, status, path)
    assert.equal((await response.json()).error.code, code, path)
  }
  const message = async (path: string) => (await (await fetch(server.baseUrl + path)).json()).error.message
  assert.equal(await message('/passages/31'), 'Passages: unknown paragraph 31 (document "article" has 24)')
  // Each route names itself in the message.
  assert.equal(await message('/outline?doc=nope'), 'Outline: unknown document "nope" (documents: article)')
  assert.equal(await message('/article?doc=nope'), 'Article: unknown document "nope" (documents: article)')
})

test('GET /article lists all paragraphs; GET /health names the embedder and the index', async () => {
  const article = await (await fetch(`${server.baseUrl}/article`)).json()
  assert.equal(article.documents[0].paragraphs.length, 24)
  assert.equal(article.documents[0].paragraphs[11].kind, 'heading')
  const health = await (await fetch(`${server.baseUrl}/health`)).json()
  assert.equal(health.status, 'ok')
  assert.equal(health.embedder, 'offline-hashing-v1:1024')
  assert.equal(health.index.chunks, citeqa.index.chunks.length)
  assert.equal(health.index.formatVersion, INDEX_FORMAT_VERSION)
})

test('odd but valid questions get a 200 abstention, never an error', async () => {
  for (const question of ['???', 'a', '😀😀', '__proto__', 'constructor', '<img src=x onerror=alert(1)>']) {
    const { status, body } = await ask({ question })
    assert.equal(status, 200, question)
    assert.equal(body.answerable, false, question)
  }
})
