/** A turn of the conversation before the current question. */
export interface ConversationTurn {
  role: 'user' | 'assistant'
  content: string
}
