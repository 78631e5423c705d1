import { mkdtemp } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Server } from 'node:http'
import { createCiteqa, type Citeqa } from '../../src/citeqa.ts'
import { parseConfig } from '../../src/config.ts'
import { silentLogger } from '../../src/logger.ts'
import { appOptionsFromConfig, createApp, type AppOptions } from '../../src/server/app.ts'
import { DocumentLibrary, loadServedDocuments } from '../../src/documents/document-library.ts'
import { ServedCiteqa } from '../../src/served-citeqa.ts'

/**
 * A real service over data/article.txt with the offline embedder; the index goes to a fresh
 * temp folder unless `settings.INDEX_DIR` names one.
 */
export async function createOfflineCiteqa(settings: Record<string, string> = {}): Promise<Citeqa> {
  const indexDirectory = settings.INDEX_DIR ?? (await mkdtemp(join(tmpdir(), 'citeqa-index-')))
  return createCiteqa(parseConfig({ EMBEDDINGS: 'offline', LOG_LEVEL: 'silent', ...settings, INDEX_DIR: indexDirectory }), { logger: silentLogger })
}

/** The real app listening on a free loopback port (with `options`: API keys, rate limit, …); `close` stops it. */
export async function startServer(citeqa: Citeqa | ServedCiteqa, options: Partial<Omit<AppOptions, 'citeqa'>> = {}): Promise<{ baseUrl: string; close: () => Promise<void> }> {
  const app = createApp({ citeqa, logger: silentLogger, maxQuestionLength: 2000, ...options })
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening))
  })
  const { port } = server.address() as AddressInfo
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** A running service with the documents API over a fresh DOCUMENTS_DIR and INDEX_DIR (offline embedder). */
export interface DocumentService {
  baseUrl: string
  library: DocumentLibrary
  served: ServedCiteqa
  documentsFolder: string
  close: () => Promise<void>
}

/** The service as main.ts assembles it — ARTICLE_PATH's and DOCUMENTS_DIR's documents, the library, the app — on a free loopback port. */
export async function startDocumentService(settings: Record<string, string> = {}): Promise<DocumentService> {
  const scratch = await mkdtemp(join(tmpdir(), 'citeqa-documents-'))
  const config = parseConfig({ EMBEDDINGS: 'offline', LOG_LEVEL: 'silent', INDEX_DIR: join(scratch, 'index'), DOCUMENTS_DIR: join(scratch, 'documents'), ...settings })
  const { documents, files, uploaded } = await loadServedDocuments(config, { onSkipped: () => undefined })
  const served = new ServedCiteqa(await createCiteqa(config, { logger: silentLogger, documents }))
  const library = new DocumentLibrary(config, served, files, uploaded, silentLogger)
  const server = await startServer(served, { ...appOptionsFromConfig(config), documents: library })
  return {
    baseUrl: server.baseUrl,
    library,
    served,
    documentsFolder: config.DOCUMENTS_DIR,
    close: async () => {
      await library.settled()
      await server.close()
    },
  }
}
