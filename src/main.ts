import 'dotenv/config'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createCiteqa } from './citeqa.ts'
import { parseConfig } from './config.ts'
import { DocumentLibrary, loadServedDocuments } from './documents/document-library.ts'
import { exitOnFailure } from './exit-on-failure.ts'
import { createLogger } from './logger.ts'
import { appOptionsFromConfig, createApp } from './server/app.ts'
import { ServedCiteqa } from './served-citeqa.ts'
import { prepareGracefulStop } from './server/graceful-shutdown.ts'
import { listen } from './server/listen.ts'

const SHUTDOWN_TIMEOUT_MS = 10_000

// A wrong setting, a missing article or a taken port stops the start with a line or two and status 1.
exitOnFailure('citeqa')
const config = parseConfig()
const logger = createLogger(config.LOG_LEVEL, config.LOG_FORMAT)
// ARTICLE_PATH's documents and those added through POST /documents (DOCUMENTS_DIR), one index.
const { documents, files, uploaded } = await loadServedDocuments(config, {
  onSkipped: ({ path, reason }) => logger.warn({ file: path, reason }, `Ingest: skipped ${path}: ${reason}`),
})
const served = new ServedCiteqa(await createCiteqa(config, { logger, documents }))
// With the postgres store, every replica switches to the generation an ingest publishes.
const generations = config.INDEX_STORE === 'postgres' ? await (await import('./follow-index-generations.ts')).followIndexGenerations(config, served, logger) : undefined
const library = new DocumentLibrary(config, served, files, uploaded, logger)
// With the postgres store the replicas count each client's requests together, in the database.
const rateLimitStore =
  config.INDEX_STORE === 'postgres' && config.RATE_LIMIT_PER_MINUTE !== undefined
    ? new (await import('./server/postgres-rate-limit-store.ts')).PostgresRateLimitStore((await import('./retrieval/postgres/postgres-connection.ts')).postgresPool(config.DATABASE_URL!))
    : undefined
const app = createApp({ citeqa: served, documents: library, logger, ...appOptionsFromConfig(config), rateLimitStore })
// Not app.listen: Express 5 hands a listen error to its callback, which would have logged "listening".
const server = createServer(app)
const stopServer = prepareGracefulStop(server)
await listen(server, config.PORT, config.HOST)
const { port } = server.address() as AddressInfo
logger.info({ url: `http://${config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST}:${port}`, embedder: served.current.embedderId }, 'citeqa is listening')

// Stop accepting, let requests in flight finish, and give up after a timeout.
function shutdown(signal: string): void {
  logger.info({ signal }, 'shutting down')
  void generations?.stop()
  stopServer(() => process.exit(0))
  setTimeout(() => process.exit(1), SHUTDOWN_TIMEOUT_MS).unref()
}
process.on('SIGTERM', () => shutdown('SIGTERM'))
process.on('SIGINT', () => shutdown('SIGINT'))
