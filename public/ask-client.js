// POST /ask, streamed (Server-Sent Events over fetch, since EventSource cannot POST) or plain JSON.

import { askForApiKey, authorizationHeaders, storedApiKey } from './api-key.js'

/** An error the page shows as a message: `kind` picks the wording, `message` is the service's own. */
export class AskError extends Error {
  constructor(kind, message, code) {
    super(message)
    this.name = 'AskError'
    this.kind = kind
    this.code = code
  }
}

/** Splits a text/event-stream into `{event, data}` records as chunks arrive. */
export async function* readServerSentEvents(body) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader()
  let buffer = ''
  for (;;) {
    const { value, done } = await reader.read()
    if (value) buffer += value
    // Events end with a blank line; accept \r\n and \r line ends as the SSE spec does.
    buffer = buffer.replace(/\r\n?/g, '\n')
    let boundary
    while ((boundary = buffer.indexOf('\n\n')) !== -1) {
      const record = parseEventRecord(buffer.slice(0, boundary))
      buffer = buffer.slice(boundary + 2)
      if (record) yield record
    }
    if (done) {
      const record = parseEventRecord(buffer)
      if (record) yield record
      return
    }
  }
}

function parseEventRecord(block) {
  let event = 'message'
  const data = []
  for (const line of block.split('\n')) {
    if (line === '' || line.startsWith(':')) continue
    const colon = line.indexOf(':')
    const field = colon === -1 ? line : line.slice(0, colon)
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '')
    if (field === 'event') event = value
    else if (field === 'data') data.push(value)
  }
  return data.length ? { event, data: data.join('\n') } : null
}

async function readErrorBody(response) {
  try {
    const body = await response.json()
    if (body?.error?.message) return new AskError('service', body.error.message, body.error.code)
  } catch {}
  return new AskError('service', `HTTP ${response.status}`, `http_${response.status}`)
}

function post(body, signal) {
  return fetch('/ask', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream, application/json', ...authorizationHeaders() },
    body: JSON.stringify(body),
    signal,
  })
}

/**
 * Asks a question and reports progress through the handlers:
 * `onCitations({citations, mode, embedder, standaloneQuestion})`, `onToken(text)`, `onDone(finalBody, transport)`.
 * Throws {@link AskError} for network failures, error responses and `error` events.
 */
export async function ask(request, handlers, signal) {
  let response
  try {
    response = await post({ ...request, stream: true }, signal)
    // The service needs a key (API_KEYS): ask the reader for it once, then ask the question again.
    for (let tries = 0; response.status === 401 && tries < 3; tries++) {
      const key = await askForApiKey({ rejected: storedApiKey() !== null })
      if (!key) break
      response = await post({ ...request, stream: true }, signal)
    }
    // A server without streaming, follow-ups or the reader's language rejects the unknown fields;
    // ask again without them rather than failing the reader's question.
    if (response.status === 400) {
      const error = await readErrorBody(response.clone())
      if (error.code === 'invalid_request' && /"(stream|history|language)"/.test(error.message)) {
        const { stream, history, language, ...plain } = { ...request, stream: true }
        response = await post(plain, signal)
      }
    }
  } catch (error) {
    if (error?.name === 'AbortError') throw error
    throw new AskError('network', String(error?.message ?? error))
  }
  if (!response.ok) throw await readErrorBody(response)

  const contentType = response.headers.get('content-type') ?? ''
  if (!contentType.includes('text/event-stream')) {
    const body = await response.json()
    handlers.onCitations?.(body)
    handlers.onDone(body, 'json')
    return
  }

  let finished = false
  try {
    for await (const { event, data } of readServerSentEvents(response.body)) {
      const payload = JSON.parse(data)
      if (event === 'citations') handlers.onCitations?.(payload)
      else if (event === 'token') handlers.onToken?.(payload.text ?? '')
      else if (event === 'done') {
        finished = true
        handlers.onDone(payload, 'stream')
      } else if (event === 'error') {
        throw new AskError('stream', payload?.error?.message ?? 'unknown error', payload?.error?.code)
      }
    }
  } catch (error) {
    if (error instanceof AskError || error?.name === 'AbortError') throw error
    throw new AskError('stream', String(error?.message ?? error))
  }
  if (!finished) throw new AskError('stream', 'the stream ended before the answer was complete')
}
