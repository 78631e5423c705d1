import type { SourceLine } from './document-loader.ts'

/** The part of the DOM the block walker needs (linkedom's and the browser's nodes both have it). */
interface DomNode {
  nodeType: number
  nodeName: string
  textContent: string | null
  childNodes: ArrayLike<DomNode>
}

const ELEMENT_NODE = 1
const TEXT_NODE = 3
const HEADING = /^H[1-6]$/
// Elements that end the line before them and start a new one after; their text is one paragraph
// unless they hold blocks of their own.
const BLOCKS = new Set([
  'ADDRESS', 'ARTICLE', 'ASIDE', 'BLOCKQUOTE', 'CAPTION', 'DD', 'DETAILS', 'DIV', 'DL', 'DT', 'FIELDSET', 'FIGCAPTION', 'FIGURE',
  'FOOTER', 'FORM', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'HEADER', 'HR', 'LI', 'MAIN', 'NAV', 'OL', 'P', 'PRE', 'SECTION', 'SUMMARY',
  'TABLE', 'TBODY', 'TD', 'TFOOT', 'TH', 'THEAD', 'TR', 'UL',
])
const SKIPPED = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'SVG', 'IFRAME', 'BUTTON', 'SELECT', 'TEXTAREA', 'HEAD'])
const CJK = '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Hangul}'
// A source line break between two CJK characters (or CJK punctuation) is no space: browsers drop it too (CSS Text 4 segment breaks).
const CJK_SEGMENT_BREAK = new RegExp(`([${CJK}\\u3000-\\u303F\\uFF00-\\uFFEF])[ \\t]*[\\r\\n]+[ \\t]*(?=[${CJK}\\u3000-\\u303F\\uFF00-\\uFFEF])`, 'gu')

/** HTML whitespace collapsed the way a browser shows it; `&nbsp;` counts as a space here. */
export function collapseWhitespace(text: string): string {
  return text.replace(CJK_SEGMENT_BREAK, '$1').replace(/[\s\u00A0]+/g, ' ').trim()
}

function tableRowText(row: DomNode): string {
  const cells = Array.from(row.childNodes).filter((cell) => cell.nodeName === 'TD' || cell.nodeName === 'TH')
  return cells.map((cell) => collapseWhitespace(cell.textContent ?? '')).filter(Boolean).join(' | ')
}

/**
 * The paragraphs of an HTML fragment, one line each, in document order: headings (`<h1>`–`<h6>`)
 * marked as headings, list items as items, a table row as its cells joined by ` | `, and any other
 * block (`<p>`, `<div>`, `<blockquote>`…) or `<br>`-separated run of text as a body line.
 */
export function htmlBlocksToLines(root: DomNode): SourceLine[] {
  const lines: SourceLine[] = []
  let inline = ''
  const flush = (kind?: SourceLine['kind']) => {
    const text = collapseWhitespace(inline)
    inline = ''
    if (text) lines.push(kind ? { text, kind } : { text })
  }
  const visit = (node: DomNode): void => {
    if (node.nodeType === TEXT_NODE) {
      inline += node.textContent ?? ''
      return
    }
    if (node.nodeType !== ELEMENT_NODE) return
    const name = node.nodeName.toUpperCase()
    if (SKIPPED.has(name)) return
    if (name === 'BR') {
      flush()
      return
    }
    if (name === 'TR') {
      flush()
      const row = tableRowText(node)
      if (row) lines.push({ text: row })
      return
    }
    if (!BLOCKS.has(name)) {
      for (const child of Array.from(node.childNodes)) visit(child)
      return
    }
    flush()
    for (const child of Array.from(node.childNodes)) visit(child)
    flush(HEADING.test(name) ? 'heading' : name === 'LI' ? 'item' : undefined)
  }
  visit(root)
  flush()
  return lines
}
