import assert from 'node:assert/strict'
import { test } from 'node:test'
import { DocumentOverview, wholeDocumentQuestionOf } from '../../src/answer/document-overview.ts'
import { extractDocumentMetadata } from '../../src/ingest/document-metadata.ts'
import { buildDocumentOutline } from '../../src/ingest/document-outline.ts'
import { loadDocuments } from '../../src/ingest/load-documents.ts'
import { parseParagraphs } from '../../src/ingest/parse-paragraphs.ts'
import type { ArticleDocument } from '../../src/ingest/types.ts'
import { buildTranslationLexicon } from '../../src/text/build-translation-lexicon.ts'
import { QueryTranslator } from '../../src/text/query-translator.ts'
import { writeChineseNumeral } from '../../src/text/chinese-numerals.ts'
import { answerQuestion } from '../../src/ask/answer-question.ts'
import { createOfflineCiteqa } from '../helpers/offline-citeqa.ts'

const documents = await loadDocuments('data/article.txt')
const [article] = documents
const translator = new QueryTranslator(await buildTranslationLexicon(article.paragraphs.map((paragraph) => paragraph.text)))
const overview = new DocumentOverview(documents, documents.map((document) => buildDocumentOutline(document)), translator)
const FIVE_POINTS = ['一种意识', '两个责任', '三种能力', '四个全面', '五大发展理念']

function documentOf(id: string, text: string): ArticleDocument {
  const paragraphs = parseParagraphs(id, text)
  return { id, source: `${id}.txt`, paragraphs, metadata: extractDocumentMetadata(paragraphs) }
}

test('whole-document questions are recognized in Chinese and English', () => {
  const questions = [
    '这篇文章讲了什么?', '文章主要讲的是什么?', '本文介绍了哪些内容?', '文章的中心思想是什么?', '本文的主要观点有哪些?', '文章的结构是怎样的?',
    '请概括一下这篇文章的内容。', '总结一下全文', '用一句话概括这篇文章', '概括一下', '主要内容是什么?', '文章分为哪几个部分?', '本文提了几点?', '这篇文章是关于什么的?',
    'What is the article about?', "What's this text about?", 'Summarize the article.', 'Can you summarize it briefly?', 'Give me a summary of the article',
    'What are the main points?', 'What are the key takeaways of the article?', 'What is the main idea of the passage?', 'How many points does the article make?',
    'What is the structure of the article?', 'Outline the article.', 'TL;DR',
  ]
  for (const question of questions) assert.equal(wholeDocumentQuestionOf(question)?.kind, 'document', question)
  assert.equal(wholeDocumentQuestionOf('本文提了几点?')?.asksCount, true)
  assert.equal(wholeDocumentQuestionOf('How many parts does the article have?')?.asksCount, true)
  assert.equal(wholeDocumentQuestionOf('这篇文章讲了什么?')?.asksCount, false)
  for (const question of ['有哪些文章?', '每篇文章分别讲了什么?', 'What documents are there?', 'What is each document about?', 'List the documents']) {
    assert.equal(wholeDocumentQuestionOf(question)?.kind, 'catalog', question)
  }
})

test('ordinary questions are not whole-document questions, even with 内容, 总结 or a title in them', () => {
  const questions = [
    '《鳄鱼泪》主要内容是什么？', '“三个切实”包括哪些内容?', '总结一下文章中关于污水处理的内容', '文章中提到的正农果业获得了什么表彰?', '这篇文章的作者是谁?',
    '维修了多少公里沟渠?', 'What does the article say about the weather?', 'What is the weather forecast for tomorrow?', 'How many households completed the toilet renovation?',
  ]
  for (const question of questions) assert.equal(wholeDocumentQuestionOf(question), undefined, question)
})

