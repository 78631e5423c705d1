import { setTimeout as sleep } from 'node:timers/promises'
import { CiteqaError } from '../errors.ts'

/** How often and how patiently a failing call is tried again. */
export interface RetryOptions {
  /** Further attempts after the first, 0–5. */
  maxRetries: number
  /** Wait before the first retry, doubled each time (with ±25% jitter). Default 250 ms. */
  baseDelayMs?: number
  /** Longest wait between attempts, also the cap on a server's Retry-After. Default 4000 ms. */
  maxDelayMs?: number
  /** Stops waiting and retrying (client gone). */
  signal?: AbortSignal
}

/** Server-requested wait from `retry-after-ms` / `retry-after` (seconds) headers, if any. */
function retryAfterMs(error: CiteqaError): number | undefined {
  const headers = (error.cause as { headers?: Headers | Record<string, string> } | undefined)?.headers
  if (!headers) return undefined
  const read = (name: string) => (typeof (headers as Headers).get === 'function' ? (headers as Headers).get(name) : (headers as Record<string, string>)[name]) ?? undefined
  const milliseconds = Number(read('retry-after-ms'))
  if (Number.isFinite(milliseconds) && read('retry-after-ms') !== undefined) return milliseconds
  const seconds = Number(read('retry-after'))
  return Number.isFinite(seconds) && read('retry-after') !== undefined ? seconds * 1000 : undefined
}

/**
 * Runs `attempt` and tries again only for errors marked retryable (429, 5xx, timeouts, dropped
 * connections), with exponential backoff and a cap; anything else is thrown at once.
 */
export async function withRetries<T>(attempt: (attemptNumber: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const { maxRetries, baseDelayMs = 250, maxDelayMs = 4000, signal } = options
  for (let attemptNumber = 0; ; attemptNumber++) {
    try {
      return await attempt(attemptNumber)
    } catch (error) {
      const retryable = error instanceof CiteqaError && error.retryable
      if (!retryable || attemptNumber >= maxRetries || signal?.aborted) throw error
      const backoff = baseDelayMs * 2 ** attemptNumber * (0.75 + Math.random() * 0.5)
      const delay = Math.min(maxDelayMs, retryAfterMs(error) ?? backoff)
      await sleep(delay, undefined, { signal })
    }
  }
}
