import { answerQuestion } from '../ask/answer-question.ts'
import type { Citeqa } from '../citeqa.ts'
import { BigramSentenceBaseline } from './bigram-baseline.ts'
import type { ArticleDocument } from '../ingest/types.ts'
import type { EvaluatedSystem, SystemAnswer } from './evaluate.ts'
import type { ConversationTurn } from '../llm/follow-up.ts'

/** The service as users meet it: hybrid retrieval and the extractive answer of `POST /ask`. */
export function citeqaSystem(citeqa: Citeqa): EvaluatedSystem {
  return {
    name: 'citeqa',
    rank: async (question, depth) => (await citeqa.retrieve(question, depth)).map(({ chunk }) => chunk),
    answer: (question, history) => answerQuestion(citeqa, { question, mode: 'extractive', ...(history?.length ? { history } : {}) }),
  }
}

/**
 * A running service, asked through `POST /ask` as any client would (extractive mode). Its ranking
 * is the citations of its answer, so hit@k counts only the 1–3 cited sentences.
 */
export function serviceOverHttp(baseUrl: string): EvaluatedSystem {
  const ask = async (question: string, history?: ConversationTurn[]): Promise<SystemAnswer> => {
    const response = await fetch(new URL('/ask', baseUrl), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question, mode: 'extractive', ...(history?.length ? { history } : {}) }) })
    if (!response.ok) throw new Error(`Evaluation: POST /ask answered ${response.status} for "${question}": ${await response.text()}`)
    return (await response.json()) as SystemAnswer
  }
  return {
    name: 'citeqa (HTTP)',
    rank: async (question) => (await ask(question)).citations,
    answer: ask,
  }
}

/** The naive bigram-sentence baseline over the same documents. */
export function baselineSystem(documents: ArticleDocument[]): EvaluatedSystem {
  const baseline = new BigramSentenceBaseline(documents)
  return {
    name: 'bigram baseline',
    rank: async (question, depth) => baseline.rank(question, depth),
    answer: async (question) => {
      const [best] = baseline.rank(question, 1)
      return best ? { answer: best.text, answerable: true, citations: [best] } : { answer: '', answerable: false, citations: [] }
    },
  }
}
