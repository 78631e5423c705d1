import { NUMBERED_ITEM, SECTION_HEADING } from './parse-paragraphs.ts'
import type { DeclaredMetadata } from './loaders/document-loader.ts'
import type { DocumentMetadata, MetadataField, Paragraph } from './types.ts'

/**
 * Finds what a document says about itself — title, author, source, date — as exact spans of its
 * paragraphs, so an answer can cite them. Nothing is guessed: a field the text does not state is absent.
 *
 * Where it looks: the title only in the first paragraph; bylines, sources and dates only near the
 * edges of the document (its first and last few paragraphs), and there only in byline-like places —
 * a short paragraph, a bracketed group opening or closing a paragraph (`(作者:…)`), or a news lead
 * (`咸宁网讯全媒体记者王勃、通讯员程钊报道:`). Body text that merely mentions 作者 or 来源 is not metadata.
 */

/** Longest first line taken as a title; CMRC-style titles run to 25 characters, news headlines to about 40. */
const TITLE_MAX_CHARACTERS = 40
/** Longest Markdown `#` heading taken as a title. */
const HEADING_TITLE_MAX_CHARACTERS = 100
/** A paragraph at most this long may be a whole byline or date line. */
const BYLINE_MAX_CHARACTERS = 80
/** Bylines sit among the first or the last this many paragraphs. */
const EDGE_PARAGRAPHS = 3
/** Longest value of a labelled field (`作者:…`). */
const VALUE_MAX_CHARACTERS = 60

const AUTHOR_LABELS = ['作者', '撰文', '撰稿', '执笔']
const SOURCE_LABELS = ['来源', '出处', '稿源', '原载']
const DATE_LABELS = ['发布时间', '发表时间', '发布日期', '发表日期', '日期', '时间']
// Labels that only end another field's value.
const OTHER_LABELS = ['责任编辑', '编辑', '摄影', '摄', '图', '记者', '通讯员', '浏览', '点击', '字号']
const ALL_LABELS = [...AUTHOR_LABELS, ...SOURCE_LABELS, ...DATE_LABELS, ...OTHER_LABELS].sort((a, b) => b.length - a.length)

// A label stands alone: not the tail of a longer word (资金来源:, 会议时间: are text).
const labelPattern = (labels: string[]) => new RegExp(`(?<![\\p{Script=Han}A-Za-z])(?:${labels.join('|')})\\s*[:：]\\s*`, 'gu')
const AUTHOR_LABEL = labelPattern(AUTHOR_LABELS)
const SOURCE_LABEL = labelPattern(SOURCE_LABELS)
const DATE_LABEL = labelPattern(DATE_LABELS)
const ANY_LABEL_AT_START = new RegExp(`^(?:${ALL_LABELS.join('|')})\\s*[:：]`, 'u')

