import type { Config } from '../config.ts'
import type { Logger } from '../logger.ts'
import type { QueryTranslator } from '../text/query-translator.ts'
import type { CiteqaEmbeddings } from './citeqa-embeddings.ts'
import { OfflineEmbeddings, type OfflineEmbeddingsOptions } from './offline-embeddings.ts'

type EmbeddingsConfig = Pick<
  Config,
  'EMBEDDINGS' | 'EMBEDDING_MODEL' | 'EMBEDDING_DTYPE' | 'LOCAL_MODEL_PATH' | 'ALLOW_REMOTE_MODELS' | 'MODEL_CACHE_DIR'
>

/** What the embedder factory is given: the passages it will embed (their texts, or their counted terms) and the English→Chinese translator. */
export interface EmbeddingsContext {
  corpus: OfflineEmbeddingsOptions['corpus']
  translator: QueryTranslator
}

/**
 * The embedder the settings ask for. `auto` loads the multilingual model and, when it cannot be
 * had (no local copy and no hub), logs one warning and uses the offline embedder instead.
 */
export async function createEmbeddings(config: EmbeddingsConfig, context: EmbeddingsContext, logger: Logger): Promise<CiteqaEmbeddings> {
  if (config.EMBEDDINGS === 'offline') return new OfflineEmbeddings({ corpus: context.corpus, translator: context.translator })

  // transformers.js (with onnxruntime) is loaded only when a model is asked for.
  const [{ TransformersEmbeddings }, { createDownloadProgressBar }] = await Promise.all([import('./transformers-embeddings.ts'), import('./download-progress.ts')])
  const model = new TransformersEmbeddings({
    model: config.EMBEDDING_MODEL,
    dtype: config.EMBEDDING_DTYPE,
    localModelPath: config.LOCAL_MODEL_PATH,
    allowRemoteModels: config.ALLOW_REMOTE_MODELS,
    cacheDir: config.MODEL_CACHE_DIR,
    onProgress: createDownloadProgressBar(),
  })
  try {
    await model.dimensions()
    return model
  } catch (error) {
    if (config.EMBEDDINGS === 'transformers') throw error
    logger.warn(
      { model: config.EMBEDDING_MODEL, reason: (error as Error).message },
      `embedding model ${config.EMBEDDING_MODEL} is unavailable (no local copy in ${config.LOCAL_MODEL_PATH} and the hub cannot be reached); using the offline embedder`,
    )
    return new OfflineEmbeddings({ corpus: context.corpus, translator: context.translator })
  }
}
