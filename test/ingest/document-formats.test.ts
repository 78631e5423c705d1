import assert from 'node:assert/strict'
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { before, test } from 'node:test'
import iconv from 'iconv-lite'
import { answerQuestion } from '../../src/ask/answer-question.ts'
import { CiteqaError } from '../../src/errors.ts'
import { evaluate } from '../../src/evaluation/evaluate.ts'
import { citeqaSystem } from '../../src/evaluation/evaluated-systems.ts'
import { readQaSet } from '../../src/evaluation/qa-set.ts'
import { loadDocuments, type SkippedFile } from '../../src/ingest/load-documents.ts'
import { articlePageHtml, articlePrintHtml } from '../helpers/article-page.ts'
import { hasChromium, PDF_WITHOUT_TEXT, printToPdf, writeDocx } from '../helpers/document-files.ts'
import { createOfflineCiteqa } from '../helpers/offline-citeqa.ts'

// Real files of each format, made here: the article's own news page (heavy chrome), the article
// printed to PDF by Chromium, a Word document, a GB18030 text file. Each must ingest to the right
// paragraphs and answer through the real service with the right citation.
let folder = ''
const [article] = await loadDocuments('data/article.txt')
const sameParagraphs = (paragraphs: typeof article.paragraphs) => paragraphs.map(({ number, text, section, kind }) => ({ number, text, section, kind }))
// Page chrome of the article's page (a teaser of another article, line 33 of data/article.txt): never an answer.
const CHROME_QUESTION = '赤壁猕猴桃获得了什么荣誉称号?'

before(async () => {
  folder = await mkdtemp(join(tmpdir(), 'citeqa-formats-'))
})

test('HTML: the saved news page (nav, share buttons, 上一篇/下一篇, teasers, footer, scripts) ingests to the same 24 paragraphs as data/article.txt, with its title and byline declared', async () => {
  const path = join(folder, 'article.html')
  await writeFile(path, articlePageHtml())
  const [page] = await loadDocuments(path)
  assert.equal(page.format, 'html')
  assert.deepEqual(sameParagraphs(page.paragraphs), sameParagraphs(article.paragraphs))
  assert.equal(page.declared?.title, '乡镇党委书记要做到“一二三四五”')
  assert.equal(page.declared?.siteName, '咸宁网')
  assert.deepEqual(page.metadata, article.metadata)
})

test('HTML in GBK with <meta charset="gbk">, and chrome left inside the article block, still gives the 24 paragraphs', async () => {
  const path = join(folder, 'gbk-page.htm')
  // The editor line and 上一篇/下一篇 inside the content block, where Readability keeps them: the chrome stripper drops them.
  const html = articlePageHtml()
    .replace('<meta charset="utf-8">', '<meta http-equiv="Content-Type" content="text/html; charset=gbk">')
    .replace(/\n\s*<\/div>\n\s*<div class="editor">([^<]*)<\/div>/, '\n<p>$1</p></div><div class="editor">')
  assert.match(html, /<p>编辑:hefan<\/p><\/div>/)
  await writeFile(path, iconv.encode(html, 'gbk'))
  const [page] = await loadDocuments(path)
  assert.deepEqual(sameParagraphs(page.paragraphs), sameParagraphs(article.paragraphs))
})

test('HTML through the service: a question answered with the right paragraph, a question about the page chrome refused, and the dev set scores as on data/article.txt', async () => {
  const citeqa = await createOfflineCiteqa({ ARTICLE_PATH: join(folder, 'article.html') })
  const answer = await answerQuestion(citeqa, { question: '维修了多少公里沟渠?' })
  assert.equal(answer.answerable, true)
  assert.equal(answer.citations[0].paragraph, 21)
  assert.match(answer.answer, /7公里/)
  const chrome = await answerQuestion(citeqa, { question: CHROME_QUESTION })
  assert.equal(chrome.answerable, false, chrome.answer)

  const questions = await readQaSet('data/qa/dev.jsonl')
  const onPage = await evaluate(citeqaSystem(citeqa), questions)
  const onText = await evaluate(citeqaSystem(await createOfflineCiteqa()), questions)
  for (const figure of ['answerAccuracy', 'falseRefusals', 'refusalAccuracy', 'hitAt1', 'firstCitationInGold'] as const) {
    assert.equal(onPage[figure], onText[figure], `${figure}: page ${onPage[figure]}, text ${onText[figure]}`)
  }
})

