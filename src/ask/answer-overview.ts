import { performance } from 'node:perf_hooks'
import type { OverviewRequest } from '../answer/document-overview.ts'
import type { Citation } from '../answer/types.ts'
import { CiteqaError } from '../errors.ts'
import type { OutlineSpan } from '../ingest/document-outline.ts'
import { supportScorerFor } from '../llm/cross-lingual-support.ts'
import type { LlmAnswerer } from '../llm/llm-answerer.ts'
import { classifyLlmError } from '../llm/llm-error.ts'
import { formatOverviewLines, overviewLinesOf, type OverviewLine } from '../llm/overview-lines.ts'
import { verifyCitations, type AnswerSegment } from '../llm/verify-citations.ts'
import type { Logger } from '../logger.ts'
import type { AnswerBody, AnswerEvents, AnsweringService } from './types.ts'

/** Where the pipeline stands when a question turns out to be about a whole document (or a section, or the set of documents). */
export interface OverviewContext {
  request: OverviewRequest
  standaloneQuestion: string
  /** The chat model when `llm` mode was asked for and is available. */
  llm?: LlmAnswerer
  /** Why the LLM mode is not used (no provider), if it was asked for. */
  degradation?: CiteqaError
  started: number
  condenseMs?: number
}

function roundMs(ms: number): number {
  return Math.round(ms * 100) / 100
}

function spanKey(span: OutlineSpan): string {
  return `${span.paragraph}:${span.start}:${span.end}`
}

/**
 * The LLM's answer to a whole-document question: the model gets the outline's lines (and, for a
 * long document, its cached map-reduce summary with the spans it cites) numbered as citations;
 * its sentences are verified against what they cite like any LLM answer.
 */
async function answerWithOutline(citeqa: AnsweringService, request: Extract<OverviewRequest, { kind: 'document' }>, question: string, llm: LlmAnswerer, events: AnswerEvents, onLines: (citations: Citation[]) => void, logger?: Logger) {
  const { document, outline } = request
  const { signal, onToken } = events
  const overview = overviewLinesOf(document, outline)
  let lines: OverviewLine[] = overview.lines
  let summary = ''
  if (overview.long) {
    const built = await citeqa.summaries!.summaryOf(document, outline, signal)
    // The summary's spans join the lines, numbered after them, so its sentences can point at them.
    const numbers = new Map(lines.map((line) => [spanKey(line.citation), line.citation.n]))
    for (const span of built.sentences.flatMap((sentence) => sentence.citations)) {
      if (numbers.has(spanKey(span))) continue
      const n = lines.length + 1
      numbers.set(spanKey(span), n)
      lines = [...lines, { role: `¶${span.paragraph}`, citation: { n, docId: document.id, paragraph: span.paragraph, section: document.paragraphs[span.paragraph - 1].section, text: span.text, start: span.start, end: span.end, score: 1 } }]
    }
    const sentences = built.sentences.map((sentence) => `${sentence.text}${sentence.citations.map((span) => `[${numbers.get(spanKey(span))}]`).join('')}`)
    summary = `\nSummary of the article (built from the lines above; cite the lines):\n${sentences.join('\n')}\n`
  }
  const citations = lines.map((line) => line.citation)
  onLines(citations)
  const text = await llm.generateOverview({ question, outline: formatOverviewLines(lines), summary, signal, onToken })
  const scorer = await supportScorerFor(citeqa.index).forAnswer(text, citations.map((citation) => citation.text), logger)
  const verified = verifyCitations(text, citations, { scorer })
  if (verified.segments.length === 0) throw new CiteqaError('llm_malformed_output', 'LLM: the answer has no sentences', { status: 502 })
  return { citations, verified }
}

/**
 * Answers a question about a whole document, one of its sections or the set of documents from
 * the outlines, before (and instead of) retrieval. In `llm` mode a whole-document question goes
 * to the model with the outline; the rest, and any LLM failure, get the extractive answer from
 * the outline (`degraded` with the reason when the LLM failed). `scope` is `document`.
 */
export async function answerOverviewQuestion(citeqa: AnsweringService, context: OverviewContext, events: AnswerEvents = {}, logger?: Logger): Promise<AnswerBody> {
  const { request, standaloneQuestion, llm, started, condenseMs } = context
  const { signal, onCitations, onToken, onDegraded } = events
  let degradation = context.degradation
  const answerStarted = performance.now()
  const timings = () => {
    const now = performance.now()
    return { ...(condenseMs === undefined ? {} : { condenseMs }), retrieveMs: 0, answerMs: roundMs(now - answerStarted), totalMs: roundMs(now - started) }
  }
  const base = { embedder: citeqa.embedderId, standaloneQuestion, scope: 'document' as const }

  let citationsSent = false
  if (llm && request.kind === 'document') {
    try {
      const onLines = (citations: Citation[]) => {
        citationsSent = true
        onCitations?.({ citations, mode: 'llm', embedder: citeqa.embedderId, standaloneQuestion })
      }
      const { citations, verified } = await answerWithOutline(citeqa, request, standaloneQuestion, llm, events, onLines, logger)
      const segments: AnswerSegment[] = verified.segments
      return { ...base, answer: verified.answer, answerable: verified.answerable, mode: 'llm', citations, segments, timings: timings() }
    } catch (error) {
      if (signal?.aborted) throw error
      degradation = classifyLlmError(error)
      logger?.warn({ err: degradation }, 'LLM answer to a whole-document question failed; answering from the outline')
    }
  }

  const reason = degradation ? `${degradation.code}: ${degradation.message}` : undefined
  if (reason) onDegraded?.(reason)
  const { answer, answerable, citations } = citeqa.overview.answer(request, standaloneQuestion)
  if (!citationsSent) onCitations?.({ citations, mode: 'extractive', embedder: citeqa.embedderId, standaloneQuestion })
  onToken?.(answer)
  return { ...base, answer, answerable, mode: 'extractive', citations, ...(reason ? { degraded: true as const, reason } : {}), timings: timings() }
}
