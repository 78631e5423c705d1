import { z } from 'zod'

/** Limits of a question, set from the config at start-up. */
export interface AskRequestLimits {
  maxQuestionLength: number
}

/** The body of `POST /ask`. Unknown fields are rejected so a typo (`topk`) is not silently ignored. */
export function askRequestSchema({ maxQuestionLength }: AskRequestLimits) {
  return z.strictObject({
    question: z
      .string({ error: (issue) => (issue.input === undefined ? 'question is required' : 'question must be a string') })
      .trim()
      .min(1, 'question must not be empty')
      .max(maxQuestionLength, `question is longer than ${maxQuestionLength} characters`),
    mode: z.enum(['extractive', 'llm'], { error: 'mode must be "extractive" or "llm"' }).optional(),
    topK: z.number({ error: 'topK must be a whole number from 1 to 20' }).int('topK must be a whole number from 1 to 20').min(1, 'topK must be at least 1').max(20, 'topK must be at most 20').optional(),
  })
}

export type AskRequestBody = z.infer<ReturnType<typeof askRequestSchema>>
