import { readFile } from 'node:fs/promises'
import { performance } from 'node:perf_hooks'
import { z } from 'zod'
import type { Citeqa } from '../citeqa.ts'
import { answerQuestion } from '../llm/answer-question.ts'

const evaluationQuestionSchema = z.object({
  id: z.string(),
  question: z.string(),
  /** Gold paragraph numbers (1-based); empty when the article does not answer the question. */
  gold: z.array(z.number().int()),
  /** Strings a correct answer contains. */
  keys: z.array(z.string()),
  type: z.string().default('unknown'),
})

export type EvaluationQuestion = z.infer<typeof evaluationQuestionSchema>

/** Reads a JSON-lines question set. */
export async function readQuestions(path: string): Promise<EvaluationQuestion[]> {
  const lines = (await readFile(path, 'utf8')).split('\n').filter((line) => line.trim())
  return lines.map((line, index) => {
    const parsed = evaluationQuestionSchema.safeParse(JSON.parse(line))
    if (!parsed.success) throw new Error(`Evaluation: line ${index + 1} of ${path} is not a question: ${parsed.error.message}`)
    return parsed.data
  })
}

/** What happened to one question. */
export interface QuestionOutcome {
  question: EvaluationQuestion
  /** Rank (1-based) of the first retrieved passage inside a gold paragraph; 0 when none. */
  goldRank: number
  answerable: boolean
  correct: boolean
  citationsInGold: boolean
  answer: string
  latencyMs: number
}

export interface EvaluationReport {
  questions: number
  answerableQuestions: number
  unanswerableQuestions: number
  hitAt1: number
  hitAt3: number
  mrr: number
  /** Share of answered, answerable questions whose citations all lie in gold paragraphs. */
  citationPrecision: number
  answerAccuracy: number
  refusalAccuracy: number
  falseRefusals: number
  p50Ms: number
  p95Ms: number
  outcomes: QuestionOutcome[]
}

function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? 0
}

const RANKING_DEPTH = 10

/**
 * Runs every question through the real retriever and answerer. Retrieval is scored on the
 * ranked passages (a hit is a passage inside a gold paragraph), answers on their key strings.
 */
export async function evaluate(citeqa: Citeqa, questions: EvaluationQuestion[]): Promise<EvaluationReport> {
  const outcomes: QuestionOutcome[] = []
  for (const question of questions) {
    const gold = new Set(question.gold)
    const passages = await citeqa.retrieve(question.question, RANKING_DEPTH)
    const goldRank = passages.findIndex((passage) => gold.has(passage.chunk.paragraph)) + 1
    const started = performance.now()
    const result = await answerQuestion(citeqa, { question: question.question, mode: 'extractive' })
    const latencyMs = performance.now() - started
    const correct = result.answerable && question.keys.every((key) => result.answer.includes(key))
    const citationsInGold = result.citations.length > 0 && result.citations.every((citation) => gold.has(citation.paragraph))
    outcomes.push({ question, goldRank, answerable: result.answerable, correct, citationsInGold, answer: result.answer, latencyMs })
  }
  const answerable = outcomes.filter((outcome) => outcome.question.gold.length > 0)
  const unanswerable = outcomes.filter((outcome) => outcome.question.gold.length === 0)
  const share = (items: QuestionOutcome[], test: (outcome: QuestionOutcome) => boolean) => (items.length ? items.filter(test).length / items.length : 0)
  const answered = answerable.filter((outcome) => outcome.answerable)
  const latencies = outcomes.map((outcome) => outcome.latencyMs)
  return {
    questions: outcomes.length,
    answerableQuestions: answerable.length,
    unanswerableQuestions: unanswerable.length,
    hitAt1: share(answerable, (outcome) => outcome.goldRank === 1),
    hitAt3: share(answerable, (outcome) => outcome.goldRank >= 1 && outcome.goldRank <= 3),
    mrr: answerable.reduce((sum, outcome) => sum + (outcome.goldRank ? 1 / outcome.goldRank : 0), 0) / (answerable.length || 1),
    citationPrecision: share(answered, (outcome) => outcome.citationsInGold),
    answerAccuracy: share(answerable, (outcome) => outcome.correct),
    refusalAccuracy: share(unanswerable, (outcome) => !outcome.answerable),
    falseRefusals: answerable.filter((outcome) => !outcome.answerable).length,
    p50Ms: percentile(latencies, 0.5),
    p95Ms: percentile(latencies, 0.95),
    outcomes,
  }
}
