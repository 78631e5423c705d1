import type { Config } from '../config.ts'
import type { CiteqaError } from '../errors.ts'
import type { Logger } from '../logger.ts'
import type { QueryTranslator } from '../text/query-translator.ts'
import type { CiteqaEmbeddings } from './citeqa-embeddings.ts'
import { OfflineEmbeddings, type OfflineEmbeddingsOptions } from './offline-embeddings.ts'

type EmbeddingsConfig = Pick<
  Config,
  'EMBEDDINGS' | 'EMBEDDING_MODEL' | 'EMBEDDING_DTYPE' | 'LOCAL_MODEL_PATH' | 'ALLOW_REMOTE_MODELS' | 'MODEL_CACHE_DIR' | 'MODEL_HUB_URL' | 'MODEL_HUB_TIMEOUT_MS'
>

/** What the embedder factory is given: the passages it will embed (their texts, or their counted terms) and the English→Chinese translator. */
export interface EmbeddingsContext {
  corpus: OfflineEmbeddingsOptions['corpus']
  translator: QueryTranslator
}

// Models this process found unavailable, by where they were looked for: a second corpus (npm run eval
// opens several) falls back at once rather than waiting on the hub and warning again.
const unavailableModels = new Set<string>()

/**
 * The embedder the settings ask for. `auto` loads the multilingual model and, when it cannot be
 * had (no local copy, and the hub refuses, cannot be resolved or does not answer within
 * MODEL_HUB_TIMEOUT_MS), logs one warning and uses the offline embedder instead. The first request
 * to the hub is announced in one line, so a start that waits on the network says what it waits for.
 * A model found unavailable is not tried again in the same process with the same settings.
 */
export async function createEmbeddings(config: EmbeddingsConfig, context: EmbeddingsContext, logger: Logger): Promise<CiteqaEmbeddings> {
  if (config.EMBEDDINGS === 'offline') return new OfflineEmbeddings({ corpus: context.corpus, translator: context.translator })

  const attempt = JSON.stringify([config.EMBEDDING_MODEL, config.EMBEDDING_DTYPE, config.LOCAL_MODEL_PATH, config.MODEL_CACHE_DIR, config.ALLOW_REMOTE_MODELS && config.MODEL_HUB_URL])
  if (config.EMBEDDINGS === 'auto' && unavailableModels.has(attempt)) return new OfflineEmbeddings({ corpus: context.corpus, translator: context.translator })

  // transformers.js (with onnxruntime) is loaded only when a model is asked for.
  const [{ TransformersEmbeddings }, { createDownloadProgressBar }] = await Promise.all([import('./transformers-embeddings.ts'), import('./download-progress.ts')])
  let announced = false
  const model = new TransformersEmbeddings({
    model: config.EMBEDDING_MODEL,
    dtype: config.EMBEDDING_DTYPE,
    localModelPath: config.LOCAL_MODEL_PATH,
    allowRemoteModels: config.ALLOW_REMOTE_MODELS,
    cacheDir: config.MODEL_CACHE_DIR,
    remoteHost: config.MODEL_HUB_URL,
    hubTimeoutMs: config.MODEL_HUB_TIMEOUT_MS,
    onHubRequest: () => {
      if (announced) return
      announced = true
      logger.info(
        `fetching embedding model ${config.EMBEDDING_MODEL} from ${config.MODEL_HUB_URL} (no copy in ${config.LOCAL_MODEL_PATH} or the cache; ` +
          `giving up if it does not answer within ${seconds(config.MODEL_HUB_TIMEOUT_MS)})`,
      )
    },
    onProgress: createDownloadProgressBar(),
  })
  try {
    await model.dimensions()
    return model
  } catch (error) {
    if (config.EMBEDDINGS === 'transformers') throw error
    unavailableModels.add(attempt)
    const reason = ((error as CiteqaError).details as { reason?: string } | undefined)?.reason ?? (error as Error).message
    // One sentence and no fields: in a terminal each field would be a line of its own.
    logger.warn(`embedding model ${config.EMBEDDING_MODEL} is unavailable (${reason}); using the offline embedder (EMBEDDINGS=offline skips this attempt)`)
    return new OfflineEmbeddings({ corpus: context.corpus, translator: context.translator })
  }
}

function seconds(milliseconds: number): string {
  return `${Number((milliseconds / 1000).toFixed(1))} s`
}
