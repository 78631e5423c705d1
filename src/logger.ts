import { createRequire } from 'node:module'
import { pino } from 'pino'
import type pinoPretty from 'pino-pretty'
import { currentLogContext } from './log-context.ts'

/** The logging surface citeqa uses; pino's logger fits it, and tests pass a silent one. */
export interface Logger {
  info(object: object | string, message?: string): void
  warn(object: object | string, message?: string): void
  error(object: object | string, message?: string): void
}

/** `json`: one JSON object a line; `pretty`: coloured, readable lines; `auto`: pretty when the log goes to a terminal. */
export type LogFormat = 'auto' | 'json' | 'pretty'

/**
 * A logger on stderr (stdout stays free for CLI output), or on `destination` (tests). Every line carries the fields of the
 * work it belongs to (a request's `requestId`, see log-context.ts).
 */
export function createLogger(level: string, format: LogFormat = 'auto', destination?: NodeJS.WritableStream): Logger {
  const options = { level, base: undefined, mixin: currentLogContext }
  const pretty = format === 'pretty' || (format === 'auto' && !destination && process.stderr.isTTY === true)
  // In-process and synchronous: a terminal reader is one person, and lines must not be lost at exit.
  if (pretty) {
    // Loaded only for a terminal: it takes ~70 ms of a start that logs JSON otherwise.
    const prettyStream = createRequire(import.meta.url)('pino-pretty') as typeof pinoPretty
    return pino(options, prettyStream({ destination: destination ?? 2, sync: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' }))
  }
  return pino(options, destination ?? pino.destination(2))
}

/**
 * The logger of the command-line programs (ask, ingest, eval): lines a person reads — `WARN: embedding model … is
 * unavailable …` — on stderr whether it is a terminal or a pipe, without timestamps, and with the log's fields only at
 * LOG_LEVEL=debug or trace. LOG_LEVEL=info (the default) shows warnings and errors only: stdout carries the program's
 * output and progress has its own bars. LOG_FORMAT=json keeps one JSON object a line, for scripts.
 */
export function createCliLogger(
  { LOG_LEVEL: level, LOG_FORMAT: format }: { LOG_LEVEL: string; LOG_FORMAT: LogFormat },
  destination?: NodeJS.WritableStream,
): Logger {
  const cliLevel = level === 'info' ? 'warn' : level
  if (format === 'json') return createLogger(cliLevel, 'json', destination)
  const prettyStream = createRequire(import.meta.url)('pino-pretty') as typeof pinoPretty
  const fields = cliLevel === 'debug' || cliLevel === 'trace'
  return pino(
    { level: cliLevel, base: undefined, mixin: currentLogContext },
    prettyStream({
      destination: destination ?? 2,
      sync: true,
      colorize: !destination && process.stderr.isTTY === true,
      ignore: 'pid,hostname,time',
      hideObject: !fields,
    }),
  )
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} }
