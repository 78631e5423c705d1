import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Citation } from '../answer/types.ts'
import { CiteqaError } from '../errors.ts'
import type { DocumentOutline, OutlineSpan } from '../ingest/document-outline.ts'
import { splitIntoSentences } from '../ingest/split-into-sentences.ts'
import type { ArticleDocument, Paragraph } from '../ingest/types.ts'
import type { Logger } from '../logger.ts'
import type { LlmAnswerer } from './llm-answerer.ts'
import { SUMMARY_FORMAT_VERSION, type DocumentSummary, type SummarySentence } from './document-summary.ts'
import { PROMPTS_DIRECTORY } from './prompt-files.ts'
import { FileSummaryCache, type SummaryCache } from './summary-cache.ts'
import type { SupportScorer } from './support-score.ts'
import { verifyCitations } from './verify-citations.ts'

/**
 * The map-reduce summary of a long document, for LLM answers to whole-document questions: each
 * part (a top-level section, or a window of paragraphs) is summarized in one to three sentences
 * citing its passages (map); the parts' summaries are combined into one summary citing them
 * (reduce). Every sentence is checked against what it cites — map sentences against the
 * passages, reduce sentences against the article spans their notes cite — and only supported
 * sentences are kept, each with its article spans.
 *
 * Built once per document, model and prompts, on the first whole-document question that needs it,
 * and cached (summary-cache.ts: in the index folder, `<INDEX_DIR>/summaries/<doc>.json`, or in
 * PostgreSQL with INDEX_STORE=postgres, shared by replicas); concurrent requests share
 * one build, and later requests (and restarts) read the cache. Never one per request.
 */

export { SUMMARY_FORMAT_VERSION, type DocumentSummary, type SummarySentence } from './document-summary.ts'

export interface DocumentSummariesOptions {
  /** Folder of the cache files (a FileSummaryCache), when no `cache` is given; neither keeps summaries in memory only. */
  directory?: string
  /** Where built summaries are kept across restarts (and, in PostgreSQL, shared by replicas). Default: files in `directory`. */
  cache?: SummaryCache
  llm: LlmAnswerer
  /** The support scorer for one model text over the passages it was given (the service's cross-lingual one). */
  scorerFor: (answer: string, passages: string[]) => Promise<SupportScorer>
  /** Most characters of passages in one map step. Default 6,000. */
  maxPartCharacters?: number
  logger?: Logger
}

interface SummaryPart {
  title: string
  passages: OutlineSpan[]
}

function sentencesOf(paragraph: Paragraph): OutlineSpan[] {
  return splitIntoSentences(paragraph.text).map((sentence) => ({ paragraph: paragraph.number, start: sentence.start, end: sentence.end, text: sentence.text }))
}

/** The parts a document is summarized in: its introduction and each top-level section, or windows of paragraphs; none longer than `maxCharacters`. */
export function summaryPartsOf(document: ArticleDocument, outline: DocumentOutline, maxCharacters: number): SummaryPart[] {
  const titleParagraph = outline.title?.from === 'metadata' ? outline.title.paragraph : 0
  const content = document.paragraphs.filter((paragraph) => paragraph.number !== titleParagraph)
  const ranges: { title: string; paragraphs: Paragraph[] }[] = []
  if (outline.sections.length > 0) {
    const introduction = content.filter((paragraph) => paragraph.number < outline.sections[0].firstParagraph)
    if (introduction.length > 0) ranges.push({ title: 'introduction', paragraphs: introduction })
    for (const section of outline.sections) {
      ranges.push({ title: section.title, paragraphs: content.filter((paragraph) => paragraph.number >= section.firstParagraph && paragraph.number <= section.lastParagraph) })
    }
  } else {
    ranges.push({ title: '', paragraphs: content })
  }
  const parts: SummaryPart[] = []
  for (const range of ranges) {
    // Sentences, not paragraphs, so that one huge paragraph is still cut to fit.
    let current: OutlineSpan[] = []
    let length = 0
    const flush = () => {
      if (current.length === 0) return
      const title = range.title || `¶${current[0].paragraph}–${current.at(-1)!.paragraph}`
      parts.push({ title: parts.some((part) => part.title === title) ? `${title} (${parts.length + 1})` : title, passages: current })
      current = []
      length = 0
    }
    for (const sentence of range.paragraphs.flatMap(sentencesOf)) {
      if (length + sentence.text.length > maxCharacters) flush()
      current.push(sentence)
      length += sentence.text.length
    }
    flush()
  }
  return parts
}

function asCitations(document: ArticleDocument, spans: OutlineSpan[]): Citation[] {
  return spans.map((span, index) => ({ n: index + 1, docId: document.id, paragraph: span.paragraph, section: document.paragraphs[span.paragraph - 1].section, text: span.text, start: span.start, end: span.end, score: 1 }))
}

function spanKey(span: OutlineSpan): string {
  return `${span.paragraph}:${span.start}:${span.end}`
}

function uniqueSpans(spans: OutlineSpan[]): OutlineSpan[] {
  const seen = new Map<string, OutlineSpan>()
  for (const span of spans) if (!seen.has(spanKey(span))) seen.set(spanKey(span), { paragraph: span.paragraph, start: span.start, end: span.end, text: span.text })
  return [...seen.values()].sort((left, right) => left.paragraph - right.paragraph || left.start - right.start)
}

