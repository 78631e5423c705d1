import { z } from 'zod'
import type { ConversationTurn } from '../llm/follow-up.ts'
import type { EvaluatedSystem, SystemAnswer } from './evaluate.ts'
import { normalizeForMatching, readJsonLines } from './qa-set.ts'

/**
 * Conversations (data/qa/followup.jsonl): each turn is asked with the turns before it as history
 * — the user's questions and the answers the system gave — as the chat page sends them.
 */
const turnSchema = z.object({
  question: z.string().min(1),
  /** Gold paragraphs of an answerable turn. */
  gold: z.array(z.number().int().positive()).default([]),
  /** Gold document, where the corpus has several. */
  doc: z.string().nullable().default(null),
  /** Strings a correct answer contains, all of them. */
  keys: z.array(z.string()).default([]),
  /** `refuse`: the documents do not answer it; `chat`: small talk, answered as such; absent: answerable (gold and keys). */
  expect: z.enum(['refuse', 'chat']).optional(),
})

const conversationSchema = z.object({
  id: z.string(),
  /** complete-after, elliptical, chat-mid, refuse-after… */
  kind: z.string().default('unknown'),
  turns: z.array(turnSchema).min(1),
})

export type ConversationTurnExpectation = z.infer<typeof turnSchema>
export type Conversation = z.infer<typeof conversationSchema>

/** Reads a JSON-lines conversation set; a bad line is named with its file and line. */
export function readConversationSet(path: string): Promise<Conversation[]> {
  return readJsonLines(path, conversationSchema, 'a conversation')
}

/** What happened to one turn. */
export interface TurnOutcome {
  conversation: string
  kind: string
  turn: number
  expected: ConversationTurnExpectation
  passed: boolean
  answer: SystemAnswer
}

export interface ConversationReport {
  conversations: number
  /** Conversations whose every turn passed. */
  conversationsPassed: number
  turns: number
  turnsPassed: number
  /** Passed and total conversations by kind. */
  byKind: Record<string, { passed: number; total: number }>
  outcomes: TurnOutcome[]
}

/** Whether a turn's answer is what the set expects: small talk as such, a refusal, or the keys cited from the gold. */
export function turnPassed(expected: ConversationTurnExpectation, answer: SystemAnswer): boolean {
  if (expected.expect === 'chat') return answer.scope === 'chat'
  if (expected.expect === 'refuse') return !answer.answerable && answer.scope !== 'chat'
  const text = normalizeForMatching(answer.answer.replace(/\[\d+\]/g, ''))
  const inGold = (citation: SystemAnswer['citations'][number]) => (expected.doc === null || citation.docId === expected.doc) && (expected.gold.length === 0 || expected.gold.includes(citation.paragraph))
  return answer.answerable && expected.keys.every((key) => text.includes(normalizeForMatching(key))) && answer.citations.some(inGold)
}

/** Asks every conversation turn by turn, the history growing with the system's own answers. */
export async function evaluateConversations(system: EvaluatedSystem, conversations: Conversation[]): Promise<ConversationReport> {
  const outcomes: TurnOutcome[] = []
  const byKind: ConversationReport['byKind'] = {}
  let conversationsPassed = 0
  for (const conversation of conversations) {
    const history: ConversationTurn[] = []
    let allPassed = true
    for (const [index, expected] of conversation.turns.entries()) {
      const answer = await system.answer(expected.question, [...history])
      const passed = turnPassed(expected, answer)
      allPassed &&= passed
      outcomes.push({ conversation: conversation.id, kind: conversation.kind, turn: index + 1, expected, passed, answer })
      history.push({ role: 'user', content: expected.question }, { role: 'assistant', content: answer.answer })
    }
    if (allPassed) conversationsPassed++
    const kind = (byKind[conversation.kind] ??= { passed: 0, total: 0 })
    kind.total++
    if (allPassed) kind.passed++
  }
  return {
    conversations: conversations.length,
    conversationsPassed,
    turns: outcomes.length,
    turnsPassed: outcomes.filter((outcome) => outcome.passed).length,
    byKind,
    outcomes,
  }
}
