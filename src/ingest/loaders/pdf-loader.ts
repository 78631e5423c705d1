import { CiteqaError } from '../../errors.ts'
import { repairCjkRadicals } from './cjk-radicals.ts'
import type { DocumentLoader, SourceLine } from './document-loader.ts'

/** One line of a page as laid out: its text, where it starts and ends, its baseline and font size. */
interface LayoutLine {
  text: string
  left: number
  right: number
  baseline: number
  size: number
  page: number
}

interface PageLayout {
  lines: LayoutLine[]
  height: number
}

/** What the layout needs of a pdf.js text item. */
interface PositionedText {
  str: string
  transform: number[]
  width: number
}

const CJK_CHARACTER = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303F\uFF00-\uFFEF“”‘’]/u
// A page number alone on a line: 3, - 3 -, 第 3 页, 3 / 12, Page 3 of 12.
const PAGE_NUMBER = /^(?:[-–—]?\s*\d{1,4}\s*[-–—]?|第\s*\d{1,4}\s*页(?:\s*[/／,，]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*[/／]\s*\d{1,4}|page\s+\d{1,4}(?:\s+of\s+\d{1,4})?)$/iu
/** Running headers and footers live in the top and bottom this share of a page. */
const MARGIN_ZONE = 0.1
const SENTENCE_END = /[。！？!?；;：:…”」』）)]$|\.$/u

function isCjk(character: string | undefined): boolean {
  return character !== undefined && CJK_CHARACTER.test(character)
}

/** Joins the text of two pieces of one paragraph (items of a line, or lines): no space around CJK, none in a hyphenated word. */
function joinText(before: string, after: string): string {
  if (!before) return after
  if (!after) return before
  if (/[A-Za-z]-$/.test(before) && /^[a-z]/.test(after)) return before.slice(0, -1) + after
  const last = before.at(-1)
  const first = after[0]
  if (isCjk(last) || isCjk(first) || /\s$/.test(before) || /^\s/.test(after)) return before + after
  return `${before} ${after}`
}

/** The lines of a page, top to bottom: items sharing a baseline (within half a font size) make one line. */
function linesOfPage(items: PositionedText[], page: number): LayoutLine[] {
  const lines: LayoutLine[] = []
  const sorted = items
    .filter((item) => item.str.length > 0)
    .map((item) => ({ item, x: item.transform[4], y: item.transform[5], size: Math.hypot(item.transform[2], item.transform[3]) || 1 }))
    .sort((a, b) => b.y - a.y || a.x - b.x)
  for (const { item, x, y, size } of sorted) {
    const line = lines.at(-1)
    if (line && Math.abs(line.baseline - y) <= size * 0.5) {
      // A gap wider than a quarter of the font size between two non-CJK items is a space the PDF did not write.
      const gap = x - line.right
      line.text = gap > size * 0.25 && !isCjk(line.text.at(-1)) && !isCjk(item.str[0]) ? `${line.text} ${item.str}` : line.text + item.str
      line.right = Math.max(line.right, x + item.width)
      line.size = Math.max(line.size, size)
    } else {
      lines.push({ text: item.str, left: x, right: x + item.width, baseline: y, size, page })
    }
  }
  return lines.map((line) => ({ ...line, text: repairCjkRadicals(line.text.replace(/\s+/g, ' ').trim()) })).filter((line) => line.text.length > 0)
}

const digitsAsHash = (text: string) => text.replace(/\d+/g, '#')

/**
 * Drops running headers and footers: a line in the top or bottom margin zone of its page that is a
 * page number, or whose text (digits aside) recurs in the margin zones of at least half the pages.
 */
function withoutRunningHeaders(pages: PageLayout[]): PageLayout[] {
  const inMarginZone = (line: LayoutLine, height: number) => line.baseline > height * (1 - MARGIN_ZONE) || line.baseline < height * MARGIN_ZONE
  const recurrence = new Map<string, number>()
  for (const { lines, height } of pages) {
    for (const key of new Set(lines.filter((line) => inMarginZone(line, height)).map((line) => digitsAsHash(line.text)))) recurrence.set(key, (recurrence.get(key) ?? 0) + 1)
  }
  const minimumRecurrence = Math.max(2, Math.ceil(pages.length / 2))
  return pages.map(({ lines, height }) => ({
    height,
    lines: lines.filter((line) => !(inMarginZone(line, height) && (PAGE_NUMBER.test(line.text) || (pages.length > 1 && (recurrence.get(digitsAsHash(line.text)) ?? 0) >= minimumRecurrence)))),
  }))
}