test('a whole-document question is answered with the thesis and the five section headings, each cited, in document order', () => {
  for (const question of ['这篇文章讲了什么?', 'What is the article about?', '乡镇党委书记要牢牢把握的“一二三四五”分别是什么?']) {
    const request = overview.requestFor(question)
    assert.equal(request?.kind, 'document', question)
    const answer = overview.answer(request!, question)
    assert.equal(answer.answerable, true)
    assert.deepEqual(answer.citations.map((citation) => citation.paragraph), [1, 2, 5, 9, 12, 18])
    FIVE_POINTS.forEach((point, index) => assert.ok(answer.citations[index + 1].text.includes(point), point))
    for (const citation of answer.citations) assert.equal(article.paragraphs[citation.paragraph - 1].text.slice(citation.start, citation.end), citation.text)
    assert.ok(answer.answer.indexOf('一种意识') < answer.answer.indexOf('五大发展理念'))
  }
  assert.match(overview.answer(overview.requestFor('文章分为哪几个部分?')!, '文章分为哪几个部分?').answer, /^全文分为五个部分:/)
  assert.match(overview.answer(overview.requestFor('How many parts does the article have?')!, 'How many parts does the article have?').answer, /^The article has 5 parts: /)
})

test('a question naming one section gets its heading and its items, cited; a further word makes it a passage question', () => {
  for (const question of ['五大发展理念是什么?', 'What does the article say about the five development concepts?']) {
    const request = overview.requestFor(question)
    assert.equal(request?.kind, 'section', question)
    const answer = overview.answer(request!, question)
    assert.deepEqual(answer.citations.map((citation) => citation.paragraph), [18, 20, 21, 22, 23, 24])
    assert.match(answer.citations[1].text, /^1、要坚持创新发展/)
  }
  assert.deepEqual(overview.answer(overview.requestFor('什么是四个全面?')!, '').citations.map((citation) => citation.paragraph), [12, 14, 15, 16, 17])
  // Without items, the heading and the section's opening sentence.
  assert.deepEqual(overview.answer(overview.requestFor('文章的第二部分讲了什么?')!, '').citations.map((citation) => citation.paragraph), [5, 6])
  for (const question of ['“四个全面”在神山镇分别是怎么落实的?', '五大发展理念中的绿色发展有哪些举措?', '乡镇党委书记要增强什么意识、坚定什么自信?', '“三个切实”包括哪些内容?', 'What is the weather forecast for tomorrow?']) {
    assert.equal(overview.requestFor(question), undefined, question)
  }
})

test('several documents: a named one answers for itself, an unnamed one lists the documents, and the catalog gives each title and thesis', () => {
  const many = [
    documentOf('crocodile', '鳄鱼泪\n《鳄鱼泪》是香港丽的电视的经典电视剧，1978年首播。本剧由潘志文主演。'),
    documentOf('bubble', '泡泡战士\n泡泡战士是一款由韩国Nexon开发的游戏。玩家以水枪泡封敌人。'),
  ]
  const several = new DocumentOverview(many, many.map((document) => buildDocumentOutline(document)))
  const named = several.requestFor('鳄鱼泪这篇文章讲了什么?')
  assert.equal(named?.kind, 'document')
  const answer = several.answer(named!, '鳄鱼泪这篇文章讲了什么?')
  // The thesis (its opening sentence), then — one paragraph of content — the sentence after it.
  assert.deepEqual(answer.citations.map((citation) => [citation.docId, citation.paragraph, citation.text]), [
    ['crocodile', 2, '《鳄鱼泪》是香港丽的电视的经典电视剧，1978年首播。'],
    ['crocodile', 2, '本剧由潘志文主演。'],
  ])

  const ambiguous = several.requestFor('这篇文章讲了什么?')
  assert.equal(ambiguous?.kind, 'ambiguous')
  const listing = several.answer(ambiguous!, '这篇文章讲了什么?')
  assert.match(listing.answer, /^共有2篇文章,问题没有指明是哪一篇/)
  assert.deepEqual(listing.citations.map((citation) => citation.text), ['鳄鱼泪', '泡泡战士'])

  const catalog = several.answer(several.requestFor('What documents are there?')!, 'What documents are there?')
  assert.match(catalog.answer, /^There are 2 documents: 鳄鱼泪\[1\] 《鳄鱼泪》是香港丽的电视的经典电视剧，1978年首播。\[2\]; 泡泡战士\[3\]/)
  // A content question naming a title is not a whole-document question.
  assert.equal(several.requestFor('《鳄鱼泪》主要内容是什么？'), undefined)
})

