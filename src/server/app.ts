import express, { type Express } from 'express'
import type { Citeqa } from '../citeqa.ts'
import type { Logger } from '../logger.ts'
import type { AskRequestLimits } from './ask-request.ts'
import { createErrorHandler, notFoundHandler } from './error-handler.ts'
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
}

/** Builds the HTTP app; `main.ts` listens on it, tests import it. */
export function createApp({ citeqa, logger, bodyLimit = '64kb', ...limits }: AppOptions): Express {
  const app = express()
  app.disable('x-powered-by')
  app.use(express.json({ limit: bodyLimit }))
  app.use(askRoute(citeqa, limits, logger))
  app.use(openaiRoutes(citeqa, limits, logger))
  app.use(articleRoutes(citeqa))
  app.use(outlineRoute(citeqa))
  app.use(healthRoute(citeqa))
  app.use(pageRoutes())
  app.use(notFoundHandler)
  app.use(createErrorHandler(logger))
  return app
}
