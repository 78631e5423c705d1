import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { Citeqa } from '../../src/citeqa.ts'
import { createOfflineCiteqa, startServer } from '../helpers/offline-citeqa.ts'

let citeqa: Citeqa
let server: Awaited<ReturnType<typeof startServer>>

before(async () => {
  citeqa = await createOfflineCiteqa()
  server = await startServer(citeqa)
})
after(() => server.close())

async function getJson(path: string) {
  const response = await fetch(server.baseUrl + path)
  return { status: response.status, body: await response.json() }
}

test("GET /outline: the article's title, thesis, five sections and the items of 四 and 五, as citable spans", async () => {
  const { status, body } = await getJson('/outline')
  assert.equal(status, 200)
  assert.equal(body.documents.length, 1)
  const [outline] = body.documents
  assert.equal(outline.id, 'article')
  assert.deepEqual(outline.title, { text: '乡镇党委书记要牢牢把握“一二三四五”', paragraph: 1, start: 90, end: 108, from: 'thesis' })
  assert.equal(outline.thesis.length, 1)
  assert.equal(outline.thesis[0].paragraph, 1)
  assert.match(outline.thesis[0].text, /牢牢把握“一二三四五”/)
  assert.deepEqual(outline.sections.map((section: { paragraph: number }) => section.paragraph), [2, 5, 9, 12, 18])
  assert.deepEqual(outline.sections.map((section: { title: string }) => section.title), ['一、树立一种意识', '二、强化两个责任', '三、提高三种能力', '四、推动“四个全面”战略布局', '五、践行五大发展理念'])
  assert.deepEqual(outline.sections[3].items.map((item: { paragraph: number }) => item.paragraph), [14, 15, 16, 17])
  assert.deepEqual(outline.sections[4].items.map((item: { title: string }) => item.title), ['1、要坚持创新发展', '2、要坚持协调发展', '3、要坚持绿色发展', '4、要坚持开放发展', '5、要坚持共享发展'])
  assert.deepEqual(outline.sections[0].items, [])
  for (const section of outline.sections) {
    const paragraph = citeqa.paragraph(section.heading.paragraph)
    assert.equal(paragraph.kind, 'heading')
    assert.equal(paragraph.text.slice(section.heading.start, section.heading.end), section.heading.text)
  }
})

test('GET /outline?doc= names one document; an unknown one is a 404 naming the known ones', async () => {
  const one = await getJson('/outline?doc=article')
  assert.equal(one.status, 200)
  assert.equal(one.body.documents[0].id, 'article')
  const unknown = await getJson('/outline?doc=nope')
  assert.equal(unknown.status, 404)
  assert.equal(unknown.body.error.code, 'unknown_document')
  assert.match(unknown.body.error.message, /unknown document "nope" \(documents: article\)/)
})
