import 'dotenv/config'
import { createCiteqa } from './citeqa.ts'
import { parseConfig } from './config.ts'
import { createLogger } from './logger.ts'
import { appOptionsFromConfig, createApp } from './server/app.ts'
import { prepareGracefulStop } from './server/graceful-shutdown.ts'

const SHUTDOWN_TIMEOUT_MS = 10_000

let config
try {
  config = parseConfig()
} catch (error) {
  console.error((error as Error).message)
  process.exit(1)
}
const logger = createLogger(config.LOG_LEVEL, config.LOG_FORMAT)
const citeqa = await createCiteqa(config, { logger })
const app = createApp({ citeqa, logger, ...appOptionsFromConfig(config) })
const server = app.listen(config.PORT, config.HOST, () => {
  logger.info({ url: `http://${config.HOST}:${config.PORT}`, embedder: citeqa.embedderId }, 'citeqa is listening')
})
const stopServer = prepareGracefulStop(server)

// Stop accepting, let requests in flight finish, and give up after a timeout.
function shutdown(signal: string): void {
  logger.info({ signal }, 'shutting down')
  stopServer(() => process.exit(0))
  setTimeout(() => process.exit(1), SHUTDOWN_TIMEOUT_MS).unref()
}
process.on('SIGTERM', () => shutdown('SIGTERM'))
process.on('SIGINT', () => shutdown('SIGINT'))
