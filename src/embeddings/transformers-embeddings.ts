import {
  env,
  pipeline,
  type DataType,
  type FeatureExtractionPipeline,
  type PretrainedModelOptions,
  type ProgressInfo,
} from '@huggingface/transformers'
import { CiteqaError } from '../errors.ts'
import { withBoundedHubRequests } from './bounded-hub-requests.ts'
import { CiteqaEmbeddings } from './citeqa-embeddings.ts'

/** How {@link TransformersEmbeddings} finds, loads and runs its model. */
export interface TransformersEmbeddingsOptions {
  /**
   * Hugging Face model id of a transformers.js-compatible (ONNX) sentence encoder.
   * Default `Xenova/multilingual-e5-small`: small (~118 MB as q8) and trained on Chinese.
   */
  model: string
  /**
   * Weight precision, which selects the ONNX file: `'q8'` loads `onnx/model_quantized.onnx`
   * (int8 quantized), `'fp32'` loads `onnx/model.onnx`. Default `'q8'`.
   */
  dtype: DataType
  /**
   * Folder holding one `<model id>/` subfolder per model (e.g. `<folder>/Xenova/multilingual-e5-small/`).
   * When set, models are looked up there first. Default: transformers.js's own `models/` folder.
   */
  localModelPath?: string
  /** Whether missing files may be downloaded from the Hugging Face hub; `false` never touches the network. Default `true`. */
  allowRemoteModels: boolean
  /** Folder where downloaded model files are cached. Default: transformers.js's `.cache/` inside its package folder. */
  cacheDir?: string
  /** The hub missing files are downloaded from (transformers.js's `env.remoteHost`), e.g. a mirror. Default `https://huggingface.co/`. */
  remoteHost: string
  /**
   * Longest wait for the hub to answer a request, connecting included, in ms; past it the load fails
   * (and EMBEDDINGS=auto falls back to the offline embedder). Default `5000`: the hub answers in well
   * under a second, and a network that drops packets would otherwise keep start-up waiting for minutes.
   */
  hubTimeoutMs: number
  /** Longest pause in the download of a model file, in ms, before the load fails. Default `30000`. */
  hubStallTimeoutMs: number
  /** Told of each request to the hub before it is made, e.g. to say once what start-up is waiting for. Default: none. */
  onHubRequest?: (url: string) => void
  /** Prepended to every query before embedding; E5 models are trained with it. Default `'query: '`. */
  queryPrefix: string
  /** Prepended to every document before embedding; E5 models are trained with it. Default `'passage: '`. */
  passagePrefix: string
  /** Most texts run through the model at once by `embedDocuments`, bounding memory use. Default `16`. */
  batchSize: number
  /** Receives transformers.js progress events while model files load, e.g. {@link createDownloadProgressBar}. Default: none. */
  onProgress?: (event: ProgressInfo) => void
}

/** The defaults of {@link TransformersEmbeddingsOptions}; options given to the constructor are spread over them. */
export const defaultTransformersEmbeddingsOptions = {
  model: 'Xenova/multilingual-e5-small',
  dtype: 'q8',
  allowRemoteModels: true,
  remoteHost: 'https://huggingface.co/',
  hubTimeoutMs: 5000,
  hubStallTimeoutMs: 30_000,
  queryPrefix: 'query: ',
  passagePrefix: 'passage: ',
  batchSize: 16,
} as const satisfies Partial<TransformersEmbeddingsOptions>

// transformers.js's generic `pipeline()` signature makes tsc fail with "union type that is too
// complex to represent" (TS2590); this is the one overload used here.
const createFeatureExtractionPipeline = pipeline as (
  task: 'feature-extraction',
  model: string,
  options: PretrainedModelOptions,
) => Promise<FeatureExtractionPipeline>

// transformers.js's own defaults, captured before any instance changes the global `env`, so an
// instance without `localModelPath`/`cacheDir` does not inherit those of an earlier instance.
const libraryDefaultLocalModelPath = env.localModelPath
const libraryDefaultCacheDir = env.cacheDir

// transformers.js reads its settings from the process-wide `env` object while a model loads
// (across several awaits), so loads are chained one after another: otherwise two instances with
// different options loading at once could each read the other's settings.
let previousLoad: Promise<unknown> = Promise.resolve()

/**
 * Embeds texts locally with a transformers.js `feature-extraction` pipeline: token vectors are
 * mean-pooled over the attention mask and L2-normalized, so cosine similarity is a dot product.
 * The model loads on first use, not in the constructor, so building the object is free.
 */
export class TransformersEmbeddings extends CiteqaEmbeddings {
  readonly id: string
  readonly options: Readonly<TransformersEmbeddingsOptions>
  private pipelineLoad?: Promise<FeatureExtractionPipeline>
  private dimensionCount?: Promise<number>

