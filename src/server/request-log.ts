import type { RequestHandler } from 'express'
import type { Logger } from '../logger.ts'

/**
 * One `request` log line per request when its response is over: method, path (no query string:
 * questions are not logged), status, duration, the request id and the API key's id — never the
 * key. A client that left before the end is logged with `aborted: true`.
 */
export function logRequests(logger: Logger): RequestHandler {
  return (request, response, next) => {
    const started = process.hrtime.bigint()
    response.once('close', () => {
      const durationMs = Math.round(Number(process.hrtime.bigint() - started) / 1e4) / 100
      const { requestId, client } = response.locals
      const line = { requestId, method: request.method, path: (request.originalUrl ?? request.url).split('?')[0], status: response.statusCode, durationMs, ...(client ? { apiKey: client } : {}), ...(response.writableFinished ? {} : { aborted: true }) }
      if (response.statusCode >= 500) logger.error(line, 'request')
      else logger.info(line, 'request')
    })
    next()
  }
}
