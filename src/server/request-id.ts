import { randomUUID } from 'node:crypto'
import type { RequestHandler } from 'express'
import { runWithLogContext } from '../log-context.ts'

export const REQUEST_ID_HEADER = 'X-Request-Id'

// A caller's (or proxy's) id is kept only when it is short and plain: it goes into logs and headers.
const ACCEPTABLE_REQUEST_ID = /^[\w.:@-]{1,128}$/

/**
 * Gives every request an id — the caller's `X-Request-Id` when it is a plain token, else a new
 * UUID — sends it back in `X-Request-Id`, and puts it on every log line written while the
 * request is handled (see log-context.ts).
 */
export function requestIdMiddleware(): RequestHandler {
  return (request, response, next) => {
    const offered = request.get(REQUEST_ID_HEADER)
    const requestId = offered && ACCEPTABLE_REQUEST_ID.test(offered) ? offered : randomUUID()
    response.locals.requestId = requestId
    response.setHeader(REQUEST_ID_HEADER, requestId)
    runWithLogContext({ requestId }, next)
  }
}
