import { CiteqaError } from '../errors.ts'

/** How long requests to a model hub may take; see {@link withBoundedHubRequests}. */
export interface HubRequestBounds {
  /** The hub: requests to URLs under it are bounded, every other request passes untouched. */
  hubUrl: string
  /** Longest wait for the answer to a request (connecting and redirects included), in ms. */
  answerTimeoutMs: number
  /** Longest pause between two pieces of a file being downloaded, in ms. */
  stallTimeoutMs: number
  /** Told of each request to the hub before it is made (to say what start-up is waiting for). */
  onRequest?: (url: string) => void
}

/**
 * Runs `work` with every request to the hub bounded in time: a hub that does not answer within
 * `answerTimeoutMs` (a network that drops packets, a server that accepts and never answers), or a
 * download that stalls for `stallTimeoutMs`, fails with a `model_hub_timeout` CiteqaError instead
 * of waiting for the operating system to give up. When `work` ends, requests it left in flight are aborted.
 *
 * transformers.js calls the global `fetch` with no signal and has no timeout option of its own, so
 * `fetch` is wrapped for the duration of `work`; model loads run one at a time (see TransformersEmbeddings).
 */
export async function withBoundedHubRequests<T>(bounds: HubRequestBounds, work: () => Promise<T>): Promise<T> {
  const unboundedFetch = globalThis.fetch
  // Each request in flight and what ends it (its timer cleared).
  const inFlight = new Map<AbortController, () => void>()
  const boundedFetch: typeof fetch = async (input, init) => {
    const url = input instanceof Request ? input.url : String(input)
    if (!url.startsWith(bounds.hubUrl)) return unboundedFetch(input, init)
    bounds.onRequest?.(url)
    const controller = new AbortController()
    const done = () => {
      clearTimeout(timer)
      inFlight.delete(controller)
    }
    inFlight.set(controller, done)
    let timer = setTimeout(() => controller.abort(hubTimeout(bounds.hubUrl, bounds.answerTimeoutMs, 'answer')), bounds.answerTimeoutMs)
    let response: Response
    try {
      response = await unboundedFetch(input, { ...init, signal: controller.signal })
    } catch (error) {
      done()
      throw controller.signal.aborted ? controller.signal.reason : error
    }
    clearTimeout(timer)
    if (!response.body) {
      done()
      return response
    }
    const watchStall = () => {
      clearTimeout(timer)
      timer = setTimeout(() => controller.abort(hubTimeout(bounds.hubUrl, bounds.stallTimeoutMs, 'download')), bounds.stallTimeoutMs)
    }
    watchStall()
    const body = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, output) {
          watchStall()
          output.enqueue(chunk)
        },
        flush: done,
      }),
    )
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers })
  }

  globalThis.fetch = boundedFetch
  try {
    return await work()
  } finally {
    if (globalThis.fetch === boundedFetch) globalThis.fetch = unboundedFetch
    for (const [controller, done] of inFlight) {
      controller.abort(new CiteqaError('model_hub_aborted', 'Model hub: request abandoned (the model load ended)'))
      done()
    }
  }
}

function hubTimeout(hubUrl: string, timeoutMs: number, what: 'answer' | 'download'): CiteqaError {
  const seconds = `${Number((timeoutMs / 1000).toFixed(1))} s`
  const message = what === 'answer' ? `${hubUrl} did not answer within ${seconds}` : `the download from ${hubUrl} stalled for ${seconds}`
  return new CiteqaError('model_hub_timeout', `Model hub: ${message}`, { status: 504, retryable: true })
}
