import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { longDocument } from '../fixtures/long-document.ts'
import { passagesInPrompt, startScriptedOpenAIServer, type ChatCompletionRequest, type ScriptedOpenAIServer } from '../fixtures/scripted-openai-server.ts'
import { assertCitationsIntact, collectServerSentEvents, postJson, startApp, temporaryIndexDirectory, type RunningApp } from './test-app.ts'

const HEADINGS = [/^一、树立一种意识/, /^二、强化两个责任/, /^三、提高三种能力/, /^四、推动“四个全面”战略布局/, /^五、践行五大发展理念/]
let llm: ScriptedOpenAIServer
let app: RunningApp
const indexDirectory = temporaryIndexDirectory()
const settings = (baseUrl: string) => ({ LLM_PROVIDER: 'openai', LLM_BASE_URL: baseUrl, LLM_MODEL: 'scripted', LLM_TIMEOUT_MS: '2000', LLM_MAX_RETRIES: '0' })

before(async () => {
  llm = await startScriptedOpenAIServer()
  app = await startApp(indexDirectory, settings(llm.baseUrl))
})
after(async () => {
  await app.close()
  await llm.close()
})

function systemPrompt(body: ChatCompletionRequest): string {
  return body.messages.find((message) => message.role === 'system')?.content ?? ''
}

/** A model that answers from the outline it is given: the thesis line, then each heading line, each cited. */
function answerFromOutline(extra = '') {
  return (body: ChatCompletionRequest) => {
    const lines = [...passagesInPrompt(body).entries()]
    const prompt = body.messages.at(-1)!.content
    const thesis = lines.find(([n]) => new RegExp(`^\\[${n}\\] \\(thesis\\)`, 'm').test(prompt))!
    const headings = HEADINGS.map((heading) => lines.find(([, text]) => heading.test(text))!)
    const content = [thesis, ...headings].map(([n, text]) => `${text}[${n}]`).join('') + extra
    return { kind: 'answer' as const, content }
  }
}

async function ask(question: string, body: object = {}) {
  const response = await postJson(`${app.url}/ask`, { question, mode: 'llm', ...body })
  assert.equal(response.status, 200)
  const result = await response.json()
  assertCitationsIntact(app.citeqa, result.citations)
  return result
}

test('这篇文章讲了什么? in llm mode: the prompt holds the outline with all five sections, and the answer is verified', async () => {
  llm.script(answerFromOutline())
  const result = await ask('这篇文章讲了什么?')
  const prompt = llm.requests.at(-1)!.body.messages.map((message) => message.content).join('\n')
  for (const heading of HEADINGS) assert.ok([...passagesInPrompt(llm.requests.at(-1)!.body).values()].some((text) => heading.test(text)), `${heading} is in the prompt`)
  assert.match(prompt, /\(thesis\) 在落实全面从严治党主体责任/)
  assert.match(prompt, /\(四、推动“四个全面”战略布局 › 2、全面深化改革不留暗门 · item\) 2、全面深化改革不留暗门。/)
  assert.match(prompt, /Cover the whole article/)
  assert.equal(result.mode, 'llm')
  assert.equal(result.scope, 'document')
  assert.equal(result.answerable, true)
  assert.equal(result.degraded, undefined)
  assert.equal(result.segments.length, 6)
  assert.ok(result.segments.every((segment: { supported: boolean }) => segment.supported), 'every sentence is supported by what it cites')
  const cited = result.segments.flatMap((segment: { cites: number[] }) => segment.cites).map((n: number) => result.citations[n - 1].paragraph)
  assert.deepEqual(cited, [1, 2, 5, 9, 12, 18])
  // The outline replaces top-k chunks: every section heading is among the citations.
  for (const paragraph of [2, 5, 9, 12, 18]) assert.ok(result.citations.some((citation: { paragraph: number }) => citation.paragraph === paragraph))
})

test('citation checking stays on: a sentence the outline does not bear out is marked unsupported', async () => {
  llm.script(answerFromOutline('文章还提出要大力发展远洋渔业和航天工业。'))
  const result = await ask('Summarize the article.')
  assert.equal(result.scope, 'document')
  assert.equal(result.segments.length, 7)
  assert.equal(result.segments.at(-1).supported, false)
  assert.equal(result.answerable, true)
})

test('the outline streams as the citations event, then the tokens, then done', async () => {
  llm.script(answerFromOutline())
  const response = await postJson(`${app.url}/ask`, { question: 'What is the article about?', mode: 'llm', stream: true })
  const events = await collectServerSentEvents(response)
  assert.equal(events[0].event, 'citations')
  assert.equal(events[0].data.mode, 'llm')
  assert.deepEqual(Object.keys(events[0].data).sort(), ['citations', 'embedder', 'mode', 'standaloneQuestion'])
  const done = events.at(-1)!
  assert.equal(done.event, 'done')
  assert.equal(done.data.scope, 'document')
  assert.deepEqual(done.data.citations, events[0].data.citations)
})

