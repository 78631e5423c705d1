import { performance } from 'node:perf_hooks'
import { splitIntoSentences } from '../ingest/split-into-sentences.ts'
import type { ConversationTurn } from '../llm/follow-up.ts'
import { answerMatches, isAnswerable, normalizeForMatching, type QaQuestion } from './qa-set.ts'

/** Where a passage or citation lies. */
export interface Location {
  docId: string
  paragraph: number
  /** The cited text, when the system gives it (to check that a key is cited, not merely said). */
  text?: string
}

/** What an evaluated system answered. */
export interface SystemAnswer {
  answer: string
  answerable: boolean
  citations: Location[]
  /** `document` when the answer was built from a document's outline or metadata instead of retrieved passages (the service says so; a baseline does not). */
  scope?: 'document' | 'passage' | 'chat'
}

/** A question answerer under evaluation: the service, or a baseline. */
export interface EvaluatedSystem {
  name: string
  /** The ranked passages (or sentences) the system would draw on, best first. */
  rank(question: string, depth: number): Promise<Location[]>
  /** The answer, with the conversation before it when there is one (follow-up sets). */
  answer(question: string, history?: ConversationTurn[]): Promise<SystemAnswer>
}

/** What happened to one question. */
export interface QuestionOutcome {
  question: QaQuestion
  /** Rank (1-based) of the first ranked location inside the gold; 0 when none (or no gold). */
  goldRank: number
  answerable: boolean
  correct: boolean
  /** The answer's first citation lies in the gold (paragraph, or document when only that is known). */
  firstCitationInGold: boolean
  /** Every citation lies in the gold. */
  citationsInGold: boolean
  /** Every key is in the text of a citation that lies in the gold (false when the question has no keys). */
  keysCitedInGold: boolean
  scope?: 'document' | 'passage' | 'chat'
  answer: string
  citations: Location[]
  latencyMs: number
}

export interface EvaluationReport {
  system: string
  questions: number
  answerableQuestions: number
  unanswerableQuestions: number
  outOfCorpusQuestions: number
  /** Retrieval: the first ranked location is in the gold (paragraph, or document when only that is known). */
  hitAt1: number
  hitAt3: number
  mrr: number
  /** Share of answerable questions answered with every key and, where given, a gold span. */
  answerAccuracy: number
  /** Answerable questions refused: count and share of answerable questions. */
  falseRefusals: number
  falseRefusalRate: number
  /** Share of unanswerable questions (gold: none) refused; 1 when there are none. */
  refusalAccuracy: number
  /** Share of out-of-corpus questions (--negatives) refused; 1 when there are none. */
  outOfCorpusRefusal: number
  /** Share of answered, answerable questions whose first citation lies in the gold. */
  firstCitationInGold: number
  /** Share of answered, answerable questions whose every citation lies in the gold. */
  citationPrecision: number
  /** Share of answerable questions with keys whose every key is in the text of a citation inside the gold (each point cited where the article makes it). */
  keysCitedInGold: number
  /** Questions answered at `document` scope (from an outline or metadata, not from retrieved passages). */
  documentScoped: number
  /** Mean length of the answers given (refusals excluded), without citation markers. */
  meanAnswerCharacters: number
  meanAnswerSentences: number
  p50Ms: number
  p95Ms: number
  outcomes: QuestionOutcome[]
}

/** The depth of the ranking that hit@k and MRR are read from. */
export const RANKING_DEPTH = 10

function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? 0
}

function isGoldLocation(question: QaQuestion, location: Location): boolean {
  if (question.doc !== null && location.docId !== question.doc) return false
  return question.gold.length === 0 ? question.doc !== null : question.gold.includes(location.paragraph)
}

const CITATION_MARKER = /\[\d+\]/g

function share<T>(items: T[], test: (item: T) => boolean, empty = 0): number {
  return items.length ? items.filter(test).length / items.length : empty
}

function mean(values: number[]): number {
  return values.length ? values.reduce((sum, value) => sum + value, 0) / values.length : 0
}

/** Runs every question through a system and scores its ranking, answers, refusals and citations. */
export async function evaluate(system: EvaluatedSystem, questions: QaQuestion[]): Promise<EvaluationReport> {
  return reportOf(system.name, await outcomesOf(system, questions))
}

