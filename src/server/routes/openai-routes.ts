import { randomUUID } from 'node:crypto'
import { Router } from 'express'
import { z } from 'zod'
import { detectLanguage, inReaderLanguage } from '../../answer/detect-language.ts'
import type { Citation } from '../../answer/types.ts'
import { answerQuestion, defaultMode, mayCallLlm } from '../../ask/answer-question.ts'
import type { AnswerBody, AnswerMode } from '../../ask/types.ts'
import type { Citeqa } from '../../citeqa.ts'
import type { ServedCiteqa } from '../../served-citeqa.ts'
import { CiteqaError } from '../../errors.ts'
import type { ConversationTurn } from '../../llm/follow-up.ts'
import type { Logger } from '../../logger.ts'
import { historySchema, type AskRequestLimits } from '../ask-request.ts'
import { methodNotAllowed, READ_ONLY } from '../method-not-allowed.ts'
import { readerLanguageOf } from '../reader-language.ts'
import { abortOnDisconnect } from '../sse.ts'
import { requireJsonBody } from './ask-route.ts'

/** Model ids this service answers as: the default mode, or one mode forced. */
const MODELS: Record<string, AnswerMode | undefined> = { citeqa: undefined, 'citeqa-llm': 'llm', 'citeqa-extractive': 'extractive' }

const contentSchema = z.union([
  z.string(),
  // Chat front ends may send content parts; only text parts are read.
  z.array(z.looseObject({ type: z.string(), text: z.string().optional() })).transform((parts) => parts.map((part) => part.text ?? '').join('')),
  z.null().transform(() => ''),
])

/** The body of `POST /v1/chat/completions`; OpenAI's other fields (temperature, …) are accepted and ignored. */
const chatCompletionSchema = z.looseObject({
  model: z.string({ error: 'model is required' }).min(1, 'model must not be empty'),
  messages: z
    .array(z.looseObject({ role: z.string(), content: contentSchema.optional() }), { error: 'messages must be an array' })
    .min(1, 'messages must not be empty'),
  stream: z.boolean().nullish(),
})

/** The question (last user message) and the conversation before it (user and assistant turns). */
function questionAndHistory(messages: { role: string; content?: string }[], limits: AskRequestLimits): { question: string; history: ConversationTurn[] } {
  const lastUser = messages.map((message) => message.role).lastIndexOf('user')
  const question = lastUser >= 0 ? (messages[lastUser].content ?? '').trim() : ''
  if (question === '') throw new CiteqaError('invalid_request', 'messages: the last user message is the question and must not be empty', { status: 400 })
  if (question.length > limits.maxQuestionLength) {
    throw new CiteqaError('invalid_request', `messages: question is longer than ${limits.maxQuestionLength} characters`, { status: 400 })
  }
  const turns = messages
    .slice(0, lastUser)
    .filter((message) => message.role === 'user' || message.role === 'assistant')
    .map((message) => ({ role: message.role as ConversationTurn['role'], content: message.content ?? '' }))
  // Long chats keep their latest turns rather than failing.
  const history = historySchema(limits).parse(turns.slice(-(limits.maxHistoryTurns ?? 20)))
  return { question, history }
}

/** The sources list appended to the reply's content, in the answer's language. */
export function formatSources(citations: Citation[], answer: string): string {
  if (citations.length === 0) return ''
  const chinese = detectLanguage(answer) === 'zh'
  const lines = citations.map((citation) => `[${citation.n}] ${chinese ? `第${citation.paragraph}段` : `paragraph ${citation.paragraph}`}${citation.section ? ` (${citation.section})` : ''}: ${citation.text}`)
  return `\n\n${chinese ? '来源：' : 'Sources:'}\n${lines.join('\n')}`
}

/** Everything of the answer body but the answer text, for the `citeqa` extra field. */
function extraFields(body: AnswerBody) {
  const { answer: _answer, citations, ...rest } = body
  return { citations, citeqa: rest }
}

