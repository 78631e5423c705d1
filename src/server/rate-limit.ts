import type { RequestHandler } from 'express'
import { ipKeyGenerator, rateLimit, type Store } from 'express-rate-limit'
import type { Logger } from '../logger.ts'
import { sendError } from './error-handler.ts'

const WINDOW_MS = 60_000

/**
 * Who a request counts against: its API key when keys are on (set by requireApiKey), else its
 * address — `request.ip`, which honours TRUST_PROXY behind a reverse proxy; IPv6 addresses by
 * their /56 network, since one client holds a whole block of them.
 */
export function rateLimitClient(request: { ip?: string }, locals: Record<string, unknown>): string {
  if (typeof locals.client === 'string') return locals.client
  return `ip-${ipKeyGenerator(request.ip ?? 'unknown')}`
}

/** How a limit names itself in its 429 message. */
export interface RateLimitWording {
  /** The component the message starts with. Default `Rate limit`. */
  component: string
  /** What is counted. Default `requests`. */
  counted: string
  /** The setting that sets the limit, named so the owner knows what to raise. Default none. */
  setting?: string
}

const defaultWording: RateLimitWording = { component: 'Rate limit', counted: 'requests' }

/**
 * At most `perMinute` requests per client in a fixed one-minute window (express-rate-limit;
 * counted in memory, for one process, or in `store`: PostgreSQL, shared by the replicas). Past it: `429 rate_limited` in the one error shape, with `Retry-After`
 * (seconds until the window resets) and the IETF draft-8 `RateLimit` / `RateLimit-Policy` headers,
 * which every answer carries. Each call counts on its own (its own store).
 */
export function rateLimitPerClient(perMinute: number, logger: Logger, wording: Partial<RateLimitWording> = {}, store?: Store): RequestHandler {
  const { component, counted, setting } = { ...defaultWording, ...wording }
  return rateLimit({
    ...(store ? { store } : {}),
    windowMs: WINDOW_MS,
    limit: perMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (request, response) => rateLimitClient(request, response.locals),
    handler: (_request, response) => {
      const retryAfter = response.getHeader('Retry-After')
      sendError(response, 429, 'rate_limited', `${component}: more than ${perMinute} ${counted} a minute from this client${setting ? ` (${setting})` : ''}; try again in ${retryAfter ?? 60} s`)
    },
    // TRUST_PROXY=true (trust every proxy) is the owner's explicit choice, documented as spoofable; the check would log it on every start.
    validate: { trustProxy: false },
    logger: { error: (error, message) => logger.error({ err: error }, message ?? 'rate limit failed'), warn: (error, message) => logger.warn({ err: error }, message ?? 'rate limit') },
  })
}
