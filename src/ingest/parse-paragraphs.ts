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
  const lines = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0)

  let sectionTitle = ''
  let itemTitle = ''
  return stripPageChrome(lines).map((line, index) => {
    let kind: Paragraph['kind'] = 'body'
    let paragraphText = line
    if (MARKDOWN_HEADING.test(line)) {
      paragraphText = line.replace(MARKDOWN_HEADING, '')
      kind = 'heading'
    } else if (SECTION_HEADING.test(line)) {
      kind = 'heading'
    } else if (NUMBERED_ITEM.test(line) && sectionTitle) {
      kind = 'item'
    }
    if (kind === 'heading') {
      sectionTitle = titleOf(paragraphText)
      itemTitle = ''
    } else if (kind === 'item') {
      itemTitle = titleOf(paragraphText)
    }
    const section = [sectionTitle, itemTitle].filter(Boolean).join(BREADCRUMB_SEPARATOR)
    return { docId, number: index + 1, text: paragraphText, section, kind }
  })
}