/**
 * The OpenAI-compatible API, so OpenAI clients and chat front ends can use citeqa as a model:
 * `GET /v1/models` and `POST /v1/chat/completions` (JSON or streamed chunks). The reply's content
 * is the answer with `[n]` markers and a sources list; `citations` (and `citeqa`: segments,
 * degraded, …) travel as extra fields of the completion and of the last stream chunk.
 */
export function openaiRoutes(served: ServedCiteqa, limits: AskRequestLimits, logger: Logger): Router {
  const router = Router()
  const created = Math.floor(Date.now() / 1000)

  router.get('/v1/models', (_request, response) => {
    response.json({ object: 'list', data: Object.keys(MODELS).map((id) => ({ id, object: 'model', created, owned_by: 'citeqa' })) })
  })

  router.post('/v1/chat/completions', async (request, response) => {
    requireJsonBody(request)
    const body = chatCompletionSchema.parse(request.body ?? {})
    // One service for the whole request: a document swapped in meanwhile serves the next one.
    const citeqa = served.current
    if (!(body.model in MODELS)) {
      throw new CiteqaError('model_not_found', `Models: unknown model "${body.model}" (models: ${Object.keys(MODELS).join(', ')})`, { status: 404 })
    }
    const mode = MODELS[body.model] ?? defaultMode(citeqa)
    const { question, history } = questionAndHistory(body.messages, limits)
    // A question in neither Chinese nor English is answered in the language Accept-Language prefers (see detect-language.ts).
    const language = readerLanguageOf(request)
    const signal = mayCallLlm(citeqa, mode) ? abortOnDisconnect(response) : undefined
    const id = `chatcmpl-${randomUUID()}`
    const now = Math.floor(Date.now() / 1000)

    if (!body.stream) {
      let answer: AnswerBody
      try {
        answer = await inReaderLanguage(language, () => answerQuestion(citeqa, { question, history, mode }, { signal }, logger))
        response.locals.answer = answer
      } catch (error) {
        if (signal?.aborted) return
        throw error
      }
      response.json({
        id,
        object: 'chat.completion',
        created: now,
        model: body.model,
        choices: [{ index: 0, message: { role: 'assistant', content: answer.answer + formatSources(answer.citations, answer.answer) }, finish_reason: 'stop', logprobs: null }],
        usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
        ...extraFields(answer),
      })
      return
    }

    response.status(200).set({ 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache, no-transform', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' })
    response.flushHeaders()
    const send = (delta: object, finishReason: string | null = null, extra: object = {}) => {
      if (response.writableEnded || response.destroyed) return
      const chunk = { id, object: 'chat.completion.chunk', created: now, model: body.model, choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }], ...extra }
      response.write(`data: ${JSON.stringify(chunk)}\n\n`)
    }
    send({ role: 'assistant', content: '' })
    let streamed = false
    try {
      const answer = await inReaderLanguage(language, () => answerQuestion(
        citeqa,
        { question, history, mode },
        {
          signal,
          onToken: (text) => {
            streamed = true
            send({ content: text })
          },
          // The extractive fallback's answer follows any LLM text already sent: mark the switch.
          onDegraded: () => {
            if (streamed) send({ content: '\n\n---\n' })
          },
        },
        logger,
      ))
      response.locals.answer = answer
      send({ content: formatSources(answer.citations, answer.answer) })
      send({}, 'stop', extraFields(answer))
      response.write('data: [DONE]\n\n')
    } catch (error) {
      if (signal?.aborted) return
      logger.error({ err: error }, 'streamed chat completion failed')
      response.write(`data: ${JSON.stringify({ error: { code: 'internal_error', message: 'The service could not answer this request' } })}\n\n`)
    } finally {
      if (!response.writableEnded) response.end()
    }
  })
  router.all('/v1/models', methodNotAllowed(...READ_ONLY))
  router.all('/v1/chat/completions', methodNotAllowed('POST'))
  return router
}