/**
 * One report over a set whose questions are about several corpora (the paraphrase set asks about
 * the article and the CMRC documents): each part is asked of its own system, the outcomes are
 * scored together.
 */
export async function evaluateParts(name: string, parts: { system: EvaluatedSystem; questions: QaQuestion[] }[]): Promise<EvaluationReport> {
  const outcomes: QuestionOutcome[] = []
  for (const { system, questions } of parts) outcomes.push(...(await outcomesOf(system, questions)))
  return reportOf(name, outcomes)
}

async function outcomesOf(system: EvaluatedSystem, questions: QaQuestion[]): Promise<QuestionOutcome[]> {
  const outcomes: QuestionOutcome[] = []
  for (const question of questions) {
    const ranked = isAnswerable(question) ? await system.rank(question.question, RANKING_DEPTH) : []
    const goldRank = ranked.findIndex((location) => isGoldLocation(question, location)) + 1
    const started = performance.now()
    const result = await system.answer(question.question)
    const latencyMs = performance.now() - started
    outcomes.push({
      question,
      goldRank,
      answerable: result.answerable,
      correct: result.answerable && isAnswerable(question) && answerMatches(question, result.answer),
      firstCitationInGold: result.citations.length > 0 && isGoldLocation(question, result.citations[0]),
      citationsInGold: result.citations.length > 0 && result.citations.every((citation) => isGoldLocation(question, citation)),
      keysCitedInGold: question.keys.length > 0 && result.answerable && question.keys.every((key) => result.citations.some((citation) => isGoldLocation(question, citation) && normalizeForMatching(citation.text ?? '').includes(normalizeForMatching(key)))),
      ...(result.scope ? { scope: result.scope } : {}),
      answer: result.answer,
      citations: result.citations,
      latencyMs,
    })
  }
  return outcomes
}

function reportOf(system: string, outcomes: QuestionOutcome[]): EvaluationReport {
  const answerable = outcomes.filter((outcome) => isAnswerable(outcome.question))
  const unanswerable = outcomes.filter((outcome) => !isAnswerable(outcome.question) && outcome.question.origin === 'qa')
  const outOfCorpus = outcomes.filter((outcome) => outcome.question.origin === 'negative')
  const answeredAnswerable = answerable.filter((outcome) => outcome.answerable)
  const given = outcomes.filter((outcome) => outcome.answerable).map((outcome) => outcome.answer.replace(CITATION_MARKER, '').trim())
  const falseRefusals = answerable.length - answeredAnswerable.length
  return {
    system,
    questions: outcomes.length,
    answerableQuestions: answerable.length,
    unanswerableQuestions: unanswerable.length,
    outOfCorpusQuestions: outOfCorpus.length,
    hitAt1: share(answerable, (outcome) => outcome.goldRank === 1),
    hitAt3: share(answerable, (outcome) => outcome.goldRank >= 1 && outcome.goldRank <= 3),
    mrr: mean(answerable.map((outcome) => (outcome.goldRank ? 1 / outcome.goldRank : 0))),
    answerAccuracy: share(answerable, (outcome) => outcome.correct),
    falseRefusals,
    falseRefusalRate: answerable.length ? falseRefusals / answerable.length : 0,
    refusalAccuracy: share(unanswerable, (outcome) => !outcome.answerable, 1),
    outOfCorpusRefusal: share(outOfCorpus, (outcome) => !outcome.answerable, 1),
    firstCitationInGold: share(answeredAnswerable, (outcome) => outcome.firstCitationInGold),
    citationPrecision: share(answeredAnswerable, (outcome) => outcome.citationsInGold),
    keysCitedInGold: share(answerable.filter((outcome) => outcome.question.keys.length > 0), (outcome) => outcome.keysCitedInGold),
    documentScoped: outcomes.filter((outcome) => outcome.scope === 'document').length,
    meanAnswerCharacters: mean(given.map((answer) => [...answer].length)),
    meanAnswerSentences: mean(given.map((answer) => splitIntoSentences(answer).length)),
    p50Ms: percentile(outcomes.map((outcome) => outcome.latencyMs), 0.5),
    p95Ms: percentile(outcomes.map((outcome) => outcome.latencyMs), 0.95),
    outcomes,
  }
}
