import type { Citation } from '../answer/types.ts'
import type { DocumentOutline, OutlineSpan } from '../ingest/document-outline.ts'
import type { ArticleDocument } from '../ingest/types.ts'
import { escapeFenceTags } from './prompt-data.ts'

/**
 * What the model is given for a whole-document question instead of top-k passages: the
 * document's outline as numbered lines — title, thesis, and for every top-level section its
 * heading, opening sentence and item titles — each a verbatim span, so the answer's citations
 * are checked like any other. A document without sections gives its title and its whole text,
 * when that fits. A document longer than `maxCharacters` is "long": headings and first sentences
 * say too little of it, so its map-reduce summary is added (see document-summaries.ts), and when
 * even its outline does not fit, only the short lines (title, thesis, headings) are kept.
 */

/** One numbered line of the outline prompt: a citable span and what it is. */
export interface OverviewLine {
  citation: Citation
  /** What the line is, shown to the model: `title`, `thesis`, `一、… · heading`, `… · opening`, `四、… › 1、… · item`, `¶n` (a whole paragraph). */
  role: string
}

export interface OverviewLinesOptions {
  /** Most characters of a document given whole, and of line text in one prompt; a longer document is summarized map-reduce. Default 6,000 (about 4,000 tokens of Chinese). */
  maxCharacters: number
}

export const defaultOverviewLinesOptions: OverviewLinesOptions = { maxCharacters: 6000 }

export interface OverviewLines {
  lines: OverviewLine[]
  /** True when the document is longer than `maxCharacters`: its summary must be added to the lines. */
  long: boolean
}

function citationOf(document: ArticleDocument, span: OutlineSpan, n: number): Citation {
  return { n, docId: document.id, paragraph: span.paragraph, section: document.paragraphs[span.paragraph - 1].section, text: span.text, start: span.start, end: span.end, score: 1 }
}

function numbered(document: ArticleDocument, entries: [OutlineSpan, string][]): OverviewLine[] {
  return entries.map(([span, role], index) => ({ citation: citationOf(document, span, index + 1), role }))
}

function size(lines: OverviewLine[]): number {
  return lines.reduce((total, line) => total + line.citation.text.length, 0)
}

/** The lines of a document's outline prompt, and whether the document is too long for them alone. */
export function overviewLinesOf(document: ArticleDocument, outline: DocumentOutline, options: Partial<OverviewLinesOptions> = {}): OverviewLines {
  const { maxCharacters } = { ...defaultOverviewLinesOptions, ...options }
  const long = document.paragraphs.reduce((total, paragraph) => total + paragraph.text.length, 0) > maxCharacters
  const head: [OutlineSpan, string][] = [
    ...(outline.title?.from === 'metadata' ? [[outline.title, 'title'] as [OutlineSpan, string]] : []),
    ...outline.thesis.map((span): [OutlineSpan, string] => [span, 'thesis']),
  ]
  if (outline.sections.length >= 2) {
    const headings = outline.sections.map((section): [OutlineSpan, string] => [section.heading, `${section.title} · heading`])
    const full = numbered(document, [
      ...head,
      ...outline.sections.flatMap((section): [OutlineSpan, string][] => [
        [section.heading, `${section.title} · heading`],
        ...(section.lead ? [[section.lead, `${section.title} · opening`] as [OutlineSpan, string]] : []),
        ...section.items.map((item): [OutlineSpan, string] => [item.sentence, `${section.title} › ${item.title} · item`]),
      ]),
    ])
    return { lines: size(full) <= maxCharacters ? full : numbered(document, [...head, ...headings]), long }
  }
  // No sections to outline: the whole text when it fits (the title first), else title and thesis plus the summary.
  const title = head.filter(([, role]) => role === 'title')
  const paragraphs = document.paragraphs
    .filter((paragraph) => paragraph.number !== title[0]?.[0].paragraph)
    .map((paragraph): [OutlineSpan, string] => [{ paragraph: paragraph.number, start: 0, end: paragraph.text.length, text: paragraph.text }, `¶${paragraph.number}`])
  const whole = numbered(document, [...title, ...paragraphs])
  return long ? { lines: numbered(document, head), long } : { lines: whole, long }
}

/** Lines as the overview prompt shows them: `[n] (role) text`. */
export function formatOverviewLines(lines: OverviewLine[]): string {
  return lines.map(({ citation, role }) => escapeFenceTags(`[${citation.n}] (${role.replace(/[()\n]/g, ' ')}) ${citation.text}`)).join('\n')
}