const REPORTER_ROLE = '(?:本报|全媒体|特约|实习|见习|首席)?(?:记者|通讯员)'
// A Chinese name: 2–4 characters (or a transliteration with ·) that ends where the byline word does.
const PERSON_NAME = '(?!报道)[\\p{Script=Han}·]{2,4}?(?=报道|摄|[^\\p{Script=Han}·]|$)'
const REPORTERS = new RegExp(`${REPORTER_ROLE}\\s*${PERSON_NAME}(?:\\s*[、,，\\s]\\s*(?:${REPORTER_ROLE}\\s*)?${PERSON_NAME})*`, 'u')
// 文/张三, 文|张三, 撰文 张三 …; the name runs to the next space, bracket or separator.
const WRITTEN_BY = /(?<=^|[\s(（【[|｜])(?:文\s*[/|／｜]|撰文\s*[/|／｜]?)\s*([^\s/|／｜()（）【】[\]，,。；;:：]{2,30})/u
const NAME_THEN_WROTE = /^([\p{Script=Han}·]{2,12})\s*(?:撰文|撰稿|执笔)$/u
// A news lead: 咸宁网讯 / 本报讯 / 新华社北京7月3日电, then the reporters (perhaps in brackets).
const NEWS_LEAD = /^[^\s,，。:：(（]{0,20}?[讯电]\s*[(（]?\s*/u

const DATE = /\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*[日号]|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?!\d)/u
const SENTENCE_END = /[。！？!?]/
const TITLE_BAD_ENDING = /[。！？!?.,，、；;:：…]$/
const TEASER = /(?:\.{3}|…{1,2})$/

// What may close a labelled value: a bracket or separator, sentence punctuation, a wide gap, or
// a space before the next label, byline or date (`来源:新华社 作者:张三`).
const VALUE_END = new RegExp(
  `[)）\\]】」|｜。；;，,]|\\s{2,}|\\s+(?=(?:${ALL_LABELS.join('|')})\\s*[:：]|${REPORTER_ROLE}|文\\s*[/|／｜]|\\d{4}\\s*[-/.年])`,
  'u',
)

// A closing line that is just a name (杨赤明, （杨赤明）, ——杨赤明), minus words that often end texts.
const NAME_LINE = /^(?:[—－-]{1,2}\s*)?[(（]?\s*((?:[\p{Script=Han}]{2,4})|(?:[\p{Script=Han}]{1,6}·[\p{Script=Han}·]{1,10}))\s*[)）]?$/u
const NOT_NAMES = new Set(['全文完', '未完待续', '待续', '结束', '谢谢', '附录', '附件', '注释', '参考文献', '结语', '后记', '前言', '总结', '小结', '图片', '视频', '完'])

interface Span {
  start: number
  end: number
}

/**
 * A part of a paragraph where byline fields may be: [start, end) of the paragraph's text, and
 * what it is — a whole short paragraph, a bracketed group opening or closing a long one, or the
 * reporters of a news lead (only a byline at its very start counts there).
 */
interface Zone extends Span {
  kind: 'line' | 'bracket' | 'lead'
}

function trimmedSpan(text: string, start: number, end: number): Span | undefined {
  while (start < end && /\s/.test(text[start])) start += 1
  while (end > start && /[\s,，、;；。]/.test(text[end - 1])) end -= 1
  return end > start && end - start <= VALUE_MAX_CHARACTERS ? { start, end } : undefined
}

/** The value after the first of `labels` in text[zone]: `作者:杨赤明)` → `杨赤明`. */
function labelledValue(text: string, zone: Span, label: RegExp): Span | undefined {
  const part = text.slice(zone.start, zone.end)
  for (const match of part.matchAll(label)) {
    const valueStart = match.index + match[0].length
    const rest = part.slice(valueStart)
    const valueEnd = valueStart + (rest.search(VALUE_END) === -1 ? rest.length : rest.search(VALUE_END))
    const span = trimmedSpan(text, zone.start + valueStart, zone.start + valueEnd)
    if (span) return span
  }
  return undefined
}

function matchSpan(text: string, zone: Span, pattern: RegExp, group = 0): Span | undefined {
  const part = text.slice(zone.start, zone.end)
  const match = pattern.exec(part)
  if (!match?.[group]) return undefined
  const start = match.index + match[0].indexOf(match[group])
  return trimmedSpan(text, zone.start + start, zone.start + start + match[group].length)
}

/** True when a zone is a sentence (`通讯员张三表示,…。`) rather than a byline line. */
function isSentence(text: string, zone: Zone): boolean {
  return SENTENCE_END.test(text.slice(zone.start, zone.end))
}

function findAuthor(text: string, zone: Zone): Span | undefined {
  if (zone.kind === 'lead') {
    const reporters = matchSpan(text, zone, REPORTERS)
    return reporters?.start === zone.start ? reporters : undefined
  }
  return (
    labelledValue(text, zone, AUTHOR_LABEL) ??
    matchSpan(text, zone, WRITTEN_BY, 1) ??
    matchSpan(text, zone, NAME_THEN_WROTE, 1) ??
    (isSentence(text, zone) ? undefined : matchSpan(text, zone, REPORTERS))
  )
}

function findSource(text: string, zone: Zone): Span | undefined {
  return zone.kind === 'lead' ? undefined : labelledValue(text, zone, SOURCE_LABEL)
}

function findDate(text: string, zone: Zone): Span | undefined {
  if (zone.kind === 'lead') return undefined
  const labelled = labelledValue(text, zone, DATE_LABEL)
  if (labelled) return labelled
  // A bare date counts on a byline or date line of its own, not inside a sentence or a bracket of the text.
  return zone.kind === 'line' && !isSentence(text, zone) ? matchSpan(text, zone, DATE) : undefined
}

/** Where bylines may be in one paragraph: all of a short one; a long one's opening and closing brackets; a news lead. */
function bylineZones(text: string): Zone[] {
  const zones: Zone[] = []
  const lead = NEWS_LEAD.exec(text)
  if (lead) zones.push({ kind: 'lead', start: lead[0].length, end: Math.min(text.length, lead[0].length + 40) })
  // Counted in characters, not UTF-16 units; spreading only when the length cannot tell (a paragraph of a thousand documents each).
  if (text.length <= BYLINE_MAX_CHARACTERS || (text.length <= 2 * BYLINE_MAX_CHARACTERS && [...text].length <= BYLINE_MAX_CHARACTERS)) return [...zones, { kind: 'line', start: 0, end: text.length }]
  const opening = /^[(（【[][^()（）【】[\]]{1,80}[)）】\]]/u.exec(text)
  if (opening) zones.push({ kind: 'bracket', start: 1, end: opening[0].length - 1 })
  const closing = /[(（【[]([^()（）【】[\]]{1,80})[)）】\]][。.]?$/u.exec(text)
  if (closing) zones.push({ kind: 'bracket', start: closing.index + 1, end: closing.index + 1 + closing[1].length })
  return zones
}

/** True when a line is a byline, label or date line rather than a title: `作者:张三`, `文/张三`, `2018年7月3日`. */
function isMetadataLine(text: string): boolean {
  const whole: Zone = { kind: 'line', start: 0, end: text.length }
  return (
    ANY_LABEL_AT_START.test(text) ||
    new RegExp(`^${REPORTER_ROLE}`, 'u').test(text) ||
    matchSpan(text, whole, WRITTEN_BY)?.start === 0 ||
    NAME_THEN_WROTE.test(text) ||
    DATE.exec(text)?.index === 0
  )
}

/** The first paragraph when it is a title: a Markdown `#` heading, or a short line that is not a sentence. */
function findTitle(paragraphs: Paragraph[]): Span | undefined {
  const [first] = paragraphs
  if (!first || paragraphs.length < 2) return undefined
  const { text } = first
  const length = [...text].length
  if (SECTION_HEADING.test(text) || NUMBERED_ITEM.test(text) || isMetadataLine(text)) return undefined
  // parseParagraphs marks a first-line heading that is not 一、… only for a Markdown `#` line.
  if (first.kind === 'heading') return length <= HEADING_TITLE_MAX_CHARACTERS ? { start: 0, end: text.length } : undefined
  if (length > TITLE_MAX_CHARACTERS || SENTENCE_END.test(text) || TITLE_BAD_ENDING.test(text) || TEASER.test(text)) return undefined
  return { start: 0, end: text.length }
}

/** A closing paragraph that is only a name: the author signing off. */
function findClosingName(paragraphs: Paragraph[], titleIndex: number): MetadataField | undefined {
  const last = paragraphs.at(-1)
  if (!last || paragraphs.length < 2 || last.kind !== 'body' || paragraphs.length - 1 === titleIndex) return undefined
  const match = NAME_LINE.exec(last.text)
  if (!match || NOT_NAMES.has(match[1])) return undefined
  const start = match.index + match[0].indexOf(match[1])
  return fieldOf(last, { start, end: start + match[1].length })
}

function fieldOf(paragraph: Paragraph, span: Span): MetadataField {
  return { value: paragraph.text.slice(span.start, span.end), paragraph: paragraph.number, start: span.start, end: span.end }
}

/** Where a value the file declared (an HTML page's author tag) is printed in an edge paragraph, if it is. */
function declaredSpan(paragraphs: Paragraph[], value: string | undefined): MetadataField | undefined {
  if (!value || [...value].length > VALUE_MAX_CHARACTERS) return undefined
  const edges = [...paragraphs.slice(0, EDGE_PARAGRAPHS), ...paragraphs.slice(-EDGE_PARAGRAPHS)]
  for (const paragraph of edges) {
    const start = paragraph.text.indexOf(value)
    if (start !== -1) return fieldOf(paragraph, { start, end: start + value.length })
  }
  return undefined
}

/**
 * Title, author, source and date of a document, each as an exact, citable span of a paragraph.
 * What the file declared outside its text (`declared`: an HTML page's author tag, its `og:title`)
 * fills a field the text's own labels did not, when the text prints it near its edges.
 */
export function extractDocumentMetadata(paragraphs: Paragraph[], declared: DeclaredMetadata = {}): DocumentMetadata {
  const metadata: DocumentMetadata = {}
  const title = findTitle(paragraphs)
  if (title) metadata.title = fieldOf(paragraphs[0], title)
  const titleIndex = title ? 0 : -1

  const edges = [...new Set([...paragraphs.keys()].filter((index) => index < EDGE_PARAGRAPHS || index >= paragraphs.length - EDGE_PARAGRAPHS))]
  const finders = { author: findAuthor, source: findSource, date: findDate } as const
  for (const index of edges) {
    if (index === titleIndex) continue
    const paragraph = paragraphs[index]
    for (const zone of bylineZones(paragraph.text)) {
      for (const [field, find] of Object.entries(finders) as [keyof typeof finders, typeof findAuthor][]) {
        if (metadata[field]) continue
        const span = find(paragraph.text, zone)
        if (span) metadata[field] = fieldOf(paragraph, span)
      }
    }
  }
  if (!metadata.author) {
    const closingName = findClosingName(paragraphs, titleIndex) ?? declaredSpan(paragraphs, declared.byline)
    if (closingName) metadata.author = closingName
  }
  if (!metadata.title && paragraphs[0]?.text === declared.title) metadata.title = fieldOf(paragraphs[0], { start: 0, end: paragraphs[0].text.length })
  return metadata
}
