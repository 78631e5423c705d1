import { CiteqaError } from '../errors.ts'

/** Gives back a slot taken with {@link LlmConcurrencyLimit.acquire}; calling it twice does nothing. */
export type ReleaseSlot = () => void

interface Waiter {
  grant(): void
  timer: NodeJS.Timeout
  onAbort?: () => void
  signal?: AbortSignal
}

/**
 * At most `maxConcurrent` LLM calls at once, each a slot; a call that finds none free waits, first
 * come first served, but no longer than `maxWaitMs` — then it fails with `llm_busy` (not
 * retryable), and the request answers extractively instead of piling up behind the model and the
 * owner's bill.
 */
export class LlmConcurrencyLimit {
  private running = 0
  private readonly queue: Waiter[] = []

  constructor(
    /** Calls at once, ≥ 1. */
    readonly maxConcurrent: number,
    /** Longest wait for a slot, in ms; 0 = never wait. */
    readonly maxWaitMs: number,
  ) {
    if (!Number.isInteger(maxConcurrent) || maxConcurrent < 1) throw new Error(`LLM concurrency: maxConcurrent must be a whole number ≥ 1 (got ${maxConcurrent})`)
    if (!(maxWaitMs >= 0)) throw new Error(`LLM concurrency: maxWaitMs must be ≥ 0 (got ${maxWaitMs})`)
  }

  /** Calls holding a slot now. */
  get active(): number {
    return this.running
  }

  /** Calls waiting for a slot now. */
  get waiting(): number {
    return this.queue.length
  }

  /**
   * A slot, at once or after waiting at most `maxWaitMs`. Throws a CiteqaError `llm_busy` when the
   * wait would be longer, and the signal's reason when the caller gives up first.
   */
  acquire(signal?: AbortSignal): Promise<ReleaseSlot> {
    signal?.throwIfAborted()
    if (this.running < this.maxConcurrent) {
      this.running++
      return Promise.resolve(this.releaser())
    }
    if (this.maxWaitMs === 0) return Promise.reject(this.busyError())
    return new Promise<ReleaseSlot>((resolve, reject) => {
      const waiter: Waiter = {
        grant: () => {
          this.leave(waiter)
          resolve(this.releaser())
        },
        timer: setTimeout(() => {
          this.leave(waiter)
          reject(this.busyError())
        }, this.maxWaitMs),
        signal,
      }
      if (signal) {
        waiter.onAbort = () => {
          this.leave(waiter)
          reject(signal.reason)
        }
        signal.addEventListener('abort', waiter.onAbort, { once: true })
      }
      this.queue.push(waiter)
    })
  }

  private busyError(): CiteqaError {
    return new CiteqaError('llm_busy', `LLM: all ${this.maxConcurrent} calls are in use and none finished within ${this.maxWaitMs} ms`, { status: 503, retryable: false })
  }

  private leave(waiter: Waiter): void {
    clearTimeout(waiter.timer)
    if (waiter.onAbort) waiter.signal?.removeEventListener('abort', waiter.onAbort)
    const position = this.queue.indexOf(waiter)
    if (position >= 0) this.queue.splice(position, 1)
  }

  private releaser(): ReleaseSlot {
    let released = false
    return () => {
      if (released) return
      released = true
      // The slot passes straight to the longest waiter, so a newcomer cannot overtake it.
      const next = this.queue[0]
      if (next) next.grant()
      else this.running--
    }
  }
}
