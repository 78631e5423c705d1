import type { DocumentOverview, OverviewRequest } from '../answer/document-overview.ts'
import type { Citation, GroundedAnswer } from '../answer/types.ts'
import type { DocumentSummaries } from '../llm/document-summaries.ts'
import type { ConversationTurn } from '../llm/follow-up.ts'
import type { LlmAnswerer } from '../llm/llm-answerer.ts'
import type { AnswerSegment } from '../llm/verify-citations.ts'
import type { RetrievedPassage } from '../retrieval/hybrid-retriever.ts'
import type { SearchIndex } from '../retrieval/search-index.ts'

export type AnswerMode = 'extractive' | 'llm'

/** Passages retrieved for an answer when a request names no topK. */
export const DEFAULT_TOP_K = 5

/** A question with its options, as `/ask` and `/v1/chat/completions` take it. */
export interface QuestionRequest {
  question: string
  /** Default: `llm` when a provider is configured, else `extractive`. */
  mode?: AnswerMode
  /** Passages retrieved for the answer. Default {@link DEFAULT_TOP_K}. */
  topK?: number
  history?: ConversationTurn[]
}

/** What is known before the answer: sent first on a stream. */
export interface CitationsEvent {
  citations: Citation[]
  mode: AnswerMode
  embedder: string
  standaloneQuestion: string
}

/** The response body of `/ask` (and the `done` event of its stream). */
export interface AnswerBody {
  answer: string
  answerable: boolean
  /** The mode that produced the answer: `extractive` when the LLM mode fell back. */
  mode: AnswerMode
  embedder: string
  citations: Citation[]
  /** LLM mode: the answer's sentences with their verified citations. */
  segments?: AnswerSegment[]
  /** True when `llm` was asked for but the extractive answer is given; `reason` says why. */
  degraded?: true
  reason?: string
  /** The question retrieval ran with: the question itself, or the follow-up made standalone. */
  standaloneQuestion: string
  /**
   * `document` when the answer comes from what a document is as a whole — its outline (a question
   * about the whole document, one of its sections, or the set of documents) or its metadata
   * (author, title…) — rather than from retrieved passages (`passage`); `chat` for small talk
   * (a greeting, thanks, "who are you"), answered with what the service can be asked about.
   */
  scope: 'document' | 'passage' | 'chat'
  timings: { condenseMs?: number; retrieveMs: number; answerMs: number; totalMs: number }
  /** True when the answer was given to the same question before and comes from the answer cache (see answer-cache.ts); `timings` are this request's. */
  cached?: true
}

export interface AnswerEvents {
  /** Client gone: cancels the LLM call. */
  signal?: AbortSignal
  onCitations?: (event: CitationsEvent) => void
  /** Text as it is generated (raw model output in LLM mode; the whole answer at once in extractive mode). */
  onToken?: (text: string) => void
  /** The LLM answer failed and the extractive one follows (after any LLM text already streamed). */
  onDegraded?: (reason: string) => void
}

/** What an extractive answer depends on besides the index: the question as asked (trimmed), how many passages are read (and the language it is answered in, see answer-cache.ts). */
export interface CachedQuestion {
  question: string
  topK: number
}

/** Answers given lately, by question (answer-cache.ts's AnswerCache is one). */
export interface AnswerStore {
  get(question: CachedQuestion): AnswerBody | undefined
  set(question: CachedQuestion, body: AnswerBody): void
}

/**
 * What the ask pipeline needs of the service it answers with: the documents' index and outlines,
 * retrieval, the extractive answerer, the chat model and the answer cache. The facade
 * (citeqa.ts's Citeqa) is one; the pipeline depends on this, not on the facade, so neither
 * imports the other's module.
 */
export interface AnsweringService {
  readonly index: SearchIndex
  /** Questions about a whole document or one of its sections, answered from the outlines. */
  readonly overview: DocumentOverview
  /** The chat model of `mode: "llm"`; undefined when LLM_PROVIDER=none. */
  readonly llm?: LlmAnswerer
  /** Long documents' map-reduce summaries for LLM whole-document answers (only with an LLM). */
  readonly summaries?: DocumentSummaries
  /** Extractive answers given lately, for questions asked again. */
  readonly answerCache: AnswerStore
  readonly embedderId: string
  /** What each document is called, as a person would name it. */
  readonly documentTitles: string[]
  retrieve(question: string, topK?: number): Promise<RetrievedPassage[]>
  /** The answer to a question about a document itself (its author, title, source, date) from its metadata, if it is one. */
  answerAboutDocument(question: string): GroundedAnswer | undefined
  /** The extractive answer over passages already retrieved. */
  answerExtractively(question: string, passages: RetrievedPassage[]): GroundedAnswer
  /** What a question asks of the documents' outlines, or undefined for a question about a passage. */
  overviewRequest(question: string): OverviewRequest | undefined
}
