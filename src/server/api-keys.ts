import { createHash, timingSafeEqual } from 'node:crypto'
import type { RequestHandler, Response } from 'express'
import { runWithLogContext } from '../log-context.ts'
import { sendError } from './error-handler.ts'

/** The realm named in `WWW-Authenticate`; any OpenAI client sends its `apiKey` as the bearer token. */
const REALM = 'citeqa'

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest()
}

/** A name for a key that is safe to log and to count by: `key-` and 8 hex digits of its SHA-256. */
export function apiKeyId(key: string): string {
  return `key-${digest(key).toString('hex').slice(0, 8)}`
}

/** The token of `Authorization: Bearer <token>` (scheme in any case), or undefined. */
export function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization ?? '')
  return match?.[1]
}

/**
 * Which configured key `token` is, comparing in constant time: every key is compared, always,
 * and over SHA-256 digests, so neither the time taken nor an early exit tells a caller how much
 * of a key, or which key, it got right, nor how long the keys are.
 */
export function matchApiKey(token: string, keyDigests: readonly { id: string; digest: Buffer }[]): string | undefined {
  const presented = digest(token)
  let matched: string | undefined
  for (const key of keyDigests) {
    if (timingSafeEqual(presented, key.digest) && matched === undefined) matched = key.id
  }
  return matched
}

/**
 * Whether an `Authorization` header presents one of `keys` (compared as {@link matchApiKey} does);
 * for answers that depend on who asks, on routes another check already let through.
 */
export function presentsOneOf(keys: readonly string[]): (authorization: string | undefined) => boolean {
  const keyDigests = keys.map((key) => ({ id: apiKeyId(key), digest: digest(key) }))
  return (authorization) => {
    const token = bearerToken(authorization)
    return token !== undefined && matchApiKey(token, keyDigests) !== undefined
  }
}

function refuse(response: Response, message: string, invalidToken: boolean): void {
  response.setHeader('WWW-Authenticate', `Bearer realm="${REALM}"${invalidToken ? ', error="invalid_token"' : ''}`)
  sendError(response, 401, 'unauthorized', message)
}

/**
 * Requires `Authorization: Bearer <key>` with one of `keys`: a missing or wrong key gets `401
 * unauthorized` in the one error shape with a `WWW-Authenticate` header. A request that passes is
 * known by its key's id from then on (`response.locals.client`, and `apiKey` on its log lines) —
 * the rate limit counts per key. A key of `lesserKeys` (valid elsewhere) gets `403 forbidden` with `lesserMessage`.
 */
export function requireApiKey(keys: readonly string[], { lesserKeys = [], lesserMessage = '' }: { lesserKeys?: readonly string[]; lesserMessage?: string } = {}): RequestHandler {
  if (keys.length === 0) throw new Error('API keys: requireApiKey needs at least one key')
  const keyDigests = keys.map((key) => ({ id: apiKeyId(key), digest: digest(key) }))
  // Valid keys without the right to this route (API_KEYS on a route ADMIN_API_KEYS guards): 403, not 401.
  const lesserDigests = lesserKeys.map((key) => ({ id: apiKeyId(key), digest: digest(key) }))
  return (request, response, next) => {
    const authorization = request.get('authorization')
    const token = bearerToken(authorization)
    if (token === undefined) {
      const message = authorization ? 'API keys: the Authorization header must be "Bearer <key>"' : 'API keys: this service needs an API key (Authorization: Bearer <key>)'
      return refuse(response, message, authorization !== undefined)
    }
    const id = matchApiKey(token, keyDigests)
    if (id === undefined && lesserDigests.length > 0 && matchApiKey(token, lesserDigests) !== undefined) return sendError(response, 403, 'forbidden', lesserMessage)
    if (id === undefined) return refuse(response, 'API keys: the API key is not valid', true)
    response.locals.client = id
    runWithLogContext({ apiKey: id }, next)
  }
}