test('an LLM failure falls back to the extractive outline answer, degraded', async () => {
  llm.script({ kind: 'status', status: 500 })
  const result = await ask('请概括一下这篇文章的内容。')
  assert.equal(result.mode, 'extractive')
  assert.equal(result.degraded, true)
  assert.match(result.reason, /^llm_http_500/)
  assert.equal(result.scope, 'document')
  assert.deepEqual(result.citations.map((citation: { paragraph: number }) => citation.paragraph), [1, 2, 5, 9, 12, 18])
})

test('in llm mode a question about one section still goes to retrieval; the list of documents needs no model', async () => {
  llm.script((body) => ({ kind: 'answer', content: `${passagesInPrompt(body).get(1)!.split('。')[0]}。[1]` }))
  const section = await ask('五大发展理念是什么?')
  assert.equal(section.scope, 'passage')
  assert.equal(section.mode, 'llm')
  const before = llm.requests.length
  const catalog = await ask('What documents are there?')
  assert.equal(llm.requests.length, before)
  assert.equal(catalog.scope, 'document')
  assert.equal(catalog.mode, 'extractive')
  assert.equal(catalog.degraded, undefined)
})

test('a long document gets a map-reduce summary, built once, cached in the index folder, reused across requests and restarts', async () => {
  const folder = await mkdtemp(join(tmpdir(), 'citeqa-long-'))
  await mkdir(join(folder, 'docs'))
  await writeFile(join(folder, 'docs', 'long.txt'), longDocument())
  const longIndex = join(folder, 'index')
  const server = await startScriptedOpenAIServer()
  const reply = (body: ChatCompletionRequest) => {
    const system = systemPrompt(body)
    const passages = [...passagesInPrompt(body).entries()]
    if (/summarize one part/.test(system)) return { kind: 'answer' as const, content: `${passages[0][1]}[${passages[0][0]}]` }
    if (/combine the summaries/.test(system)) {
      const notes = [...body.messages.at(-1)!.content.matchAll(/^\[(\d+)\] (.*)$/gm)]
      return { kind: 'answer' as const, content: notes.map(([, n, text]) => `${text}[${n}]`).join('') }
    }
    return { kind: 'answer' as const, content: passages.slice(0, 3).map(([n, text]) => `${text}[${n}]`).join('') }
  }
  let longApp = await startApp(longIndex, { ...settings(server.baseUrl), ARTICLE_PATH: join(folder, 'docs') })
  try {
    server.script(...Array.from({ length: 40 }, () => reply))
    const first = await (await postJson(`${longApp.url}/ask`, { question: '这篇文章讲了什么?', mode: 'llm' })).json()
    assert.equal(first.scope, 'document')
    assert.equal(first.answerable, true, JSON.stringify(first).slice(0, 400))
    assertCitationsIntact(longApp.citeqa, first.citations)
    const systems = server.requests.map((request) => systemPrompt(request.body))
    const mapCalls = systems.filter((system) => /summarize one part/.test(system)).length
    assert.ok(mapCalls >= 10, `one map call per part at least (${mapCalls})`)
    assert.equal(systems.filter((system) => /combine the summaries/.test(system)).length, 1)
    const answerPrompt = server.requests.at(-1)!.body.messages.at(-1)!.content
    assert.match(answerPrompt, /Summary of the article/)
    const cacheFile = join(longIndex, 'summaries', 'long.json')
    assert.ok(existsSync(cacheFile), 'the summary is cached in the index folder')
    const cached = JSON.parse(readFileSync(cacheFile, 'utf8'))
    assert.ok(cached.sentences.length > 0 && cached.sentences.every((sentence: { citations: unknown[] }) => sentence.citations.length > 0))

    const before = server.requests.length
    await (await postJson(`${longApp.url}/ask`, { question: 'Summarize the article.', mode: 'llm' })).json()
    assert.equal(server.requests.length - before, 1, 'a second question costs one call: the summary is not rebuilt')
    await longApp.close()
    longApp = await startApp(longIndex, { ...settings(server.baseUrl), ARTICLE_PATH: join(folder, 'docs') })
    const afterRestart = server.requests.length
    const again = await (await postJson(`${longApp.url}/ask`, { question: '文章的主要内容是什么?', mode: 'llm' })).json()
    assert.equal(server.requests.length - afterRestart, 1, 'after a restart the cached summary is read from the index folder')
    assert.equal(again.scope, 'document')
  } finally {
    await longApp.close()
    await server.close()
  }
})
