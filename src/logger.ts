import { pino } from 'pino'

/** The logging surface citeqa uses; pino's logger fits it, and tests pass a silent one. */
export interface Logger {
  info(object: object | string, message?: string): void
  warn(object: object | string, message?: string): void
  error(object: object | string, message?: string): void
}

/** A JSON logger on stderr (stdout stays free for CLI output). */
export function createLogger(level: string): Logger {
  return pino({ level, base: undefined }, pino.destination(2))
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} }
