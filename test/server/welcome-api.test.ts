import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { startDocumentService, type DocumentService } from '../helpers/offline-citeqa.ts'

// GET /welcome over a real server: the documents by title, and example questions made from them —
// every one answered, with citations into the document it names — which follow the documents as
// they are added and removed.

type Welcome = { documents: { id: string; title: string; format: string; paragraphs: number; pages: number | null }[]; examples: { zh: string[]; en: string[] } }

let service: DocumentService
before(async () => {
  service = await startDocumentService()
})
after(() => service.close())

async function welcome(): Promise<Welcome> {
  const response = await fetch(`${service.baseUrl}/welcome`)
  assert.equal(response.status, 200)
  return (await response.json()) as Welcome
}

async function ask(question: string): Promise<{ answerable: boolean; citations: { docId: string }[] }> {
  const response = await fetch(`${service.baseUrl}/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question }) })
  return (await response.json()) as { answerable: boolean; citations: { docId: string }[] }
}

test('one article: its title (not its id), and examples from its outline that it answers', async () => {
  const body = await welcome()
  assert.deepEqual(body.documents, [{ id: 'article', title: '乡镇党委书记要牢牢把握“一二三四五”', format: 'text', paragraphs: 24, pages: null }])
  assert.deepEqual(body.examples, {
    zh: ['这篇文章讲了什么?', '践行五大发展理念是什么?', '树立一种意识是什么?', '请概括一下这篇文章'],
    en: ['What is the article about?', 'What are the main points?', '践行五大发展理念是什么?'],
  })
  for (const question of [...body.examples.zh, ...body.examples.en]) {
    const answer = await ask(question)
    assert.equal(answer.answerable, true, question)
    assert.ok(answer.citations.every((citation) => citation.docId === 'article'), question)
  }
})

test('a document added: listed by its title, asked about by name in the examples; removed: gone from both', async () => {
  const form = new FormData()
  form.append('file', new Blob(['白鹭洲湿地公园简介\n白鹭洲湿地公园位于赤壁市西南部，面积三千六百亩，有芦苇荡和浅滩。\n每年冬天，约有一万二千只候鸟在白鹭洲湿地公园越冬。\n']), 'wetland.txt')
  assert.equal((await fetch(`${service.baseUrl}/documents`, { method: 'POST', body: form })).status, 202)
  await service.library.settled()

  const body = await welcome()
  assert.deepEqual(body.documents.map((document) => [document.id, document.title]), [['article', '乡镇党委书记要牢牢把握“一二三四五”'], ['wetland', '白鹭洲湿地公园简介']])
  assert.deepEqual(body.examples.zh, ['有哪些文章?', '《白鹭洲湿地公园简介》这篇文章讲了什么?', '《乡镇党委书记要牢牢把握“一二三四五”》这篇文章讲了什么?', '践行五大发展理念是什么?'])
  assert.deepEqual(body.examples.en, ['What documents are there?', 'What is each document about?', '《白鹭洲湿地公园简介》这篇文章讲了什么?'])
  const named = await ask('《白鹭洲湿地公园简介》这篇文章讲了什么?')
  assert.equal(named.answerable, true)
  assert.deepEqual([...new Set(named.citations.map((citation) => citation.docId))], ['wetland'])

  assert.equal((await fetch(`${service.baseUrl}/documents/wetland`, { method: 'DELETE' })).status, 200)
  const after = await welcome()
  assert.deepEqual(after.documents.map((document) => document.id), ['article'])
  assert.equal(after.examples.zh[0], '这篇文章讲了什么?')
})

test('only GET: another method is 405 in the one error shape', async () => {
  const response = await fetch(`${service.baseUrl}/welcome`, { method: 'POST' })
  assert.equal(response.status, 405)
  assert.equal(response.headers.get('allow'), 'GET, HEAD')
  assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'method_not_allowed')
})
