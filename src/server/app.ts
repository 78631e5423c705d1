import express, { type Express } from 'express'
import type { Citeqa } from '../citeqa.ts'
import type { Config } from '../config.ts'
import type { Logger } from '../logger.ts'
import { requireApiKey } from './api-keys.ts'
import type { AskRequestLimits } from './ask-request.ts'
import { createErrorHandler, notFoundHandler } from './error-handler.ts'
import { jsonObjectBody } from './json-object-body.ts'
import { ServiceMetrics } from './metrics.ts'
import { rateLimitPerClient } from './rate-limit.ts'
import { requestIdMiddleware } from './request-id.ts'
import { logRequests } from './request-log.ts'
import { articleRoutes } from './routes/article-routes.ts'
import { askRoute } from './routes/ask-route.ts'
import { healthRoute } from './routes/health-route.ts'
import { openaiRoutes } from './routes/openai-routes.ts'
import { outlineRoute } from './routes/outline-route.ts'
import { pageRoutes } from './routes/page-routes.ts'

export interface AppOptions extends AskRequestLimits {
  citeqa: Citeqa
  logger: Logger
  /** Largest request body accepted. Default `64kb`: a 2,000-character question with history fits many times over. */
  bodyLimit?: string
  /** API_KEYS: when any, the answering routes and /metrics need `Authorization: Bearer <key>`. Default none: open. */
  apiKeys?: readonly string[]
  /** RATE_LIMIT_PER_MINUTE: requests a minute per client to the answering routes. Default none: no limit. */
  rateLimitPerMinute?: number
  /** TRUST_PROXY: Express's `trust proxy` (which X-Forwarded-For to believe). Default false. */
  trustProxy?: boolean | number | string
  /** Where requests and answers are counted (`GET /metrics`). Default: a registry of this app's own. */
  metrics?: ServiceMetrics
}

/** Routes that spend the owner's resources (answers, the LLM): behind API keys and the rate limit. */
const ANSWERING_PATHS = ['/ask', '/v1']
/** Routes behind API keys: the answering ones, and the metrics (traffic and spend are the owner's business). */
const KEYED_PATHS = [...ANSWERING_PATHS, '/metrics']

/** The app's options from the validated config. */
export function appOptionsFromConfig(config: Config): Omit<AppOptions, 'citeqa' | 'logger'> {
  return { maxQuestionLength: config.MAX_QUESTION_LENGTH, apiKeys: config.API_KEYS, rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE, trustProxy: config.TRUST_PROXY }
}

/** Builds the HTTP app; `main.ts` listens on it, tests import it. */
export function createApp({ citeqa, logger, bodyLimit = '64kb', apiKeys = [], rateLimitPerMinute, trustProxy = false, metrics = new ServiceMetrics(), ...limits }: AppOptions): Express {
  const app = express()
  app.disable('x-powered-by')
  app.set('trust proxy', trustProxy)
  app.use(requestIdMiddleware())
  app.use(logRequests(logger))
  app.use(metrics.middleware())
  metrics.observeLlm(citeqa.llm)
  // Keys and limits before the body is read: a refused request costs no parsing.
  if (apiKeys.length > 0) app.use(KEYED_PATHS, requireApiKey(apiKeys))
  if (rateLimitPerMinute !== undefined) app.use(ANSWERING_PATHS, rateLimitPerClient(rateLimitPerMinute, logger))
  app.use(jsonObjectBody(bodyLimit))
  app.use(askRoute(citeqa, limits, logger))
  app.use(openaiRoutes(citeqa, limits, logger))
  app.use(articleRoutes(citeqa))
  app.use(outlineRoute(citeqa))
  app.use(healthRoute(citeqa))
  app.use(metrics.route())
  app.use(pageRoutes())
  app.use(notFoundHandler)
  app.use(createErrorHandler(logger))
  return app
}
