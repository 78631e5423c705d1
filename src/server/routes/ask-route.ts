import { Router, type Request } from 'express'
import type { Citeqa } from '../../citeqa.ts'
import { CiteqaError } from '../../errors.ts'
import { askRequestSchema, type AskRequestLimits } from '../ask-request.ts'

/** Rejects bodies that are not JSON: a form post or plain text would otherwise look like an empty body. */
export function requireJsonBody(request: Request): void {
  if (!request.is('application/json')) {
    throw new CiteqaError('unsupported_media_type', 'Request body must be JSON (Content-Type: application/json)', { status: 415 })
  }
}

/** `POST /ask`: a question in, a cited answer out. */
export function askRoute(citeqa: Citeqa, limits: AskRequestLimits): Router {
  const schema = askRequestSchema(limits)
  return Router().post('/ask', async (request, response) => {
    requireJsonBody(request)
    const body = schema.parse(request.body ?? {})
    response.json(await citeqa.ask(body))
  })
}
