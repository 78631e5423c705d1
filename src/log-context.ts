import { AsyncLocalStorage } from 'node:async_hooks'

/**
 * Fields added to every log line written while a piece of work runs — for a request, its
 * `requestId` — so code deep in the pipeline logs through the one logger it was given and the
 * line still says which request it belongs to.
 */
const logContext = new AsyncLocalStorage<Record<string, unknown>>()

/** Runs `work` with `fields` on every log line it (and everything it awaits) writes. */
export function runWithLogContext<T>(fields: Record<string, unknown>, work: () => T): T {
  return logContext.run({ ...logContext.getStore(), ...fields }, work)
}

/** The fields of the work running now (empty outside any). */
export function currentLogContext(): Record<string, unknown> {
  return logContext.getStore() ?? {}
}
