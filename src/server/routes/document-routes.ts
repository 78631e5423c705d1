import { randomUUID } from 'node:crypto'
import { mkdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { Router, type Request, type RequestHandler } from 'express'
import multer, { MulterError } from 'multer'
import { checksumOf, checkUploadName } from '../../documents/document-files.ts'
import type { DocumentLibrary } from '../../documents/document-library.ts'
import { CiteqaError } from '../../errors.ts'
import { DOCUMENT_EXTENSIONS } from '../../ingest/loaders/loader-registry.ts'
import { methodNotAllowed, READ_ONLY } from '../method-not-allowed.ts'

/** The multipart field that carries the file. */
const FILE_FIELD = 'file'

const megabytes = (bytes: number) => `${Number((bytes / 1024 / 1024).toFixed(1))} MB`

/** multer's errors in the one error shape: a file too large is 413, any other malformed form 400. */
function uploadError(error: unknown, maxBytes: number): unknown {
  if (!(error instanceof MulterError)) return error
  if (error.code === 'LIMIT_FILE_SIZE') {
    return new CiteqaError('document_too_large', `Documents: ${error.field ? `the file` : 'a file'} is larger than MAX_DOCUMENT_BYTES (${maxBytes} bytes, ${megabytes(maxBytes)})`, { status: 413 })
  }
  const what = error.code === 'LIMIT_UNEXPECTED_FILE' || error.code === 'LIMIT_FILE_COUNT' ? `send one file, in the field "${FILE_FIELD}"` : error.message
  return new CiteqaError('invalid_request', `Documents: ${what}`, { status: 400 })
}

/**
 * Receives one file through multer (busboy) into `DOCUMENTS_DIR/.incoming/<uuid>/<name>`: the
 * name and type are checked before a byte is written, the size while it streams.
 */
function receiveUpload(library: DocumentLibrary, maxBytes: number): RequestHandler {
  const storage = multer.diskStorage({
    destination: (request, _file, callback) => {
      const folder = join(library.incomingFolder, randomUUID())
      request.res!.locals.uploadFolder = folder
      mkdir(folder, { recursive: true }).then(() => callback(null, folder), (error) => callback(error, folder))
    },
    filename: (_request, file, callback) => callback(null, file.originalname),
  })
  const upload = multer({
    storage,
    // Browsers and curl send the file name as raw UTF-8 (报告.pdf); busboy's default would read it as Latin-1.
    defParamCharset: 'utf8',
    // The name as sent, folders included: one that names a folder (../x.txt) is refused, not quietly cut to x.txt.
    preservePath: true,
    limits: { fileSize: maxBytes, files: 1, fields: 10, parts: 12, fieldSize: 1024 },
    fileFilter: (_request, file, callback) => {
      if (file.fieldname !== FILE_FIELD) return callback(new MulterError('LIMIT_UNEXPECTED_FILE', file.fieldname))
      try {
        file.originalname = checkUploadName(file.originalname)
        callback(null, true)
      } catch (error) {
        callback(error as Error)
      }
    },
  }).single(FILE_FIELD)
  return (request, response, next) => {
    if (!request.is('multipart/form-data')) {
      return next(new CiteqaError('unsupported_media_type', `Documents: send the document as multipart/form-data with the file in the field "${FILE_FIELD}" (curl -F ${FILE_FIELD}=@report.pdf)`, { status: 415 }))
    }
    upload(request, response, (error?: unknown) => {
      if (!error) return next()
      const folder = response.locals.uploadFolder as string | undefined
      const failure = uploadError(error, maxBytes)
      if (folder) void rm(folder, { recursive: true, force: true }).finally(() => next(failure))
      else next(failure)
    })
  }
}

export interface DocumentRouteOptions {
  /** MAX_DOCUMENT_BYTES: the largest upload. */
  maxDocumentBytes: number
  /** Whether this request may add and remove documents (its key is an ADMIN_API_KEYS one, when those are set); `GET /documents` says so. */
  mayChange: (request: Request) => boolean
}

/**
 * `GET /documents` (with `changes`: whether this client may add and remove documents, and the
 * limits an upload must keep — so a page hides what it may not do and refuses a file before
 * sending it), `POST /documents` (multipart, field `file`: `202` and the status URL, or `200`
 * with the document already holding these bytes), `GET /documents/:id` (status, progress, error)
 * and `DELETE /documents/:id` (once it is no longer served). Keys are checked in app.ts, before
 * the body is read.
 */
export function documentRoutes(library: DocumentLibrary, { maxDocumentBytes, mayChange }: DocumentRouteOptions): Router {
  const router = Router()
  router.get('/documents', (request, response) => {
    response.json({
      documents: library.list(),
      changes: { allowed: mayChange(request), maxDocumentBytes, maxDocuments: library.maxDocuments, types: DOCUMENT_EXTENSIONS },
    })
  })
  router.post('/documents', receiveUpload(library, maxDocumentBytes), async (request, response) => {
    const file = request.file
    if (!file) throw new CiteqaError('invalid_request', `Documents: no file: send it in the multipart field "${FILE_FIELD}" (curl -F ${FILE_FIELD}=@report.pdf)`, { status: 400 })
    const outcome = await library.accept({ name: file.originalname, path: file.path, folder: file.destination, size: file.size, checksum: await checksumOf(file.path) })
    if ('duplicate' in outcome) {
      response.setHeader('Location', outcome.duplicate.url)
      response.status(200).json({ document: outcome.duplicate, duplicate: true })
      return
    }
    response.setHeader('Location', outcome.queued.url)
    response.status(202).json({ document: outcome.queued, duplicate: false })
  })
  router.get('/documents/:id', (request, response) => {
    response.json({ document: library.entry(String(request.params.id).normalize('NFC')) })
  })
  router.delete('/documents/:id', async (request, response) => {
    response.json({ removed: await library.remove(String(request.params.id).normalize('NFC')) })
  })
  router.all('/documents', methodNotAllowed('GET', 'HEAD', 'POST'))
  router.all('/documents/:id', methodNotAllowed('GET', 'HEAD', 'DELETE'))
  return router
}