function median(values: number[]): number {
  if (values.length === 0) return 0
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]
}

/**
 * Rejoins lines into paragraphs, across page breaks too. A line starts a new paragraph when it is
 * indented past the text's left edge, when the gap above it is clearly wider than the line spacing,
 * when its font is larger or smaller than the line before (a heading), or when the line before
 * stopped short of the right edge after a sentence end.
 */
function paragraphsOf(pages: PageLayout[]): SourceLine[] {
  const lines = pages.flatMap((page) => page.lines)
  if (lines.length === 0) return []
  const bodySize = median(lines.map((line) => line.size))
  const leftEdge = median(lines.map((line) => line.left))
  const rightEdge = Math.max(...lines.map((line) => line.right))
  const spacings: number[] = []
  for (let index = 1; index < lines.length; index += 1) {
    const gap = lines[index - 1].baseline - lines[index].baseline
    if (lines[index].page === lines[index - 1].page && gap > 0) spacings.push(gap)
  }
  const lineSpacing = median(spacings) || bodySize * 1.2
  const paragraphs: SourceLine[] = []
  let previous: LayoutLine | undefined
  for (const line of lines) {
    const indented = line.left > leftEdge + bodySize * 0.8
    const samePage = previous !== undefined && previous.page === line.page
    const wideGap = samePage && previous!.baseline - line.baseline > lineSpacing * 1.3
    const sizeChange = previous !== undefined && Math.abs(previous.size - line.size) > bodySize * 0.08
    const previousEndedShort = previous !== undefined && previous.right < rightEdge - bodySize * 2 && SENTENCE_END.test(previous.text)
    const paragraph = paragraphs.at(-1)
    if (!paragraph || indented || wideGap || sizeChange || previousEndedShort) {
      paragraphs.push({ text: line.text, page: line.page })
    } else {
      paragraph.text = joinText(paragraph.text, line.text)
    }
    previous = line
  }
  return paragraphs
}

/**
 * PDF through unpdf (Mozilla's pdf.js, bundled for servers): text in reading order (one column,
 * top to bottom), lines rejoined into paragraphs across line and page breaks with no space between
 * CJK characters and hyphenated words mended, radical code points put back to ideographs (see
 * `cjk-radicals.ts`), running headers, footers and page numbers dropped. Each paragraph keeps the
 * page it starts on. A PDF with no text layer (a scan) is refused: there is no OCR here.
 */
export const pdfLoader: DocumentLoader = {
  format: 'pdf',
  extensions: ['.pdf'],
  sniff: (bytes) => bytes.subarray(0, 1024).toString('latin1').includes('%PDF-'),
  async load(bytes, path) {
    // pdf.js is loaded with the first PDF read: a start without one does not compile it.
    const { getDocumentProxy } = await import('unpdf')
    const pdf = await getDocumentProxy(new Uint8Array(bytes)).catch((cause: unknown) => {
      throw new CiteqaError('ingest_unreadable', `Ingest: ${path} is not a readable PDF (${cause instanceof Error ? cause.message : String(cause)})`, { cause })
    })
    try {
      const pages: PageLayout[] = []
      for (let number = 1; number <= pdf.numPages; number += 1) {
        const page = await pdf.getPage(number)
        const content = await page.getTextContent()
        const items = content.items.filter((item) => 'str' in item) as PositionedText[]
        pages.push({ lines: linesOfPage(items, number), height: page.getViewport({ scale: 1 }).height })
      }
      const lines = paragraphsOf(withoutRunningHeaders(pages))
      if (lines.length === 0) {
        throw new CiteqaError(
          'ingest_no_text',
          `Ingest: ${path} has no text layer (${pdf.numPages} page${pdf.numPages === 1 ? '' : 's'} of images only, a scan?): citeqa reads the text of a PDF and does no OCR`,
          { hint: 'Run OCR on it first (e.g. ocrmypdf), or give the document as text, Word or HTML.' },
        )
      }
      return { format: 'pdf', lines, declared: { pages: pdf.numPages } }
    } finally {
      await pdf.destroy()
    }
  },
}
