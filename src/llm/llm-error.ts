import { CiteqaError } from '../errors.ts'

/** Statuses worth another try: the server was busy or broken for a moment. */
function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500
}

/**
 * Turns whatever the chat model threw into a CiteqaError with a stable `llm_*` code and a
 * `retryable` flag. `timedOut` is known by the caller (its timeout signal fired), not by the error.
 */
export function classifyLlmError(error: unknown, { timedOut = false, timeoutMs = 0 } = {}): CiteqaError {
  if (error instanceof CiteqaError) return error
  if (timedOut) return new CiteqaError('llm_timeout', `LLM: no complete answer within ${timeoutMs} ms`, { status: 504, retryable: true, cause: error })
  const fields = (typeof error === 'object' && error !== null ? error : {}) as { status?: unknown; name?: unknown; message?: unknown; code?: unknown }
  const message = typeof fields.message === 'string' ? fields.message.slice(0, 300) : String(error)
  if (typeof fields.status === 'number') {
    const status = fields.status
    const code = status === 429 ? 'llm_rate_limited' : `llm_http_${status}`
    return new CiteqaError(code, `LLM: server answered HTTP ${status}: ${message}`, { status: 502, retryable: isRetryableStatus(status), cause: error })
  }
  if (fields.name === 'TimeoutError') return new CiteqaError('llm_timeout', `LLM: ${message}`, { status: 504, retryable: true, cause: error })
  if (error instanceof SyntaxError) return new CiteqaError('llm_malformed_output', `LLM: response is not valid JSON: ${message}`, { status: 502, cause: error })
  // The openai client reports refused connections, resets and streams cut mid-way as connection errors.
  const connectionProblem = fields.name === 'APIConnectionError' || /connect|ECONNREFUSED|ECONNRESET|socket|terminated|network|fetch failed|premature close/i.test(message)
  if (connectionProblem) return new CiteqaError('llm_unreachable', `LLM: connection failed: ${message}`, { status: 502, retryable: true, cause: error })
  return new CiteqaError('llm_failed', `LLM: ${message}`, { status: 502, cause: error })
}
