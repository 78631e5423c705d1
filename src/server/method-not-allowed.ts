import type { RequestHandler } from 'express'
import { sendError } from './error-handler.ts'

/**
 * The last handler of a route: any method the route does not serve gets `405` with `Allow`
 * (RFC 9110), not the 404 a missing route gets. OPTIONS is answered with the same `Allow`.
 */
export function methodNotAllowed(...allowed: string[]): RequestHandler {
  const allow = allowed.join(', ')
  return (request, response) => {
    response.setHeader('Allow', allow)
    if (request.method === 'OPTIONS') {
      response.status(204).end()
      return
    }
    sendError(response, 405, 'method_not_allowed', `${request.method} ${request.baseUrl}${request.path} is not allowed: use ${allowed.filter((method) => method !== 'HEAD').join(' or ')}`)
  }
}

/** `Allow` of a route served by GET (Express answers HEAD with it). */
export const READ_ONLY = ['GET', 'HEAD'] as const
