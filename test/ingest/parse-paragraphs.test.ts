import assert from 'node:assert/strict'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { loadDocuments } from '../../src/ingest/load-documents.ts'
import { parseParagraphs } from '../../src/ingest/parse-paragraphs.ts'
import { stripPageChrome } from '../../src/ingest/strip-page-chrome.ts'

test('the article has 24 body paragraphs; page chrome is dropped and the author line kept', async () => {
  const [article] = await loadDocuments('data/article.txt')
  assert.equal(article.id, 'article')
  assert.equal(article.paragraphs.length, 24)
  assert.deepEqual(article.paragraphs.map((paragraph) => paragraph.number), Array.from({ length: 24 }, (_, index) => index + 1))
  const text = article.paragraphs.map((paragraph) => paragraph.text).join('\n')
  assert.ok(!text.includes('编辑:hefan'))
  assert.ok(!text.includes('上一篇'))
  assert.ok(!text.includes('咸宁网讯'), 'teasers of other articles are dropped')
  assert.match(article.paragraphs[23].text, /\(作者:赤壁市神山镇党委书记杨赤明\)$/)
})

test('headings are numbered paragraphs and every paragraph carries its breadcrumb', async () => {
  const [article] = await loadDocuments('data/article.txt')
  const byNumber = (number: number) => article.paragraphs[number - 1]
  assert.equal(byNumber(1).section, '')
  assert.equal(byNumber(2).kind, 'heading')
  assert.equal(byNumber(2).section, '一、树立一种意识')
  assert.equal(byNumber(13).section, '四、推动“四个全面”战略布局')
  assert.equal(byNumber(15).kind, 'item')
  assert.equal(byNumber(15).section, '四、推动“四个全面”战略布局 › 2、全面深化改革不留暗门')
  assert.equal(byNumber(21).section, '五、践行五大发展理念 › 2、要坚持协调发展')
  assert.deepEqual(
    article.paragraphs.filter((paragraph) => paragraph.kind === 'heading').map((paragraph) => paragraph.number),
    [2, 5, 9, 12, 18],
  )
})

test('stripPageChrome keeps a page without chrome whole and drops teasers only in the trailing chrome block', () => {
  assert.deepEqual(stripPageChrome(['甲。', '乙。']), ['甲。', '乙。'])
  assert.deepEqual(stripPageChrome(['正文。', '另一篇文章的开头...', '结尾。', '编辑:someone', '下一篇:', '标题', '又一篇文章的开头...']), [
    '正文。',
    '另一篇文章的开头...',
    '结尾。',
  ])
})

test('Markdown headings and numbered items build breadcrumbs in any document', () => {
  const paragraphs = parseParagraphs('notes', '# 总体要求\n\n1、第一条。内容。\n\n正文\n')
  assert.deepEqual(
    paragraphs.map(({ number, kind, section, text }) => ({ number, kind, section, text })),
    [
      { number: 1, kind: 'heading', section: '总体要求', text: '总体要求' },
      { number: 2, kind: 'item', section: '总体要求 › 1、第一条', text: '1、第一条。内容。' },
      { number: 3, kind: 'body', section: '总体要求 › 1、第一条', text: '正文' },
    ],
  )
})

test('a folder of documents gives each its own id and paragraph numbers', async () => {
  const folder = await mkdtemp(join(tmpdir(), 'citeqa-docs-'))
  await writeFile(join(folder, 'b.md'), '第一段。\n第二段。\n')
  await writeFile(join(folder, 'a.txt'), '只有一段。\n')
  await writeFile(join(folder, 'ignored.json'), '{}')
  const documents = await loadDocuments(folder)
  assert.deepEqual(documents.map((document) => [document.id, document.paragraphs.length]), [['a', 1], ['b', 2]])
  assert.equal(documents[1].paragraphs[1].number, 2)
})

test('a missing article path fails with a message naming it', async () => {
  await assert.rejects(loadDocuments('data/no-such-file.txt'), /data\/no-such-file\.txt/)
})
