import type { ErrorRequestHandler, RequestHandler } from 'express'
import { z } from 'zod'
import { CiteqaError } from '../errors.ts'
import type { Logger } from '../logger.ts'

/** The one shape of every error response. */
export interface ErrorBody {
  error: { code: string; message: string }
}

export function sendError(response: Parameters<RequestHandler>[1], status: number, code: string, message: string): void {
  response.status(status).json({ error: { code, message } } satisfies ErrorBody)
}

/** 404 in the error shape for any route nothing else handled. */
export const notFoundHandler: RequestHandler = (request, response) => {
  sendError(response, 404, 'not_found', `No route for ${request.method} ${request.path}`)
}

// body-parser marks its errors with a `type`; these are the client's fault.
const BODY_PARSER_ERRORS: Record<string, { status: number; code: string; message: string }> = {
  'entity.parse.failed': { status: 400, code: 'invalid_json', message: 'Request body is not valid JSON' },
  'entity.too.large': { status: 413, code: 'body_too_large', message: 'Request body is too large' },
  'encoding.unsupported': { status: 415, code: 'unsupported_encoding', message: 'Request body encoding is not supported' },
  'charset.unsupported': { status: 415, code: 'unsupported_charset', message: 'Request body charset is not supported' },
  'request.aborted': { status: 400, code: 'request_aborted', message: 'Request was aborted' },
}

/**
 * One validation problem as a sentence that names its field once: the schemas' own messages start
 * with the field (`question must not be empty`); any other (zod's defaults) gets the field's path in front.
 */
export function describeIssue(issue: z.core.$ZodIssue): string {
  const [field] = issue.path
  const message = issue.code === 'unrecognized_keys' ? `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => JSON.stringify(key)).join(', ')}` : issue.message
  if (field === undefined || message.startsWith(String(field))) return message
  return `${issue.path.join('.')}: ${message}`
}

/**
 * Turns any error into the one error shape. Client mistakes get their 4xx; anything else is
 * logged (the error object, not a string of it) and answered 500 without internals.
 */
export function createErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error, _request, response, next) => {
    if (response.headersSent) return next(error)
    if (error instanceof z.ZodError) return sendError(response, 400, 'invalid_request', error.issues.map(describeIssue).join('; '))
    if (error instanceof CiteqaError && error.status < 500) return sendError(response, error.status, error.code, error.message)
    const parserError = typeof error?.type === 'string' ? BODY_PARSER_ERRORS[error.type] : undefined
    if (parserError) return sendError(response, parserError.status, parserError.code, parserError.message)
    if (typeof error?.status === 'number' && error.status >= 400 && error.status < 500) {
      return sendError(response, error.status, 'bad_request', String(error.message ?? 'Bad request'))
    }
    logger.error({ err: error }, 'request failed')
    const status = error instanceof CiteqaError ? error.status : 500
    sendError(response, status, error instanceof CiteqaError ? error.code : 'internal_error', 'The service could not answer this request')
  }
}
