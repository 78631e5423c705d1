import type { Citeqa } from '../../src/citeqa.ts'
import { BigramSentenceBaseline } from '../../src/evaluation/bigram-baseline.ts'
import { evaluate, RANKING_DEPTH, type EvaluatedSystem, type Location } from '../../src/evaluation/evaluate.ts'
import { isAnswerable, type QaQuestion } from '../../src/evaluation/qa-set.ts'
import { defaultHybridRetrieverOptions, HybridRetriever, type HybridRetrieverOptions } from '../../src/retrieval/hybrid-retriever.ts'
import { KeywordIndex } from '../../src/retrieval/keyword-index.ts'
import { passageText } from '../../src/retrieval/search-index.ts'

/** The retrieval alternatives compared by the bench, in the order of its table. */
export const RETRIEVAL_ALTERNATIVES = ['BM25 alone', 'dense alone', 'bigram baseline', 'hybrid (BM25 + dense)'] as const
export type RetrievalAlternative = (typeof RETRIEVAL_ALTERNATIVES)[number]

/** How one alternative ranked one question set. */
export interface RetrievalFigures {
  system: string
  /** Answerable questions ranked. */
  questions: number
  hitAt1: number
  mrr: number
  /** Mean time to rank one question (depth 10), in milliseconds. */
  msPerQuery: number
}

/**
 * A ranking-only system for `evaluate`: its "answer" is its own top location, so the latency that
 * `evaluate` records is the time of one ranking. Answers are not what the bench compares.
 */
function rankingSystem(name: string, rank: (question: string, depth: number) => Promise<Location[]>): EvaluatedSystem {
  return {
    name,
    rank,
    answer: async (question) => {
      const [best] = await rank(question, RANKING_DEPTH)
      return best ? { answer: '', answerable: true, citations: [best] } : { answer: '', answerable: false, citations: [] }
    },
  }
}

/** A hybrid retriever over the service's own index with other fusion settings (for the sweep). */
export function hybridSystem(citeqa: Citeqa, options: Partial<HybridRetrieverOptions> = {}, name = 'hybrid (BM25 + dense)'): EvaluatedSystem {
  const retriever = Object.keys(options).length ? new HybridRetriever(citeqa.index, options) : citeqa.retriever
  return rankingSystem(name, async (question, depth) => (await retriever.retrieve(question, depth)).map(({ chunk }) => chunk))
}

/**
 * Each alternative over the same chunks the service searches: BM25 alone (the keyword index the
 * hybrid fuses, with the same English→Chinese query), dense alone (the vector store, through
 * LangChain's VectorStore call the hybrid makes), the naive bigram-sentence baseline, and the hybrid.
 */
export function retrievalAlternatives(citeqa: Citeqa): Record<RetrievalAlternative, EvaluatedSystem> {
  const { index, retriever } = citeqa
  const keywords = new KeywordIndex(index.chunks, passageText)
  const chunksById = new Map(index.chunks.map((chunk) => [chunk.id, chunk]))
  const baseline = new BigramSentenceBaseline(citeqa.documents)
  return {
    'BM25 alone': rankingSystem('BM25 alone', async (question, depth) => keywords.find(retriever.keywordQuery(question), depth).map(({ id }) => chunksById.get(id)!)),
    'dense alone': rankingSystem('dense alone', async (question, depth) => {
      const vector = await index.embeddings.embedQuery(question)
      if (!vector.some((value) => value !== 0)) return []
      return (await index.vectorStore.similaritySearchVectorWithScore(vector, depth)).map(([document]) => chunksById.get((document.metadata as { id: string }).id)!)
    }),
    'bigram baseline': rankingSystem('bigram baseline', async (question, depth) => baseline.rank(question, depth)),
    'hybrid (BM25 + dense)': hybridSystem(citeqa),
  }
}

/** hit@1, MRR@10 and the mean ranking time of one system on the answerable questions of a set. */
export async function measureRetrieval(system: EvaluatedSystem, questions: QaQuestion[]): Promise<RetrievalFigures> {
  const answerable = questions.filter(isAnswerable)
  // One untimed pass warms the JIT and any lazy loading, so the first system measured is not penalized.
  for (const question of answerable.slice(0, 5)) await system.rank(question.question, RANKING_DEPTH)
  const report = await evaluate(system, answerable)
  // evaluate times each answer, and a ranking system's answer is one ranking.
  const msPerQuery = report.outcomes.reduce((sum, outcome) => sum + outcome.latencyMs, 0) / Math.max(1, report.outcomes.length)
  return { system: system.name, questions: answerable.length, hitAt1: report.hitAt1, mrr: report.mrr, msPerQuery }
}

/** Fusion settings tried by the sweep: the reciprocal-rank constant and the weight of each ranking. */
export const FUSION_SWEEP: Partial<HybridRetrieverOptions>[] = [
  ...[2, 5, 10, 20, 60].map((rrfK) => ({ rrfK })),
  ...[
    [1, 1.5],
    [1, 2],
    [1.5, 1],
    [2, 1],
  ].map(([denseWeight, keywordWeight]) => ({ denseWeight, keywordWeight })),
]

export function describeFusion(options: Partial<HybridRetrieverOptions>): string {
  const { rrfK, denseWeight, keywordWeight } = { ...defaultHybridRetrieverOptions, ...options }
  return `k=${rrfK}, dense ${denseWeight}, BM25 ${keywordWeight}`
}
