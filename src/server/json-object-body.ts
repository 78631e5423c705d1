import express, { type RequestHandler } from 'express'
import { CiteqaError } from '../errors.ts'

function describeJsonValue(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return `a ${typeof value}`
}

/**
 * Parses JSON bodies (any JSON value, so that `null` or `[1]` is not reported as malformed) and
 * rejects the ones that are not an object: every route that takes a body takes an object.
 */
export function jsonObjectBody(limit: string): RequestHandler[] {
  const parse = express.json({ limit, strict: false })
  const requireObject: RequestHandler = (request, _response, next) => {
    const body: unknown = request.body
    if (body === undefined || (typeof body === 'object' && body !== null && !Array.isArray(body))) return next()
    next(new CiteqaError('invalid_request', `Request body must be a JSON object, got ${describeJsonValue(body)}`, { status: 400 }))
  }
  return [parse, requireObject]
}
