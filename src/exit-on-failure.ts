import { inspect } from 'node:util'
import { CiteqaError } from './errors.ts'

// What the user can do about errors from modules that cannot know where their input came from
// (loadDocuments is given a path, not the variable that named it). Errors thrown with a `hint` keep their own.
const HINTS: Record<string, string> = {
  ingest_missing: 'Set ARTICLE_PATH (in .env or the environment) to the article file or to a folder of documents (.txt, .md, .html, .pdf, .docx).',
  ingest_empty: 'Set ARTICLE_PATH (in .env or the environment) to the article file or to a folder of documents (.txt, .md, .html, .pdf, .docx).',
  ingest_duplicate: "Rename one of the files: a document's id is its file name without the extension.",
  EMBEDDINGS_MODEL_UNAVAILABLE:
    'Put the model in LOCAL_MODEL_PATH, let it be downloaded (ALLOW_REMOTE_MODELS=true, MODEL_HUB_URL), or set EMBEDDINGS=auto to fall back to the offline embedder.',
}

// Causes worth naming in words: what the operating system said about a path or a socket.
const SYSTEM_ERRORS: Record<string, string> = {
  ENOENT: 'no such file or folder',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'it is a folder',
}

export interface FailureReportOptions {
  /** Add the stack trace and the error's fields (LOG_LEVEL=debug or trace). */
  debug: boolean
  /** One JSON object instead of text lines (LOG_FORMAT=json), for log collectors. */
  json?: boolean
}

/**
 * Why `program` stopped, for a person: the error's message and what to do about it, in one line,
 * for an error citeqa expects — a CiteqaError, or a system error such as EACCES on a path —
 * and the stack trace as well for any other error (a bug) or when debugging.
 */
export function describeFailure(error: unknown, program: string, { debug, json = false }: FailureReportOptions): string {
  const expected = error instanceof CiteqaError || isSystemError(error)
  const message = error instanceof Error ? `${error.message}${causeSuffix(error)}` : String(error)
  const hint = error instanceof CiteqaError ? (error.hint ?? HINTS[error.code]) : undefined
  const code = error instanceof CiteqaError ? error.code : isSystemError(error) ? error.code : undefined
  const detail = debug || !expected ? (error instanceof Error ? inspect(error) : undefined) : undefined
  if (json) {
    return JSON.stringify({ level: 60, time: Date.now(), program, code, msg: expected ? message : `unexpected error: ${message}`, hint, stack: detail })
  }
  const line = `${program}: ${expected ? '' : 'unexpected error: '}${message}${hint ? `. ${hint}` : ''}`
  return detail ? `${line}\n${detail}` : line
}

/**
 * From now on, an error nobody caught — a rejected top-level await included — ends the process with
 * status 1 and {@link describeFailure}'s lines on stderr, instead of Node's report (which prints the
 * source line of the throw: in the minified bundle, one line of tens of kilobytes).
 * LOG_LEVEL and LOG_FORMAT are read from the environment: the failure may be that the config is wrong.
 */
export function exitOnFailure(program: string): void {
  process.on('uncaughtException', (error) => {
    const debug = /^(debug|trace)$/.test(process.env.LOG_LEVEL ?? '')
    const json = process.env.LOG_FORMAT === 'json'
    process.stderr.write(`${describeFailure(error, program, { debug, json })}\n`)
    process.exit(1)
  })
}

function isSystemError(error: unknown): error is NodeJS.ErrnoException & { code: string } {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).syscall === 'string' && typeof (error as NodeJS.ErrnoException).code === 'string'
}

/** ` (no such file or folder)` when the error was caused by a system error about a path. */
function causeSuffix(error: Error): string {
  const cause = error.cause
  return isSystemError(cause) && SYSTEM_ERRORS[cause.code] ? ` (${SYSTEM_ERRORS[cause.code]})` : ''
}
