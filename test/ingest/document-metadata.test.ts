import assert from 'node:assert/strict'
import { test } from 'node:test'
import { extractDocumentMetadata } from '../../src/ingest/document-metadata.ts'
import { loadDocuments } from '../../src/ingest/load-documents.ts'
import { parseParagraphs } from '../../src/ingest/parse-paragraphs.ts'
import type { DocumentMetadata, Paragraph } from '../../src/ingest/types.ts'

// The CMRC 2018 trial documents kept in the repository, as the evaluation reads them.
const CMRC_DOCS = 'data/qa/cmrc-trial/docs'

function metadataOf(text: string): DocumentMetadata {
  return extractDocumentMetadata(parseParagraphs('doc', text))
}

/** Every field is the exact span of its paragraph. */
function assertSpans(metadata: DocumentMetadata, paragraphs: Paragraph[]): void {
  for (const [name, field] of Object.entries(metadata)) {
    assert.equal(paragraphs[field.paragraph - 1].text.slice(field.start, field.end), field.value, name)
  }
}

test('the article has no title and its author comes from the bracketed byline closing paragraph 24', async () => {
  const [article] = await loadDocuments('data/article.txt')
  assert.equal(article.metadata.title, undefined, 'the first line is a body paragraph, not a title')
  assert.deepEqual(article.metadata.author, { value: '赤壁市神山镇党委书记杨赤明', paragraph: 24, start: 163, end: 176 })
  assert.equal(article.metadata.source, undefined)
  assert.equal(article.metadata.date, undefined)
  assertSpans(article.metadata, article.paragraphs)
})

test('every CMRC-style document has its first line as title and no invented byline, source or date', async () => {
  const documents = await loadDocuments(CMRC_DOCS)
  assert.equal(documents.length, 192)
  for (const document of documents) {
    assert.deepEqual(document.metadata, {
      title: { value: document.paragraphs[0].text, paragraph: 1, start: 0, end: document.paragraphs[0].text.length },
    }, document.id)
  }
  assert.equal(documents.find((document) => document.id === 'trial-000')?.metadata.title?.value, '泡泡战士')
})

test('a Markdown heading is the title; 来源, 作者 and a date are read from the lines under it', () => {
  const text = '# 乡村振兴的新路子\n作者：张三 来源：人民日报 发布时间：2018-07-03 10:20\n正文第一段。\n正文第二段。'
  const paragraphs = parseParagraphs('doc', text)
  const metadata = extractDocumentMetadata(paragraphs)
  assert.deepEqual(
    Object.fromEntries(Object.entries(metadata).map(([name, field]) => [name, [field.value, field.paragraph]])),
    { title: ['乡村振兴的新路子', 1], author: ['张三', 2], source: ['人民日报', 2], date: ['2018-07-03 10:20', 2] },
  )
  assertSpans(metadata, paragraphs)
})

test('bylines in their common forms', () => {
  const author = (text: string) => metadataOf(text).author?.value
  assert.equal(author('标题\n文/李四\n正文。'), '李四')
  assert.equal(author('标题\n文 | 李四\n正文。'), '李四')
  assert.equal(author('标题\n正文。\n张三 撰文'), '张三')
  assert.equal(author('标题\n(来源:人民日报 作者:张三)\n正文。'), '张三')
  assert.equal(author('本报讯（记者 张三 李四）昨天,市里召开会议。\n正文。'), '记者 张三 李四')
  assert.equal(
    author('咸宁网讯全媒体记者王勃、通讯员程钊报道:7月2日,崇阳县召开推进崇阳高质量发展“六大”活动特色产业增长极专题研讨会。杭州来的专家参加了会议,会上大家发言踊跃。'),
    '全媒体记者王勃、通讯员程钊',
  )
  assert.equal(author('标题\n正文很长的一段,没有作者。\n杨赤明'), '杨赤明', 'a closing name line')
  assert.equal(author('标题\n正文。\n（完）'), undefined)
})

test('dates and sources standing alone, and no metadata from body text that mentions them', () => {
  assert.equal(metadataOf('标题\n文/李四\n2018年7月3日\n正文。').date?.value, '2018年7月3日')
  assert.equal(metadataOf('标题\n发布时间:2021-05-06\n正文。').date?.value, '2021-05-06')
  assert.deepEqual(metadataOf('正文说资金来源:财政拨款。\n会议时间:2018年7月3日。'), {})
  assert.deepEqual(metadataOf('标题\n通讯员张三表示,这是好事。\n正文。'), { title: metadataOf('标题\n正文。').title })
  assert.equal(metadataOf('作者:张三\n正文。').title, undefined, 'a byline is not a title')
  assert.equal(metadataOf('2018年7月3日\n正文。').title, undefined, 'a date is not a title')
  assert.equal(metadataOf('一、总体要求\n正文。').title, undefined, 'a section heading is not a title')
  assert.equal(metadataOf('只有一行').title, undefined, 'a title needs a body under it')
})
