/** A turn of the conversation before the current question. */
export interface ConversationTurn {
  role: 'user' | 'assistant'
  content: string
}

// Words that point back into the conversation instead of naming their subject.
const REFERENCE_WORDS = /[它这那其该此]|\b(it|its|this|that|these|those|they|them|their|he|she|the same)\b/i
// Below this, a question rarely names its subject (e.g. "具体有哪些？", "and why?").
const SHORT_CHINESE_CHARACTERS = 8
const SHORT_ENGLISH_WORDS = 4

/** True when a follow-up likely depends on the conversation: short, or holding a pointing word. */
export function dependsOnConversation(question: string): boolean {
  const han = question.match(/\p{Script=Han}/gu)?.length ?? 0
  const words = question.match(/[A-Za-z]+/g)?.length ?? 0
  const short = han > 0 ? han < SHORT_CHINESE_CHARACTERS : words < SHORT_ENGLISH_WORDS
  return short || REFERENCE_WORDS.test(question)
}

/**
 * The extractive mode's standalone question, without a model: when the follow-up depends on the
 * conversation, the previous user question is put in front of it, so retrieval and the answerer
 * see its key terms. Honest and crude: it cannot resolve "the second one".
 */
export function carryPreviousQuestion(question: string, history: ConversationTurn[]): string {
  const previous = [...history].reverse().find((turn) => turn.role === 'user')?.content.trim()
  if (!previous || !dependsOnConversation(question)) return question
  return `${previous} ${question}`
}
