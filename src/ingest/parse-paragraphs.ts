import type { SourceLine } from './loaders/document-loader.ts'
import { stripPageChrome } from './strip-page-chrome.ts'
import type { Paragraph } from './types.ts'

// 一、… opens a top section; 1、… (or 1. / （1）) a numbered item inside it; Markdown # headings count as sections.
export const SECTION_HEADING = /^[一二三四五六七八九十百]+[、.．]/
const MARKDOWN_HEADING = /^#{1,6}\s+/
export const NUMBERED_ITEM = /^(?:\d{1,2}[、.．](?!\d)|[（(]\d{1,2}[）)])/
// A heading's title is its text up to the first comma or full stop: 四、推动“四个全面”战略布局,即… → 四、推动“四个全面”战略布局
const TITLE_END = /[,，。；;:：!！?？]/

export const BREADCRUMB_SEPARATOR = ' › '

function titleOf(line: string): string {
  const end = line.search(TITLE_END)
  return (end === -1 ? line : line.slice(0, end)).trim()
}

/**
 * Splits a document's text into numbered paragraphs with section breadcrumbs.
 * One non-empty line is one paragraph. A scraped page's trailing chrome block (editor line,
 * previous/next links, teasers) is dropped first; a chrome-like line inside the text, such as
 * `来源: 新华社` under a title, stays a paragraph (see {@link stripPageChrome}).
 */
export function parseParagraphs(docId: string, text: string): Paragraph[] {
  return parseSourceLines(docId, text.replace(/^\uFEFF/, '').split(/\r?\n/).map((line) => ({ text: line })))
}

/**
 * The paragraphs of a loaded file (see `loaders/`): like {@link parseParagraphs}, and a line the
 * format marks as a heading (an HTML `<h2>`, a Word heading) or a list item is one whatever its
 * text; a PDF line's page is kept.
 */
export function parseSourceLines(docId: string, sourceLines: SourceLine[]): Paragraph[] {
  const lines = sourceLines.map((line) => ({ ...line, text: line.text.trim() })).filter((line) => line.text.length > 0)

  let sectionTitle = ''
  let itemTitle = ''
  return stripPageChrome(lines, (line) => line.text).map((line, index) => {
    let kind: Paragraph['kind'] = 'body'
    let paragraphText = line.text
    if (MARKDOWN_HEADING.test(paragraphText)) {
      paragraphText = paragraphText.replace(MARKDOWN_HEADING, '')
      kind = 'heading'
    } else if (line.kind === 'heading' || SECTION_HEADING.test(paragraphText)) {
      kind = 'heading'
    } else if (line.kind === 'item' || (NUMBERED_ITEM.test(paragraphText) && sectionTitle)) {
      kind = 'item'
    }
    if (kind === 'heading') {
      sectionTitle = titleOf(paragraphText)
      itemTitle = ''
    } else if (kind === 'item') {
      itemTitle = titleOf(paragraphText)
    }
    const section = [sectionTitle, itemTitle].filter(Boolean).join(BREADCRUMB_SEPARATOR)
    const paragraph: Paragraph = { docId, number: index + 1, text: paragraphText, section, kind }
    if (line.page !== undefined) paragraph.page = line.page
    return paragraph
  })
}
