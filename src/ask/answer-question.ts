import { performance } from 'node:perf_hooks'
import type { Citation } from '../answer/types.ts'
import { CiteqaError } from '../errors.ts'
import { supportScorerFor } from '../llm/cross-lingual-support.ts'
import { smallTalkKindOf, smallTalkReply } from '../answer/small-talk.ts'
import { readFollowUp } from './follow-up-question.ts'
import { classifyLlmError } from '../llm/llm-error.ts'
import { verifyCitations } from '../llm/verify-citations.ts'
import type { Logger } from '../logger.ts'
import type { RetrievedPassage } from '../retrieval/hybrid-retriever.ts'
import { answerOverviewQuestion } from './answer-overview.ts'
import { DEFAULT_TOP_K, type AnswerBody, type AnswerEvents, type AnsweringService, type AnswerMode, type QuestionRequest } from './types.ts'

function roundMs(ms: number): number {
  return Math.round(ms * 100) / 100
}

/** The passages given to the model, as citations numbered like the prompt numbers them. */
export function passagesAsCitations(passages: RetrievedPassage[]): Citation[] {
  return passages.map(({ chunk, score }, index) => ({
    n: index + 1,
    docId: chunk.docId,
    paragraph: chunk.paragraph,
    section: chunk.section,
    text: chunk.text,
    start: chunk.start,
    end: chunk.end,
    ...(chunk.page === undefined ? {} : { page: chunk.page }),
    score: Number(score.toFixed(4)),
  }))
}

/** The mode a request gets when it names none. */
export function defaultMode(citeqa: AnsweringService): AnswerMode {
  return citeqa.llm ? 'llm' : 'extractive'
}

/** Whether a request in this mode may call the LLM: only then has a client's disconnect anything to cancel. */
export function mayCallLlm(citeqa: AnsweringService, mode: AnswerMode | undefined): boolean {
  return citeqa.llm !== undefined && (mode ?? defaultMode(citeqa)) === 'llm'
}

/**
 * Answers a question in either mode, with follow-ups made standalone first. LLM faults never
 * escape: the extractive answer over the same passages is given, `degraded` with the reason.
 * Only the client's own abort (signal) is thrown.
 */
export async function answerQuestion(citeqa: AnsweringService, request: QuestionRequest, events: AnswerEvents = {}, logger?: Logger): Promise<AnswerBody> {
  const started = performance.now()
  const { question, topK = DEFAULT_TOP_K, history = [] } = request
  // Extractive answers to questions without history are the same every time: kept, and given again from the cache.
  const cacheable = (request.mode ?? defaultMode(citeqa)) === 'extractive' && history.length === 0
  if (!cacheable) return computeAnswer(citeqa, request, events, logger)
  const cached = citeqa.answerCache.get({ question, topK })
  if (cached) {
    events.onCitations?.({ citations: cached.citations, mode: cached.mode, embedder: cached.embedder, standaloneQuestion: cached.standaloneQuestion })
    events.onToken?.(cached.answer)
    return { ...cached, cached: true, timings: { retrieveMs: 0, answerMs: 0, totalMs: roundMs(performance.now() - started) } }
  }
  const body = await computeAnswer(citeqa, request, events, logger)
  citeqa.answerCache.set({ question, topK }, body)
  return body
}

