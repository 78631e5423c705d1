import type { Citeqa } from './citeqa.ts'

/**
 * The service the routes answer from, replaceable in one step: a document added or removed is
 * indexed beside the served service, and {@link replace} swaps the new one in. Each request reads
 * {@link current} once, so it is answered wholly from one index, the previous one until the swap.
 */
export class ServedCiteqa {
  #current: Citeqa

  constructor(initial: Citeqa) {
    this.#current = initial
  }

  get current(): Citeqa {
    return this.#current
  }

  /** Serves `next` from the next request on; requests in flight finish on the one they started with. */
  replace(next: Citeqa): void {
    this.#current = next
  }
}
