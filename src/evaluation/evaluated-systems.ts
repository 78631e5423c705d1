import { answerQuestion } from '../ask/answer-question.ts'
import type { Citeqa } from '../citeqa.ts'
import { BigramSentenceBaseline } from './bigram-baseline.ts'
import type { EvaluatedSystem } from './evaluate.ts'

/** The service as users meet it: hybrid retrieval and the extractive answer of `POST /ask`. */
export function citeqaSystem(citeqa: Citeqa): EvaluatedSystem {
  return {
    name: 'citeqa',
    rank: async (question, depth) => (await citeqa.retrieve(question, depth)).map(({ chunk }) => chunk),
    answer: (question) => answerQuestion(citeqa, { question, mode: 'extractive' }),
  }
}

/** The naive bigram-sentence baseline over the same documents. */
export function baselineSystem(citeqa: Citeqa): EvaluatedSystem {
  const baseline = new BigramSentenceBaseline(citeqa.documents)
  return {
    name: 'bigram baseline',
    rank: async (question, depth) => baseline.rank(question, depth),
    answer: async (question) => {
      const [best] = baseline.rank(question, 1)
      return best ? { answer: best.text, answerable: true, citations: [best] } : { answer: '', answerable: false, citations: [] }
    },
  }
}
