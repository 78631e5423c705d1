import assert from 'node:assert/strict'
import { test } from 'node:test'
import { answerAboutDocument, documentFieldAskedFor } from '../../src/answer/document-questions.ts'
import type { GroundedAnswer } from '../../src/answer/types.ts'
import { loadDocuments } from '../../src/ingest/load-documents.ts'
import type { ArticleDocument } from '../../src/ingest/types.ts'

// The CMRC 2018 trial documents kept in the repository, as the evaluation reads them.
const CMRC_DOCS = 'data/qa/cmrc-trial/docs'
const AUTHOR = '赤壁市神山镇党委书记杨赤明'

/** The one citation, checked to be a verbatim slice of its paragraph. */
function citationOf(answer: GroundedAnswer | undefined, documents: ArticleDocument[]) {
  assert.ok(answer, 'answered')
  assert.equal(answer.answerable, true)
  assert.equal(answer.citations.length, 1)
  const [citation] = answer.citations
  const paragraph = documents.find((document) => document.id === citation.docId)!.paragraphs[citation.paragraph - 1]
  assert.equal(paragraph.text.slice(citation.start, citation.end), citation.text)
  assert.equal(citation.section, paragraph.section)
  return citation
}

test('the article: who wrote it, in Chinese and English, cited to the byline in paragraph 24', async () => {
  const documents = await loadDocuments('data/article.txt')
  for (const question of ['这篇文章的作者是谁?', '作者是谁？', '本文是谁写的', '文章作者叫什么名字?']) {
    const answer = answerAboutDocument(question, documents)
    assert.equal(answer?.answer, `作者:${AUTHOR}[1]`, question)
    const citation = citationOf(answer, documents)
    assert.deepEqual([citation.n, citation.docId, citation.paragraph, citation.text], [1, 'article', 24, AUTHOR])
  }
  for (const question of ['Who wrote the article?', 'Who is the author?', 'who wrote it']) {
    const answer = answerAboutDocument(question, documents)
    assert.equal(answer?.answer, `The author is ${AUTHOR} [1].`, question)
    assert.equal(citationOf(answer, documents).paragraph, 24)
  }
})

test('the article has no title, source or date: such questions are left to the answerer', async () => {
  const documents = await loadDocuments('data/article.txt')
  for (const question of ['这篇文章的标题是什么?', '本文出处?', '文章是什么时候发表的?', 'What is the title?', 'When was it published?']) {
    assert.notEqual(documentFieldAskedFor(question), undefined, question)
    assert.equal(answerAboutDocument(question, documents), undefined, question)
  }
})

test('a CMRC document: its title; with all of them, which document is meant cannot be told', async () => {
  const documents = await loadDocuments(CMRC_DOCS)
  assert.equal(documents.length, 192)
  const bubbles = documents.filter((document) => document.id === 'trial-000')
  const answer = answerAboutDocument('这篇文章的标题是什么?', bubbles)
  assert.equal(answer?.answer, '标题:泡泡战士[1]')
  assert.deepEqual(
    (({ docId, paragraph, start, end, text }) => ({ docId, paragraph, start, end, text }))(citationOf(answer, bubbles)),
    { docId: 'trial-000', paragraph: 1, start: 0, end: 4, text: '泡泡战士' },
  )
  assert.equal(answerAboutDocument('What is the title of the article?', bubbles)?.answer, 'The title is 泡泡战士 [1].')
  assert.equal(answerAboutDocument('这篇文章的标题是什么?', documents), undefined, '192 documents have a title')
  // Naming the document by its title picks it out.
  assert.equal(answerAboutDocument('《泡泡战士》这篇文章的题目是什么?', documents)?.citations[0].docId, 'trial-000')
})

test('with several documents a field only one of them has is answered from that one', async () => {
  const [article] = await loadDocuments('data/article.txt')
  const other: ArticleDocument = { ...article, id: 'other', metadata: {} }
  assert.equal(answerAboutDocument('这篇文章的作者是谁?', [other, article])?.citations[0].docId, 'article')
  assert.equal(answerAboutDocument('这篇文章的作者是谁?', [article, { ...article, id: 'copy' }]), undefined)
})

test('content questions that mention 作者, 来源 or a work do not fire', async () => {
  const documents = await loadDocuments('data/article.txt')
  for (const question of [
    '《SOUL EATER》是谁的漫画作品?',
    '资金来源是什么?',
    '《越南亡国史》的作者是谁？',
    '文章中提到的资金来源是什么?',
    '这篇文章的作者是如何看待乡村振兴的?',
    '文章作者认为乡镇党委书记要做什么?',
    '作者认为什么最重要?',
    'Who is the author of Soul Eater?',
    'Who wrote the letter to the township?',
    '乡镇党委书记要强化哪两个责任？',
  ]) {
    assert.equal(documentFieldAskedFor(question), undefined, question)
    assert.equal(answerAboutDocument(question, documents), undefined, question)
  }
})