async function computeAnswer(citeqa: AnsweringService, request: QuestionRequest, events: AnswerEvents, logger?: Logger): Promise<AnswerBody> {
  const { question, topK = DEFAULT_TOP_K, history = [] } = request
  const { signal, onCitations, onToken, onDegraded } = events
  const requestedMode = request.mode ?? defaultMode(citeqa)
  const started = performance.now()
  let degradation: CiteqaError | undefined
  if (requestedMode === 'llm' && !citeqa.llm) {
    degradation = new CiteqaError('llm_not_configured', 'LLM: no provider is configured (LLM_PROVIDER=none), so the answer is extractive')
  }
  let llm = requestedMode === 'llm' ? citeqa.llm : undefined

  // Small talk is not a question about the documents: a short reply naming them, no citation, no model.
  const smallTalk = smallTalkKindOf(question)
  if (smallTalk) {
    const answer = smallTalkReply(smallTalk, question, citeqa.documentTitles)
    onCitations?.({ citations: [], mode: 'extractive', embedder: citeqa.embedderId, standaloneQuestion: question })
    onToken?.(answer)
    const totalMs = roundMs(performance.now() - started)
    return { answer, answerable: false, mode: 'extractive', embedder: citeqa.embedderId, citations: [], standaloneQuestion: question, scope: 'chat', timings: { retrieveMs: 0, answerMs: totalMs, totalMs } }
  }

  // The server decides whether the question leans on the conversation: a complete question is
  // answered as asked; only an elliptical one is read with the turn before it (and, in LLM mode,
  // condensed by the model, with the server's reading as the fallback).
  const reading = readFollowUp(question, history)
  let standaloneQuestion = reading.standalone
  let condenseMs: number | undefined
  if (reading.elliptical && llm) {
    try {
      standaloneQuestion = (await llm.condense(question, history, signal)) || reading.standalone
    } catch (error) {
      if (signal?.aborted) throw error
      // The answer can still come from the model; only the rewriting falls back.
      const failure = classifyLlmError(error)
      logger?.warn({ err: failure }, "condensing the follow-up failed; answering the server's reading of it")
      // This request has waited its turn for the model once already: it answers extractively rather than wait again.
      if (failure.code === 'llm_busy') {
        degradation = failure
        llm = undefined
      }
    }
    condenseMs = roundMs(performance.now() - started)
  }

  // Who wrote it, its title, source, date: read from the document's metadata, in either mode, before any retrieval.
  const aboutDocument = citeqa.answerAboutDocument(standaloneQuestion)
  if (aboutDocument) {
    onCitations?.({ citations: aboutDocument.citations, mode: 'extractive', embedder: citeqa.embedderId, standaloneQuestion })
    onToken?.(aboutDocument.answer)
    const answerMs = roundMs(performance.now() - started - (condenseMs ?? 0))
    const timings = { ...(condenseMs === undefined ? {} : { condenseMs }), retrieveMs: 0, answerMs, totalMs: roundMs(performance.now() - started) }
    return { ...aboutDocument, mode: 'extractive', embedder: citeqa.embedderId, standaloneQuestion, scope: 'document', timings }
  }

  // What it says, its main points, its parts, one named section, the list of documents: from the
  // outlines, not from top-k passages (which show a part of a document, never its whole). In LLM
  // mode a question about one section still goes to retrieval: its passages come from that section.
  const overview = citeqa.overviewRequest(standaloneQuestion)
  if (overview && !(llm && overview.kind === 'section')) {
    return answerOverviewQuestion(citeqa, { request: overview, standaloneQuestion, llm, degradation, started, condenseMs }, events, logger)
  }

  const retrieveStarted = performance.now()
  const passages = await citeqa.retrieve(standaloneQuestion, topK)
  const retrieved = performance.now()
  const timings = (answered: number) => ({
    ...(condenseMs === undefined ? {} : { condenseMs }),
    retrieveMs: roundMs(retrieved - retrieveStarted),
    answerMs: roundMs(answered - retrieved),
    totalMs: roundMs(answered - started),
  })

  let citationsSent = false
  if (llm && passages.length > 0) {
    const citations = passagesAsCitations(passages)
    citationsSent = true
    onCitations?.({ citations, mode: 'llm', embedder: citeqa.embedderId, standaloneQuestion })
    try {
      const text = await llm.generate({ question: standaloneQuestion, passages: citations, signal, onToken })
      // English answers are checked against the Chinese passages too, numbers first (see cross-lingual-support.ts).
      const scorer = await supportScorerFor(citeqa.index).forAnswer(text, citations.map((citation) => citation.text), logger)
      const verified = verifyCitations(text, citations, { scorer })
      if (verified.segments.length === 0) throw new CiteqaError('llm_malformed_output', 'LLM: the answer has no sentences', { status: 502 })
      return {
        answer: verified.answer,
        answerable: verified.answerable,
        mode: 'llm',
        embedder: citeqa.embedderId,
        citations,
        segments: verified.segments,
        standaloneQuestion,
        scope: 'passage',
        timings: timings(performance.now()),
      }
    } catch (error) {
      if (signal?.aborted) throw error
      degradation = classifyLlmError(error)
      logger?.warn({ err: degradation }, 'LLM answer failed; answering extractively')
    }
  }

  const reason = degradation ? `${degradation.code}: ${degradation.message}` : undefined
  if (reason) onDegraded?.(reason)
  const { answer, answerable, citations } = citeqa.answerExtractively(standaloneQuestion, passages)
  // An LLM stream has sent its citations already; the `done` body carries the extractive ones.
  if (!citationsSent) onCitations?.({ citations, mode: 'extractive', embedder: citeqa.embedderId, standaloneQuestion })
  onToken?.(answer)
  return {
    answer,
    answerable,
    mode: 'extractive',
    embedder: citeqa.embedderId,
    citations,
    ...(reason ? { degraded: true as const, reason } : {}),
    standaloneQuestion,
    scope: 'passage',
    timings: timings(performance.now()),
  }
}
