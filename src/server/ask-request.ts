import { z } from 'zod'
import { LANGUAGES } from '../answer/detect-language.ts'

/** Limits of a question, set from the config at start-up. */
export interface AskRequestLimits {
  maxQuestionLength: number
  /** Most history turns accepted with a follow-up. Default 20. */
  maxHistoryTurns?: number
}

export const DEFAULT_MAX_HISTORY_TURNS = 20

/** Conversation turns before the question; assistant turns may be longer than questions. */
export function historySchema({ maxQuestionLength, maxHistoryTurns = DEFAULT_MAX_HISTORY_TURNS }: AskRequestLimits) {
  const maxContentLength = maxQuestionLength * 4
  return z
    .array(
      z.strictObject({
        role: z.enum(['user', 'assistant'], { error: 'history role must be "user" or "assistant"' }),
        content: z.string({ error: 'history content must be a string' }).max(maxContentLength, `history content is longer than ${maxContentLength} characters`),
      }),
      { error: 'history must be an array of {role, content}' },
    )
    .max(maxHistoryTurns, `history has more than ${maxHistoryTurns} turns`)
}

/** The body of `POST /ask`. Unknown fields are rejected so a typo (`topk`) is not silently ignored. */
export function askRequestSchema(limits: AskRequestLimits) {
  const { maxQuestionLength } = limits
  return z.strictObject({
    question: z
      .string({ error: (issue) => (issue.input === undefined ? 'question is required' : 'question must be a string') })
      .trim()
      .min(1, 'question must not be empty')
      .max(maxQuestionLength, `question is longer than ${maxQuestionLength} characters`),
    mode: z.enum(['extractive', 'llm'], { error: 'mode must be "extractive" or "llm"' }).optional(),
    topK: z.number({ error: 'topK must be a whole number from 1 to 20' }).int('topK must be a whole number from 1 to 20').min(1, 'topK must be at least 1').max(20, 'topK must be at most 20').optional(),
    /** Earlier turns; a follow-up is made standalone before retrieval. */
    history: historySchema(limits).optional(),
    /** Stream Server-Sent Events (also chosen by `Accept: text/event-stream`). */
    stream: z.boolean({ error: 'stream must be true or false' }).optional(),
    /** The language the asker reads: answers a question written in neither Chinese nor English (an emoji, Japanese) in it. */
    language: z.enum(LANGUAGES, { error: 'language must be "zh" or "en"' }).optional(),
  })
}

export type AskRequestBody = z.infer<ReturnType<typeof askRequestSchema>>