  constructor(options: Partial<TransformersEmbeddingsOptions> = {}) {
    super()
    this.options = { ...defaultTransformersEmbeddingsOptions, ...withoutUndefined(options) }
    const { batchSize } = this.options
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new CiteqaError(
        'EMBEDDINGS_INVALID_OPTIONS',
        `TransformersEmbeddings: batchSize must be a positive integer, got ${batchSize}`,
      )
    }
    this.id = `transformers:${this.options.model}:${this.options.dtype}`
  }

  async dimensions(): Promise<number> {
    // Measured on a real vector rather than read from config.json, whose field name varies by
    // architecture (hidden_size, d_model, ...).
    this.dimensionCount ??= forgetOnFailure(
      this.embedTexts(['']).then(([vector]) => vector.length),
      () => (this.dimensionCount = undefined),
    )
    return this.dimensionCount
  }

  async embedQuery(text: string): Promise<number[]> {
    const [vector] = await this.embedTexts([this.options.queryPrefix + text])
    return vector
  }

  async embedDocuments(documents: string[]): Promise<number[][]> {
    const vectors: number[][] = []
    for (let start = 0; start < documents.length; start += this.options.batchSize) {
      const batch = documents.slice(start, start + this.options.batchSize)
      vectors.push(...(await this.embedTexts(batch.map((text) => this.options.passagePrefix + text))))
    }
    return vectors
  }

  private async embedTexts(texts: string[]): Promise<number[][]> {
    const extractor = await this.loadPipeline()
    const output = await extractor(texts, { pooling: 'mean', normalize: true })
    return output.tolist() as number[][]
  }

  /** Loads the pipeline once; a failed load is forgotten so that a later call can retry it. */
  private loadPipeline(): Promise<FeatureExtractionPipeline> {
    if (!this.pipelineLoad) {
      const load = previousLoad.then(() => this.createPipeline())
      previousLoad = load.catch(() => undefined)
      this.pipelineLoad = forgetOnFailure(load, () => (this.pipelineLoad = undefined))
    }
    return this.pipelineLoad
  }

  private async createPipeline(): Promise<FeatureExtractionPipeline> {
    const { model, dtype, localModelPath, allowRemoteModels, cacheDir, remoteHost, hubTimeoutMs, hubStallTimeoutMs, onHubRequest, onProgress } = this.options
    // `env` is global to transformers.js: these settings apply to every later load in the process
    // (loads of this class set them again each time, see `previousLoad`).
    env.localModelPath = localModelPath ?? libraryDefaultLocalModelPath
    // Local lookup stays on even without a folder of our own: transformers.js refuses to load at
    // all when both local and remote models are disabled, even from its download cache.
    env.allowLocalModels = true
    env.allowRemoteModels = allowRemoteModels
    env.cacheDir = cacheDir ?? libraryDefaultCacheDir
    env.remoteHost = remoteHost
    const load = () => createFeatureExtractionPipeline('feature-extraction', model, { dtype, local_files_only: !allowRemoteModels, progress_callback: onProgress })
    try {
      if (!allowRemoteModels) return await load()
      return await withBoundedHubRequests({ hubUrl: remoteHost, answerTimeoutMs: hubTimeoutMs, stallTimeoutMs: hubStallTimeoutMs, onRequest: onHubRequest }, load)
    } catch (error) {
      const reason = loadFailureReason(error, this.options)
      throw new CiteqaError('EMBEDDINGS_MODEL_UNAVAILABLE', `TransformersEmbeddings: cannot load model ${model} (dtype ${dtype}): ${reason}`, {
        status: 503,
        retryable: allowRemoteModels,
        cause: error,
        details: { reason },
      })
    }
  }
}

/**
 * Why a model could not be loaded, in a clause a person can act on: `not in models/, and
 * https://huggingface.co/ did not answer within 5 s`. transformers.js's own messages (and fetch's
 * `fetch failed`) are kept as the error's cause.
 */
export function loadFailureReason(error: unknown, options: Pick<TransformersEmbeddingsOptions, 'localModelPath' | 'allowRemoteModels' | 'remoteHost'>): string {
  const local = options.localModelPath ? `not in ${options.localModelPath}` : 'no local copy'
  if (!options.allowRemoteModels) return `${local}, and ALLOW_REMOTE_MODELS=false forbids downloads`
  const causes = causeChain(error)
  const hubError = causes.find((cause): cause is CiteqaError => cause instanceof CiteqaError && cause.code.startsWith('model_hub_'))
  if (hubError) return `${local}, and ${hubError.message.replace(/^Model hub: /, '')}`
  const code = causes.map((cause) => (cause as NodeJS.ErrnoException).code).find((candidate) => typeof candidate === 'string')
  const host = hostOf(options.remoteHost)
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `${local}, and the name ${host} does not resolve`
  if (code === 'ECONNREFUSED') return `${local}, and ${host} refused the connection`
  if (code === 'ECONNRESET') return `${local}, and ${host} closed the connection`
  if (code === 'ENETUNREACH' || code === 'EHOSTUNREACH') return `${local}, and ${host} is unreachable from this network`
  // transformers.js's messages can run to several lines; the first names the file and the status.
  return `${local}, and ${errorMessage(error).split('\n')[0].slice(0, 300)}`
}

function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = []
  for (let cause = error; cause !== undefined && chain.length < 10; cause = (cause as { cause?: unknown }).cause) chain.push(cause)
  return chain
}

function hostOf(url: string): string {
  try {
    return new URL(url).host
  } catch {
    return url
  }
}

/**
 * Returns `promise` unchanged, calling `forget` if it rejects so the memoized promise is cleared
 * and the next caller starts over instead of receiving the same failure forever.
 */
function forgetOnFailure<T>(promise: Promise<T>, forget: () => void): Promise<T> {
  promise.catch(forget)
  return promise
}

/** Drops keys explicitly set to `undefined`, so they do not override defaults when spread. */
function withoutUndefined<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<T>
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
