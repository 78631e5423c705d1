import type { ConversationTurn } from './follow-up.ts'

/** How much of the conversation goes to the model with a follow-up (the condense prompt). */
export interface HistoryBudget {
  /** Latest turns kept (a question and its answer are two), 0–20. */
  maxTurns: number
  /** Characters of all kept turns together, ≥ 0; the oldest kept turn is cut to fit. */
  maxCharacters: number
}

export const defaultHistoryBudget: HistoryBudget = { maxTurns: 6, maxCharacters: 4000 }

/**
 * The latest turns of a conversation within the budget: at most `maxTurns`, newest first until
 * `maxCharacters` is spent; the turn that does not fit whole is cut, keeping its beginning (a
 * question's subject, an answer's first sentence), and older turns are dropped. A long chat
 * then costs what a short one does.
 */
export function trimHistory(history: readonly ConversationTurn[], budget: HistoryBudget = defaultHistoryBudget): ConversationTurn[] {
  if (budget.maxTurns === 0) return []
  const kept: ConversationTurn[] = []
  let remaining = budget.maxCharacters
  for (const turn of history.slice(-budget.maxTurns).reverse()) {
    if (remaining <= 0) break
    const characters = [...turn.content]
    if (characters.length <= remaining) {
      kept.push(turn)
      remaining -= characters.length
    } else {
      kept.push({ role: turn.role, content: `${characters.slice(0, Math.max(0, remaining - 1)).join('')}…` })
      remaining = 0
    }
  }
  return kept.reverse()
}
