import { Router, type Request, type Response } from 'express'
import { inReaderLanguage } from '../../answer/detect-language.ts'
import { answerQuestion, mayCallLlm } from '../../ask/answer-question.ts'
import type { QuestionRequest } from '../../ask/types.ts'
import type { Citeqa } from '../../citeqa.ts'
import type { ServedCiteqa } from '../../served-citeqa.ts'
import { CiteqaError } from '../../errors.ts'
import type { Logger } from '../../logger.ts'
import { askRequestSchema, type AskRequestLimits } from '../ask-request.ts'
import { methodNotAllowed } from '../method-not-allowed.ts'
import { readerLanguageOf } from '../reader-language.ts'
import { sendAnswerJson } from '../send-answer-json.ts'
import { abortOnDisconnect, openEventStream, wantsEventStream } from '../sse.ts'

/** Rejects bodies that are not JSON: a form post or plain text would otherwise look like an empty body. */
export function requireJsonBody(request: Request): void {
  if (!request.is('application/json')) {
    throw new CiteqaError('unsupported_media_type', 'Request body must be JSON (Content-Type: application/json)', { status: 415 })
  }
}

/** Answers one validated question, as JSON or as Server-Sent Events. */
async function sendAnswer(citeqa: Citeqa, logger: Logger, request: Request, response: Response, question: QuestionRequest, stream: boolean | undefined): Promise<void> {
  // An AbortController per request costs more than sending an extractive answer: made only when there is an LLM call to cancel.
  const signal = mayCallLlm(citeqa, question.mode) ? abortOnDisconnect(response) : undefined
  if (!wantsEventStream(request, stream)) {
    try {
      // The answer's mode, refusal and fallback are counted by the metrics (see metrics.ts).
      response.locals.answer = await answerQuestion(citeqa, question, { signal }, logger)
      sendAnswerJson(response, response.locals.answer)
    } catch (error) {
      // Nobody is left to tell; the aborted LLM call is the point.
      if (!signal?.aborted) throw error
    }
    return
  }
  const events = openEventStream(response)
  try {
    const body = await answerQuestion(
      citeqa,
      question,
      { signal, onCitations: (event) => events.send('citations', event), onToken: (text) => events.send('token', { text }) },
      logger,
    )
    response.locals.answer = body
    events.send('done', body)
  } catch (error) {
    if (signal?.aborted) return
    logger.error({ err: error }, 'streamed answer failed')
    const code = error instanceof CiteqaError ? error.code : 'internal_error'
    events.send('error', { error: { code, message: 'The service could not answer this request' } })
  } finally {
    events.end()
  }
}

/**
 * `POST /ask`: a question in, a cited answer out, as JSON or as Server-Sent Events
 * (`citations`, `token`…, then `done` with the JSON body, or `error`). Validation errors come
 * before any event, as plain 4xx JSON.
 */
export function askRoute(served: ServedCiteqa, limits: AskRequestLimits, logger: Logger): Router {
  const schema = askRequestSchema(limits)
  return Router()
    .post('/ask', async (request, response) => {
      requireJsonBody(request)
      const { stream, language, ...question } = schema.parse(request.body ?? {})
      // A question in neither Chinese nor English is answered in the asker's language (see detect-language.ts).
      // One service, so one index generation, for the whole request; the header names it (postgres store).
      const citeqa = served.current
      if (citeqa.index.generation) response.set('X-Citeqa-Index-Generation', citeqa.index.generation)
      await inReaderLanguage(readerLanguageOf(request, language), () => sendAnswer(citeqa, logger, request, response, question, stream))
    })
    .all('/ask', methodNotAllowed('POST'))
}