let promptTexts: string | undefined
function summaryPromptTexts(): string {
  promptTexts ??= ['summarize-part', 'summarize-document'].map((name) => readFileSync(join(PROMPTS_DIRECTORY, `${name}.md`), 'utf8')).join('\u0000')
  return promptTexts
}

/** Builds, caches and serves long documents' summaries. */
export class DocumentSummaries {
  private readonly memory = new Map<string, DocumentSummary>()
  private readonly building = new Map<string, Promise<DocumentSummary>>()
  private readonly maxPartCharacters: number
  private readonly cache?: SummaryCache

  constructor(private readonly options: DocumentSummariesOptions) {
    this.maxPartCharacters = options.maxPartCharacters ?? 6000
    this.cache = options.cache ?? (options.directory ? new FileSummaryCache(options.directory) : undefined)
  }

  /** What a summary of this document must have been built from to be reused. */
  keyOf(document: ArticleDocument): string {
    const hash = createHash('sha256').update(`${SUMMARY_FORMAT_VERSION}\u0000${this.options.llm.description}\u0000${this.maxPartCharacters}\u0000${summaryPromptTexts()}\u0000${document.id}`)
    for (const paragraph of document.paragraphs) hash.update(`\u0001${paragraph.text}`)
    return hash.digest('hex')
  }

  /**
   * The document's summary: from memory, from the cache file, or built now (once, whoever asks
   * meanwhile waits for the same build). `signal` stops this caller's wait, not the build.
   */
  async summaryOf(document: ArticleDocument, outline: DocumentOutline, signal?: AbortSignal): Promise<DocumentSummary> {
    const key = this.keyOf(document)
    const remembered = this.memory.get(document.id)
    if (remembered?.key === key) return remembered
    let build = this.building.get(key)
    if (!build) {
      build = this.loadOrBuild(document, outline, key).finally(() => this.building.delete(key))
      this.building.set(key, build)
    }
    if (!signal) return build
    return Promise.race([build, new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }))])
  }

  private async loadOrBuild(document: ArticleDocument, outline: DocumentOutline, key: string): Promise<DocumentSummary> {
    const cached = await this.cache?.read(document.id, key).catch(() => undefined)
    if (cached?.formatVersion === SUMMARY_FORMAT_VERSION && cached.key === key) {
      this.memory.set(document.id, cached)
      return cached
    }
    const summary = await this.build(document, outline, key)
    try {
      await this.cache?.write(summary)
    } catch (error) {
      // An unwritable or full index folder, an unreachable database: the summary is kept in memory, never built twice in this process.
      this.options.logger?.warn({ err: error, docId: document.id }, 'Summaries: could not save the document summary; keeping it in memory')
    }
    this.memory.set(document.id, summary)
    this.options.logger?.info({ docId: document.id, sentences: summary.sentences.length, calls: summary.calls }, 'document summary built')
    return summary
  }

  private async build(document: ArticleDocument, outline: DocumentOutline, key: string): Promise<DocumentSummary> {
    const { llm, scorerFor } = this.options
    let calls = 0
    // Map: each part in order (one at a time: a summary is built once, and providers rate-limit bursts).
    const notes: SummarySentence[] = []
    for (const part of summaryPartsOf(document, outline, this.maxPartCharacters)) {
      const passages = asCitations(document, part.passages)
      const text = await llm.summarizePart(part.title, passages)
      calls += 1
      const verified = verifyCitations(text, passages, { scorer: await scorerFor(text, passages.map((passage) => passage.text)) })
      for (const segment of verified.segments.filter((candidate) => candidate.supported)) {
        notes.push({ text: segment.text, citations: uniqueSpans(segment.cites.map((n) => part.passages[n - 1])) })
      }
    }
    if (notes.length === 0) throw new CiteqaError('llm_unsupported_summary', `LLM: no sentence of the summaries of "${document.id}" is supported by its passages`, { status: 502 })

    // Reduce: the notes in one summary; a sentence is checked against the article spans of the notes it cites.
    const numberedNotes = notes.map((note, index) => `[${index + 1}] ${note.text}`).join('\n')
    const combined = await llm.summarizeDocument(numberedNotes)
    calls += 1
    const evidence = notes.map((note, index) => ({ n: index + 1, text: note.citations.map((span) => span.text).join('\n') }))
    const verified = verifyCitations(combined, evidence, { scorer: await scorerFor(combined, evidence.map((passage) => passage.text)) })
    const reduced = verified.segments
      .filter((segment) => segment.supported)
      .map((segment) => ({ text: segment.text, citations: uniqueSpans(segment.cites.flatMap((n) => notes[n - 1].citations)) }))
    // A reduce step that says nothing verifiable leaves the verified map sentences as the summary.
    const sentences = reduced.length > 0 ? reduced : notes
    return { formatVersion: SUMMARY_FORMAT_VERSION, docId: document.id, key, model: llm.description, builtAt: new Date().toISOString(), calls, sentences }
  }
}
