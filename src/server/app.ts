import express, { type Express, type Request, type RequestHandler } from 'express'
import type { Citeqa } from '../citeqa.ts'
import type { Config } from '../config.ts'
import type { DocumentLibrary } from '../documents/document-library.ts'
import { ServedCiteqa } from '../served-citeqa.ts'
import type { Logger } from '../logger.ts'
import { presentsOneOf, requireApiKey } from './api-keys.ts'
import type { AskRequestLimits } from './ask-request.ts'
import { createErrorHandler, notFoundHandler } from './error-handler.ts'
import { jsonObjectBody } from './json-object-body.ts'
import { ServiceMetrics } from './metrics.ts'
import type { Store } from 'express-rate-limit'
import { rateLimitPerClient } from './rate-limit.ts'
import { requestIdMiddleware } from './request-id.ts'
import { logRequests } from './request-log.ts'
import { articleRoutes } from './routes/article-routes.ts'
import { askRoute } from './routes/ask-route.ts'
import { documentRoutes } from './routes/document-routes.ts'
import { healthRoute } from './routes/health-route.ts'
import { openaiRoutes } from './routes/openai-routes.ts'
import { outlineRoute } from './routes/outline-route.ts'
import { pageRoutes } from './routes/page-routes.ts'
import { welcomeRoute } from './routes/welcome-route.ts'

export interface AppOptions extends AskRequestLimits {
  /** The service answered from: fixed, or replaced as documents are added and removed (then `documents` changes it). */
  citeqa: Citeqa | ServedCiteqa
  logger: Logger
  /** The documents API (`/documents`); absent: no such routes. */
  documents?: DocumentLibrary
  /** MAX_DOCUMENT_BYTES: the largest upload. Default 20 MiB. */
  maxDocumentBytes?: number
  /** ADMIN_API_KEYS: when any, only these keys may add and remove documents (and they are valid API keys too). Default none. */
  adminApiKeys?: readonly string[]
  /** Largest request body accepted. Default `64kb`: a 2,000-character question with history fits many times over. */
  bodyLimit?: string
  /** API_KEYS: when any, the answering routes and /metrics need `Authorization: Bearer <key>`. Default none: open. */
  apiKeys?: readonly string[]
  /** RATE_LIMIT_PER_MINUTE: requests a minute per client to the answering routes. Default none: no limit. */
  rateLimitPerMinute?: number
  /** UPLOAD_RATE_LIMIT_PER_MINUTE: uploads a minute per client to `POST /documents`; 0: no limit. Default 30. */
  uploadRateLimitPerMinute?: number
  /** Where the rate limit counts requests. Default: in this process's memory. With INDEX_STORE=postgres, main.ts gives a store in the database, shared by every replica. */
  rateLimitStore?: Store
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
  return {
    maxQuestionLength: config.MAX_QUESTION_LENGTH,
    apiKeys: config.API_KEYS,
    adminApiKeys: config.ADMIN_API_KEYS,
    maxDocumentBytes: config.MAX_DOCUMENT_BYTES,
    rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE,
    uploadRateLimitPerMinute: config.UPLOAD_RATE_LIMIT_PER_MINUTE,
    trustProxy: config.TRUST_PROXY,
  }
}

const CHANGING_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/**
 * Keys of `/documents`: reading it takes any key when API_KEYS are set (as `/ask`); changing it
 * takes an ADMIN_API_KEYS key when those are set (a mere API key gets 403), else any API key.
 */
function documentKeys(apiKeys: readonly string[], adminApiKeys: readonly string[]): RequestHandler {
  const open: RequestHandler = (_request, _response, next) => next()
  const read = apiKeys.length > 0 ? requireApiKey([...apiKeys, ...adminApiKeys]) : open
  const change =
    adminApiKeys.length > 0 ? requireApiKey(adminApiKeys, { lesserKeys: apiKeys, lesserMessage: 'API keys: this key may not change documents (ADMIN_API_KEYS)' })
    : apiKeys.length > 0 ? read
    : open
  return (request, response, next) => (CHANGING_METHODS.has(request.method) ? change : read)(request, response, next)
}

/**
 * Whether a request that may read `/documents` may also change them: with ADMIN_API_KEYS, when it
 * presents one of those; without, always (reading already took any API key there is).
 */
function mayChangeDocuments(adminApiKeys: readonly string[]): (request: Request) => boolean {
  if (adminApiKeys.length === 0) return () => true
  const presentsAdminKey = presentsOneOf(adminApiKeys)
  return (request) => presentsAdminKey(request.get('authorization'))
}

/** Builds the HTTP app; `main.ts` listens on it, tests import it. */
export function createApp({
  citeqa,
  logger,
  documents,
  maxDocumentBytes = 20 * 1024 * 1024,
  bodyLimit = '64kb',
  apiKeys = [],
  adminApiKeys = [],
  rateLimitPerMinute,
  uploadRateLimitPerMinute = 30,
  rateLimitStore,
  trustProxy = false,
  metrics = new ServiceMetrics(),
  ...limits
}: AppOptions): Express {
  const served = citeqa instanceof ServedCiteqa ? citeqa : new ServedCiteqa(citeqa)
  const app = express()
  app.disable('x-powered-by')
  app.set('trust proxy', trustProxy)
  app.use(requestIdMiddleware())
  app.use(logRequests(logger))
  app.use(metrics.middleware())
  // A swapped-in service keeps the LLM (Citeqa.withDocuments), so its calls stay observed.
  metrics.observeLlm(served.current.llm)
  // Keys and limits before the body is read: a refused request costs no parsing.
  if (apiKeys.length > 0) app.use(KEYED_PATHS, requireApiKey([...apiKeys, ...adminApiKeys]))
  if (documents) app.use('/documents', documentKeys(apiKeys, adminApiKeys))
  if (rateLimitPerMinute !== undefined) app.use(ANSWERING_PATHS, rateLimitPerClient(rateLimitPerMinute, logger, {}, rateLimitStore))
  // After the keys (an upload counts against its key) and before multer reads a byte of the file.
  if (documents && uploadRateLimitPerMinute > 0) {
    app.post('/documents', rateLimitPerClient(uploadRateLimitPerMinute, logger, { component: 'Documents', counted: 'uploads', setting: 'UPLOAD_RATE_LIMIT_PER_MINUTE' }))
  }
  app.use(jsonObjectBody(bodyLimit))
  app.use(askRoute(served, limits, logger))
  app.use(openaiRoutes(served, limits, logger))
  app.use(articleRoutes(served))
  app.use(outlineRoute(served))
  app.use(healthRoute(served))
  app.use(welcomeRoute(served))
  if (documents) app.use(documentRoutes(documents, { maxDocumentBytes, mayChange: mayChangeDocuments(adminApiKeys) }))
  app.use(metrics.route())
  app.use(pageRoutes())
  app.use(notFoundHandler)
  app.use(createErrorHandler(logger))
  return app
}