test('a section named with capitals jieba knows (U盘) is found as in lower case', () => {
  const rules = documentOf('rules', '存储设备管理办法\n本办法规定两方面的管理。\n一、USB盘管理\nUSB盘须登记后使用。\n二、计算机管理\n计算机须设置密码。')
  const rulesOverview = new DocumentOverview([rules], [buildDocumentOutline(rules)])
  for (const question of ['U盘管理是怎么规定的', 'u盘管理是怎么规定的', 'Ｕ盘管理是怎么规定的']) {
    const request = rulesOverview.requestFor(question)
    assert.equal(request?.kind === 'section' ? request.section.title : request?.kind, '一、USB盘管理', question)
  }
})

test('第二十部分讲了什么? asks for part 20 (read by the one Chinese numeral reader, src/text/chinese-numerals.ts)', () => {
  const rules = documentOf('rules', ['值班守则', '本守则共二十一个部分。', ...Array.from({ length: 21 }, (_, index) => [`${writeChineseNumeral(index + 1)}、守则${index + 1}`, `第${index + 1}条规定的内容。`]).flat()].join('\n'))
  const outline = buildDocumentOutline(rules)
  assert.equal(outline.sections.length, 21)
  assert.deepEqual(outline.announces, ['二十一个部分'])
  const rulesOverview = new DocumentOverview([rules], [outline])
  const placeOf = (question: string) => {
    const request = rulesOverview.requestFor(question)
    return request?.kind === 'section' ? outline.sections.indexOf(request.section) + 1 : request?.kind
  }
  assert.equal(placeOf('第二十部分讲了什么?'), 20)
  assert.equal(placeOf('文章的第二十一部分讲了什么?'), 21)
  assert.equal(placeOf('第21部分讲了什么?'), 21)
  assert.equal(placeOf('第十部分讲了什么?'), 10)
  assert.equal(placeOf('第十二部分讲了什么?'), 12)
  assert.equal(placeOf('第三部分讲了什么?'), 3)
  const answer = rulesOverview.answer(rulesOverview.requestFor('第二十部分讲了什么?')!, '第二十部分讲了什么?')
  assert.deepEqual(answer.citations.map((citation) => citation.text), ['二十、守则20', '第20条规定的内容。'])
  // Past the last part, and a place written digit by digit, are no section.
  for (const question of ['第二十二部分讲了什么?', '第一二部分讲了什么?', '第十十部分讲了什么?']) assert.equal(rulesOverview.requestFor(question), undefined, question)
  assert.match(rulesOverview.answer(rulesOverview.requestFor('文章分为哪几个部分?')!, '文章分为哪几个部分?').answer, /^全文分为二十一个部分:/)
})

test('第二十部分讲了什么? of the five-part article is no section: it goes to the passages and is answered or refused, without an error', async () => {
  assert.equal(overview.requestFor('第二十部分讲了什么?'), undefined)
  assert.equal(overview.requestFor('第五部分讲了什么?')?.kind, 'section')
  const citeqa = await createOfflineCiteqa()
  const body = await answerQuestion(citeqa, { question: '第二十部分讲了什么?', mode: 'extractive' })
  assert.equal(body.scope, 'passage')
  assert.equal(typeof body.answerable, 'boolean')
  if (body.answerable) {
    assert.ok(body.citations.length > 0)
    for (const citation of body.citations) assert.equal(article.paragraphs[citation.paragraph - 1].text.slice(citation.start, citation.end), citation.text)
  } else {
    assert.deepEqual(body.citations, [])
  }
})
