// The documents API (GET/POST/DELETE /documents) for the page, with the tab's API key when it holds
// one; a 401 asks the reader for a key once, as the questions do (api-key.js).

import { askForApiKey, authorizationHeaders, storedApiKey } from './api-key.js'

/** A refusal or failure the page shows as a message: the service's own words and code, or what went wrong on the way. */
export class DocumentError extends Error {
  constructor(message, code, status) {
    super(message)
    this.name = 'DocumentError'
    this.code = code
    this.status = status
  }
}

/** How often an upload's status is asked for while it is read and indexed, in ms. */
const STATUS_POLL_MS = 400
/** How long an ingest may take before the page stops watching it (the service goes on), in ms. */
const STATUS_WATCH_LIMIT_MS = 15 * 60 * 1000

async function errorOf(response) {
  try {
    const body = await response.json()
    if (body?.error?.message) return new DocumentError(body.error.message, body.error.code, response.status)
  } catch {}
  return new DocumentError(`HTTP ${response.status}`, `http_${response.status}`, response.status)
}

/** Sends a request built by `send` (called again with the key after a 401 the reader answers). */
async function withApiKey(send) {
  let response = await send()
  for (let tries = 0; response.status === 401 && tries < 3; tries++) {
    const key = await askForApiKey({ rejected: storedApiKey() !== null })
    if (!key) break
    response = await send()
  }
  return response
}

/**
 * `GET /documents`: `{documents, changes: {allowed, maxDocumentBytes, maxDocuments, types}}`, or
 * `{unavailable: true}` when the service has no documents API (404), or `{needsKey: true}` when
 * it wants an API key the tab does not hold (401; the reader is not asked until they choose to).
 */
export async function listDocuments() {
  const response = await fetch('/documents', { headers: authorizationHeaders() })
  if (response.status === 404) return { unavailable: true }
  if (response.status === 401) return { needsKey: true }
  if (!response.ok) throw await errorOf(response)
  const body = await response.json()
  return { documents: body.documents ?? [], changes: body.changes ?? { allowed: false } }
}

/** Asks the reader for a key (for a service whose documents need one); true when one was given. */
export async function signIn() {
  return (await askForApiKey({ rejected: storedApiKey() !== null })) !== null
}

function postFile(file, onProgress) {
  return new Promise((resolve, reject) => {
    // XMLHttpRequest, not fetch: only it reports an upload's progress.
    const request = new XMLHttpRequest()
    request.open('POST', '/documents')
    for (const [name, value] of Object.entries(authorizationHeaders())) request.setRequestHeader(name, value)
    request.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total)
    })
    request.addEventListener('load', () => {
      let body = null
      try {
        body = JSON.parse(request.responseText)
      } catch {}
      resolve({ status: request.status, ok: request.status >= 200 && request.status < 300, body })
    })
    request.addEventListener('error', () => reject(new DocumentError('the service could not be reached', 'network', 0)))
    const form = new FormData()
    form.append('file', file, file.name)
    request.send(form)
  })
}

/**
 * Uploads a file (`POST /documents`, field `file`); resolves with `{document, duplicate}` once the
 * service has it (202: on its way; 200: the same bytes are already served). Throws DocumentError.
 */
export async function uploadDocument(file, onProgress = () => {}) {
  const response = await withApiKey(() => postFile(file, onProgress))
  if (!response.ok) {
    const error = response.body?.error
    throw error?.message ? new DocumentError(error.message, error.code, response.status) : new DocumentError(`HTTP ${response.status}`, `http_${response.status}`, response.status)
  }
  return { document: response.body.document, duplicate: response.body.duplicate === true }
}

/**
 * Follows an upload until it is served (`ready`) or `failed`, calling `onStatus(document)` with each
 * status seen; resolves with the last one.
 */
export async function watchDocument(url, onStatus) {
  const started = Date.now()
  for (;;) {
    const response = await fetch(url, { headers: authorizationHeaders() })
    if (!response.ok) throw await errorOf(response)
    const { document: status } = await response.json()
    onStatus(status)
    if (status.status === 'ready' || status.status === 'failed') return status
    if (Date.now() - started > STATUS_WATCH_LIMIT_MS) throw new DocumentError('it is still being added; the list will show it once it is ready', 'still_ingesting', 0)
    await new Promise((resolve) => setTimeout(resolve, STATUS_POLL_MS))
  }
}

/** `DELETE /documents/:id`; resolves once the service no longer serves it. Throws DocumentError. */
export async function removeDocument(id) {
  const response = await withApiKey(() => fetch(`/documents/${encodeURIComponent(id)}`, { method: 'DELETE', headers: authorizationHeaders() }))
  if (!response.ok) throw await errorOf(response)
  return (await response.json()).removed
}
