import assert from 'node:assert/strict'
import { test } from 'node:test'
import { announcedTermsOf, buildDocumentOutline, rankThesisCandidates, type OutlineSpan } from '../../src/ingest/document-outline.ts'
import { extractDocumentMetadata } from '../../src/ingest/document-metadata.ts'
import { loadDocuments } from '../../src/ingest/load-documents.ts'
import { parseParagraphs } from '../../src/ingest/parse-paragraphs.ts'
import type { ArticleDocument } from '../../src/ingest/types.ts'

const [article] = await loadDocuments('data/article.txt')

function documentOf(id: string, text: string): ArticleDocument {
  const paragraphs = parseParagraphs(id, text)
  return { id, source: `${id}.txt`, paragraphs, metadata: extractDocumentMetadata(paragraphs) }
}

function assertVerbatim(document: ArticleDocument, span: OutlineSpan) {
  assert.equal(document.paragraphs[span.paragraph - 1].text.slice(span.start, span.end), span.text)
}

test("the article's outline: the thesis of its introduction, its five sections and the items of 四 and 五", () => {
  const outline = buildDocumentOutline(article)
  assert.equal(outline.docId, 'article')
  assert.equal(outline.thesis.length, 1)
  assert.match(outline.thesis[0].text, /^在落实全面从严治党主体责任.*乡镇党委书记要牢牢把握“一二三四五”.*干在实处。$/)
  assert.deepEqual(outline.announces, ['一二三四五'])
  // No title line: the clause of the thesis that names the five parts stands in, marked as such.
  assert.deepEqual({ text: outline.title?.text, from: outline.title?.from }, { text: '乡镇党委书记要牢牢把握“一二三四五”', from: 'thesis' })
  assert.deepEqual(
    outline.sections.map((section) => [section.heading.paragraph, section.title]),
    [
      [2, '一、树立一种意识'],
      [5, '二、强化两个责任'],
      [9, '三、提高三种能力'],
      [12, '四、推动“四个全面”战略布局'],
      [18, '五、践行五大发展理念'],
    ],
  )
  assert.deepEqual(outline.sections.map((section) => [section.firstParagraph, section.lastParagraph]), [[2, 4], [5, 8], [9, 11], [12, 17], [18, 24]])
  assert.deepEqual(outline.sections[3].items.map((item) => item.title), ['1、全面建设社会主义现代化国家不留短板', '2、全面深化改革不留暗门', '3、全面推进依法治国不留空白', '4、全面从严治党不留死角'])
  assert.deepEqual(outline.sections[4].items.map((item) => item.sentence.paragraph), [20, 21, 22, 23, 24])
  assert.equal(outline.sections[4].heading.text, '五、践行五大发展理念,即用“创新、协调、绿色、开放、共享”发展理念统领“十四五”时期经济社会发展全局。')
  assert.equal(outline.sections[0].lead?.paragraph, 3)
  for (const span of [outline.title!, ...outline.thesis, ...outline.sections.flatMap((section) => [section.heading, ...(section.lead ? [section.lead] : []), ...section.items.map((item) => item.sentence)])]) {
    assertVerbatim(article, span)
  }
})

test('the thesis is measured, not assumed: on the article its signals single out the sentence that announces the five points', () => {
  const ranked = rankThesisCandidates(article)
  assert.deepEqual(
    ranked.map(({ start, announces, headings, centrality, position }) => ({ start, announces, headings, centrality, position })),
    [
      { start: 60, announces: 1, headings: 0.4, centrality: 1, position: 1 },
      { start: 25, announces: 0, headings: 0.2, centrality: 0.973, position: 0.5 },
      { start: 0, announces: 0, headings: 0, centrality: 0.556, position: 1 },
    ],
  )
  // Without the announcement signal the same sentence still wins on the others.
  const [best] = rankThesisCandidates(article, { announces: 0, headings: 0.4, centrality: 0.4, position: 0.2 })
  assert.equal(best.start, 60)
})

test('a titled document without sections: the title line, and the opening sentence as thesis', () => {
  const document = documentOf('crocodile', '鳄鱼泪\n《鳄鱼泪》是香港丽的电视的经典电视剧，1978年首播，共89集。本剧由潘志文主演。同名主题曲由袁丽嫦原唱。')
  const outline = buildDocumentOutline(document)
  assert.deepEqual({ text: outline.title?.text, from: outline.title?.from, paragraph: outline.title?.paragraph }, { text: '鳄鱼泪', from: 'metadata', paragraph: 1 })
  assert.equal(outline.thesis[0].text, '《鳄鱼泪》是香港丽的电视的经典电视剧，1978年首播，共89集。')
  assert.deepEqual(outline.sections, [])
  assert.deepEqual(outline.announces, [])
})

test('a Markdown document: its # title is the title, not a section; ## headings are the sections', () => {
  const document = documentOf('guide', ['# 种茶指南', '种茶要做好以下三个方面的工作。', '## 选地', '茶园宜选酸性土壤。', '## 育苗', '1、选种。要选良种。', '2、催芽。温水浸种。', '## 管理', '及时除草施肥。'].join('\n'))
  const outline = buildDocumentOutline(document)
  assert.equal(outline.title?.text, '种茶指南')
  assert.deepEqual(outline.sections.map((section) => section.title), ['选地', '育苗', '管理'])
  assert.deepEqual(outline.sections[1].items.map((item) => item.sentence.text), ['1、选种。', '2、催芽。'])
  assert.equal(outline.thesis[0].text, '种茶要做好以下三个方面的工作。')
  assert.deepEqual(outline.announces, ['三个方面'])
})

test('announced terms: a numeral run or a count as long as the list of sections; names such as 四个全面 are not counts', () => {
  assert.deepEqual(announcedTermsOf('要牢牢把握“一二三四五”,立足本职。', 5), ['一二三四五'])
  assert.deepEqual(announcedTermsOf('要牢牢把握“一二三四五”,立足本职。', 4), [])
  assert.deepEqual(announcedTermsOf('本文从五个方面谈一谈。', 5), ['五个方面'])
  assert.deepEqual(announcedTermsOf('推动“四个全面”战略布局,践行五大发展理念。', 4), [])
  assert.deepEqual(announcedTermsOf('要做好以下几点:', 3), ['以下几'])
})
