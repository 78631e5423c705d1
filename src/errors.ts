/** Structured fields every citeqa error carries; `status` is the HTTP status it maps to. */
export interface CiteqaErrorOptions {
  status?: number
  /** True when trying again may succeed (timeouts, 429, 5xx from an upstream). */
  retryable?: boolean
  cause?: unknown
  details?: unknown
  /** What the user can do about it, in one sentence (`Set ARTICLE_PATH to …`); printed under the message when start-up fails. */
  hint?: string
}

/**
 * The one error class of citeqa. `code` is stable and machine-readable; `message` names the
 * component and the bad value, e.g. `Passages: unknown paragraph 31 (article has 24)`.
 */
export class CiteqaError extends Error {
  override readonly name = 'CiteqaError'
  readonly code: string
  readonly status: number
  readonly retryable: boolean
  readonly details?: unknown
  readonly hint?: string

  constructor(code: string, message: string, options: CiteqaErrorOptions = {}) {
    super(message, { cause: options.cause })
    this.code = code
    this.status = options.status ?? 500
    this.retryable = options.retryable ?? false
    this.details = options.details
    this.hint = options.hint
  }
}
