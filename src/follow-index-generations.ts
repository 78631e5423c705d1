import type { Config } from './config.ts'
import { createEmbeddings, type EmbeddingsContext } from './embeddings/create-embeddings.ts'
import type { Logger } from './logger.ts'
import { GenerationWatcher } from './retrieval/postgres/generation-watcher.ts'
import { loadGeneration } from './retrieval/postgres/load-generation.ts'
import { postgresPool } from './retrieval/postgres/postgres-connection.ts'
import type { ServedCiteqa } from './served-citeqa.ts'

/**
 * With INDEX_STORE=postgres, keeps a replica on the active index generation: when an ingest (here
 * or in another process) publishes one, it is loaded beside the served one and swapped in; requests
 * in flight finish on the generation they started with (ServedCiteqa), which is kept for
 * INDEX_GENERATION_GRACE_SECONDS before it is dropped. Returns the watcher (stop it at shutdown).
 */
export async function followIndexGenerations(config: Config, served: ServedCiteqa, logger: Logger): Promise<GenerationWatcher> {
  const databaseUrl = config.DATABASE_URL!
  const watcher = new GenerationWatcher({
    databaseUrl,
    pollMs: config.INDEX_GENERATION_POLL_MS,
    graceSeconds: config.INDEX_GENERATION_GRACE_SECONDS,
    logger,
    served: () => served.current.index.generation,
    serve: async (schema) => {
      const servedEmbeddings = served.current.index.embeddings
      // A model's vectors do not depend on the corpus: the loaded model serves the next generation too. The offline
      // embedder's IDF comes from the corpus, so it is made anew from the generation's term counts.
      const embeddingsFor = (context: EmbeddingsContext) => (servedEmbeddings.passageVectors().from === 'text' ? Promise.resolve(servedEmbeddings) : createEmbeddings(config, context, logger))
      const index = await loadGeneration(postgresPool(databaseUrl), schema, { createEmbeddings: embeddingsFor, logger })
      served.replace(served.current.withDocuments(index.documents!, index))
    },
  })
  await watcher.start()
  return watcher
}