test('PDF: the article printed by Chromium (three pages, running header, 第 n 页) ingests to the same 24 paragraphs, each with its page; answers cite the page; the chrome is refused', { skip: hasChromium ? false : 'no /usr/bin/chromium to print the PDF (apt-get install chromium fonts-noto-cjk)' }, async () => {
  const htmlPath = join(folder, 'print.html')
  const pdfPath = join(folder, 'pdf', 'article.pdf')
  await mkdir(join(folder, 'pdf'))
  await writeFile(htmlPath, articlePrintHtml())
  await printToPdf(htmlPath, pdfPath)
  const [printed] = await loadDocuments(pdfPath)
  assert.equal(printed.format, 'pdf')
  assert.ok((printed.declared?.pages ?? 0) >= 2, `pages: ${printed.declared?.pages}`)
  assert.deepEqual(sameParagraphs(printed.paragraphs), sameParagraphs(article.paragraphs))
  const pages = printed.paragraphs.map((paragraph) => paragraph.page ?? 0)
  assert.equal(pages[0], 1)
  assert.ok(pages.at(-1)! >= 2, `the last paragraph starts on page ${pages.at(-1)}`)
  assert.deepEqual([...pages].sort((a, b) => a - b), pages, 'pages never go back')

  const citeqa = await createOfflineCiteqa({ ARTICLE_PATH: pdfPath })
  for (const question of ['维修了多少公里沟渠?', '新发展有机茶种植多少亩?']) {
    const answer = await answerQuestion(citeqa, { question })
    assert.equal(answer.answerable, true, question)
    const [citation] = answer.citations
    assert.equal(citation.page, pages[citation.paragraph - 1], `${question}: page of paragraph ${citation.paragraph}`)
  }
  const chrome = await answerQuestion(citeqa, { question: CHROME_QUESTION })
  assert.equal(chrome.answerable, false, chrome.answer)
})

test('PDF without a text layer (a scan) is refused with an error saying so', async () => {
  const path = join(folder, 'scan.pdf')
  await writeFile(path, PDF_WITHOUT_TEXT)
  await assert.rejects(loadDocuments(path), (error: unknown) => {
    assert.ok(error instanceof CiteqaError)
    assert.equal(error.code, 'ingest_no_text')
    assert.match(error.message, /scan\.pdf has no text layer \(1 page of images only, a scan\?\)/)
    return true
  })
})

test('DOCX: headings as headings, list items as items, a table as text rows; a question answered from the right paragraph', async () => {
  const path = join(folder, 'docx', 'tea.docx')
  await mkdir(join(folder, 'docx'))
  await writeDocx(path, [
    { heading: 1, text: '神山镇茶叶产业简介' },
    { text: '神山镇位于赤壁市东部,茶叶是全镇的传统产业。' },
    { heading: 2, text: '种植与加工' },
    { item: '有机茶种植面积达到2000亩。' },
    { item: '新建茶叶加工厂3座,年加工干茶120吨。' },
    { heading: 2, text: '销售情况' },
    { row: ['年份', '销售额'] },
    { row: ['2020年', '860万元'] },
    { text: '茶叶主要销往武汉、长沙等地。' },
  ])
  const [document] = await loadDocuments(path)
  assert.equal(document.format, 'docx')
  assert.deepEqual(
    document.paragraphs.map(({ kind, text }) => [kind, text]),
    [
      ['heading', '神山镇茶叶产业简介'],
      ['body', '神山镇位于赤壁市东部,茶叶是全镇的传统产业。'],
      ['heading', '种植与加工'],
      ['item', '有机茶种植面积达到2000亩。'],
      ['item', '新建茶叶加工厂3座,年加工干茶120吨。'],
      ['heading', '销售情况'],
      ['body', '年份 | 销售额'],
      ['body', '2020年 | 860万元'],
      ['body', '茶叶主要销往武汉、长沙等地。'],
    ],
  )
  const citeqa = await createOfflineCiteqa({ ARTICLE_PATH: path })
  const answer = await answerQuestion(citeqa, { question: '新建了几座茶叶加工厂?' })
  assert.equal(answer.answerable, true, answer.answer)
  assert.equal(answer.citations[0].paragraph, 5)
})

