import type { Response } from 'express'

/**
 * Sends an answer as JSON without Express's `res.json`, which also hashes every body for an ETag:
 * answers are POST responses, never revalidated or answered 304, so the hash is work for nothing
 * on the busiest route. Node sets the Content-Length of a body given whole to `end`.
 */
export function sendAnswerJson(response: Response, body: unknown): void {
  response.setHeader('Content-Type', 'application/json; charset=utf-8')
  response.end(JSON.stringify(body))
}