test('text: GB18030, UTF-16 (with BOM) and UTF-8 with BOM decode to the same paragraphs; GB18030 answers a question with the right paragraph', async () => {
  const text = ['西凉湖渔业简介', '西凉湖位于赤壁市东北部,是湖北省第五大湖泊。', '2020年全面开展“拆围”“退捕”行动,拆除围网养殖4万亩、渔船990条。', '退捕渔民全部转产安置,发展生态旅游。'].join('\r\n')
  const gbFolder = join(folder, 'encodings')
  await mkdir(gbFolder)
  await writeFile(join(gbFolder, 'gb18030.txt'), iconv.encode(text, 'gb18030'))
  await writeFile(join(gbFolder, 'utf16.txt'), iconv.encode(text, 'utf16le', { addBOM: true }))
  await writeFile(join(gbFolder, 'utf8-bom.txt'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]))
  const documents = await loadDocuments(gbFolder)
  assert.deepEqual(documents.map((document) => document.id), ['gb18030', 'utf16', 'utf8-bom'])
  for (const document of documents) assert.deepEqual(document.paragraphs.map((paragraph) => paragraph.text), text.split('\r\n'), document.id)

  // A few dozen bytes, where chardet guesses KOI8-R or ISO-8859-1 for GB18030.
  const short = join(folder, 'short.txt')
  await writeFile(short, iconv.encode('西凉湖渔业简介\n神山镇有18个村。', 'gb18030'))
  assert.deepEqual((await loadDocuments(short))[0].paragraphs.map((paragraph) => paragraph.text), ['西凉湖渔业简介', '神山镇有18个村。'])

  const citeqa = await createOfflineCiteqa({ ARTICLE_PATH: join(gbFolder, 'gb18030.txt') })
  const answer = await answerQuestion(citeqa, { question: '拆除了多少条渔船?' })
  assert.equal(answer.answerable, true, answer.answer)
  assert.equal(answer.citations[0].paragraph, 3)
  assert.match(answer.answer, /990条/)
})

test('a binary file named .txt is refused as unreadable text; in a folder it and unknown types are skipped, one report each, and the rest is read', async () => {
  const mixed = join(folder, 'mixed')
  await mkdir(mixed)
  const binary = Buffer.from(Array.from({ length: 4000 }, (_, index) => (index * 7919 + 13) % 256))
  await writeFile(join(mixed, 'binary.txt'), binary)
  await writeFile(join(mixed, 'notes.md'), '# 笔记\n神山镇有18个村。\n')
  await writeFile(join(mixed, 'photo.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0xe0]))
  await writeFile(join(mixed, 'README'), 'no extension')
  await assert.rejects(loadDocuments(join(mixed, 'binary.txt')), (error: unknown) => error instanceof CiteqaError && error.code === 'ingest_undecodable' && /binary\.txt does not read as text/.test(error.message))

  const skipped: SkippedFile[] = []
  const documents = await loadDocuments(mixed, { onSkipped: (file) => skipped.push(file) })
  assert.deepEqual(documents.map((document) => document.id), ['notes'])
  assert.deepEqual(
    skipped.map((file) => [file.path.slice(mixed.length + 1), file.reason.replace(/\(read: .*\)/, '(read: …)')]),
    [
      ['README', 'no file extension (read: …)'],
      ['binary.txt', `${join(mixed, 'binary.txt')} does not read as text: decoded as ${/decoded as (\S+),/.exec(skipped[1]?.reason ?? '')?.[1]}, ${/(\d+)% of/.exec(skipped[1]?.reason ?? '')?.[1]}% of its characters are unreadable (a binary file, or an unknown encoding)`],
      ['photo.jpg', 'unknown type .jpg (read: …)'],
    ],
  )
})
