import { existsSync } from 'node:fs'
import { mkdir, readdir, rename, rm, unlink } from 'node:fs/promises'
import { basename, join, resolve } from 'node:path'
import { openIndexOf, type Citeqa } from '../citeqa.ts'
import type { Config } from '../config.ts'
import { CiteqaError } from '../errors.ts'
import { loadDocuments, type SkippedFile } from '../ingest/load-documents.ts'
import type { ArticleDocument } from '../ingest/types.ts'
import type { Logger } from '../logger.ts'
import type { ServedCiteqa } from '../served-citeqa.ts'
import { describeDocumentFile, INCOMING_FOLDER, removeIncomingLeftovers, type DocumentFile } from './document-files.ts'

/** `queued` → `ingesting` → `ready` (served) or `failed` (with `error`; nothing of it is served or kept). */
export type DocumentStatus = 'queued' | 'ingesting' | 'ready' | 'failed'

/** One document as `GET /documents` shows it. */
export interface DocumentEntry {
  id: string
  /** Where its status is: `/documents/<id>`. */
  url: string
  /** What a reader sees it called (Citeqa.documentTitle); the file name while it is being added. */
  title: string
  format: string | null
  /** Bytes of the file. */
  size: number
  paragraphs: number | null
  /** Pages of a PDF; null for formats without pages. */
  pages: number | null
  addedAt: string
  status: DocumentStatus
  /** What an ingest is doing now (`reading`, `indexing`, `embedding 40/120`). */
  stage?: string
  error?: { code: string; message: string }
  /** False for ARTICLE_PATH's documents: they are removed there, not through the API. */
  removable: boolean
}

/** An upload written to `DOCUMENTS_DIR/.incoming/<uuid>/<name>`, whole, with its name checked. */
export interface StagedUpload {
  name: string
  path: string
  /** The `.incoming/<uuid>` folder, removed once the upload is served or refused. */
  folder: string
  size: number
  checksum: string
}

interface IngestJob extends DocumentFile {
  id: string
  name: string
  folder: string
  status: DocumentStatus
  stage?: string
  error?: { code: string; message: string }
}

/** What `accept` did with an upload: queued it (`202`), or found the same bytes already served or on their way (`200`). */
export type UploadOutcome = { queued: DocumentEntry } | { duplicate: DocumentEntry }

// Failed uploads kept for `GET /documents/:id` (the oldest go first).
const FAILED_KEPT = 100

const documentUrl = (id: string) => `/documents/${encodeURIComponent(id)}`

// loadDocuments orders a folder by file name this way; uploads are kept in the same order, so a
// restart reads the documents in the order they were indexed and loads the index unchanged.
const byFileName = (a: ArticleDocument, b: ArticleDocument) => {
  const [x, y] = [basename(a.source), basename(b.source)]
  return x < y ? -1 : x > y ? 1 : 0
}

/**
 * The served documents, and the changes to them while the service runs. Uploads and removals are
 * done one at a time, in the background: each builds the index of the new set of documents beside
 * the served one (reusing the unchanged chunks), then swaps the service in one step.
 *
 * What is on disk is always one consistent set: an upload is written and read in `.incoming/`,
 * its index written atomically (index/current), and only then renamed into DOCUMENTS_DIR; a
 * crash before that rename leaves the last good index and no trace of the document (the start
 * empties `.incoming/`), a crash after it serves the document. A removal writes the index without
 * the document, then deletes the file.
 */
export class DocumentLibrary {
  readonly #jobs = new Map<string, IngestJob>()
  #queue: Promise<void> = Promise.resolve()

  constructor(
    private readonly config: Config,
    readonly served: ServedCiteqa,
    /** Files of the served documents, by id. */
    private readonly files: Map<string, DocumentFile>,
    /** Ids of the documents that came from DOCUMENTS_DIR (removable). */
    private readonly uploaded: Set<string>,
    private readonly logger: Logger,
  ) {}

  /** MAX_DOCUMENTS: the most documents served and on their way at once. */
  get maxDocuments(): number {
    return this.config.MAX_DOCUMENTS
  }

  /** The folder uploads are written to before they are read. */
  get incomingFolder(): string {
    return join(this.config.DOCUMENTS_DIR, INCOMING_FOLDER)
  }

  /** Every served document, then the uploads on their way or failed. */
  list(): DocumentEntry[] {
    const citeqa = this.served.current
    return [...citeqa.documents.map((document) => this.servedEntry(citeqa, document)), ...[...this.#jobs.values()].map((job) => this.jobEntry(job))]
  }

  /** One document or upload; 404 `unknown_document` naming the known ones. */
  entry(id: string): DocumentEntry {
    const job = this.#jobs.get(id)
    if (job) return this.jobEntry(job)
    const citeqa = this.served.current
    const document = citeqa.documents.find((candidate) => candidate.id === id)
    if (!document) throw this.unknown(id)
    return this.servedEntry(citeqa, document)
  }

  /**
   * Takes a staged upload: the same bytes as a document served or on its way → that document
   * (nothing is added); a name whose id is taken → `409 document_exists`; MAX_DOCUMENTS reached
   * → `409 too_many_documents`; else queued for ingest. A refused upload's staged file is removed.
   */
  async accept(upload: StagedUpload): Promise<UploadOutcome> {
    try {
      const id = basename(upload.name, upload.name.slice(upload.name.lastIndexOf('.'))).normalize('NFC')
      const same = this.findByChecksum(upload.checksum)
      if (same) {
        await rm(upload.folder, { recursive: true, force: true })
        return { duplicate: this.entry(same) }
      }
      const served = this.served.current.documents
      const pending = [...this.#jobs.values()].filter((job) => job.status !== 'failed')
      if (served.some((document) => document.id === id) || pending.some((job) => job.id === id)) {
        throw new CiteqaError('document_exists', `Documents: a document "${id}" is already served or being added; remove it first (DELETE ${documentUrl(id)}) or rename the file`, { status: 409 })
      }
      if (served.length + pending.length >= this.config.MAX_DOCUMENTS) {
        throw new CiteqaError('too_many_documents', `Documents: ${served.length + pending.length} documents are served or being added, the most MAX_DOCUMENTS allows (${this.config.MAX_DOCUMENTS}); remove one first`, { status: 409 })
      }
      const job: IngestJob = { id, name: upload.name, folder: upload.folder, path: upload.path, size: upload.size, checksum: upload.checksum, addedAt: new Date().toISOString(), status: 'queued' }
      this.#jobs.delete(id)
      this.#jobs.set(id, job)
      void this.enqueue(() => this.ingest(job))
      return { queued: this.jobEntry(job) }
    } catch (error) {
      await rm(upload.folder, { recursive: true, force: true })
      throw error
    }
  }

  /**
   * Removes an uploaded document from the served index (in one swap) and from disk; resolves
   * once it is no longer served. A failed upload's record is dropped. Refused: ARTICLE_PATH's
   * documents, the last document, and an upload still being ingested (409).
   */
  async remove(id: string): Promise<DocumentEntry> {
    const job = this.#jobs.get(id)
    if (job?.status === 'failed') {
      this.#jobs.delete(id)
      return this.jobEntry(job)
    }
    if (job) throw new CiteqaError('document_busy', `Documents: "${id}" is still being added (${job.status}); remove it once it is ready or failed`, { status: 409 })
    const removed = this.entry(id)
    if (!this.uploaded.has(id)) {
      throw new CiteqaError('document_not_removable', `Documents: "${id}" comes from ARTICLE_PATH (${this.config.ARTICLE_PATH}); remove it there and restart`, { status: 409 })
    }
    return this.enqueue(async () => {
      const current = this.served.current
      const documents = current.documents.filter((document) => document.id !== id)
      if (documents.length === 0) throw new CiteqaError('last_document', `Documents: "${id}" is the only document served; add another first`, { status: 409 })
      const next = current.withDocuments(documents, await this.openIndex(documents))
      await unlink(this.files.get(id)!.path).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error
      })
      this.served.replace(next)
      this.files.delete(id)
      this.uploaded.delete(id)
      this.logger.info({ document: id }, 'document removed')
      return { ...removed, status: 'ready' as const }
    })
  }

  /** Resolves once every change asked for so far is done (tests, shutdown). */
  async settled(): Promise<void> {
    await this.#queue
  }

  private async ingest(job: IngestJob): Promise<void> {
    try {
      job.status = 'ingesting'
      job.stage = 'reading'
      const [read] = await loadDocuments(job.path)
      const finalPath = join(this.config.DOCUMENTS_DIR, job.name)
      const document: ArticleDocument = { ...read, source: finalPath }
      const current = this.served.current
      const configured = current.documents.filter((served) => !this.uploaded.has(served.id))
      const uploads = [...current.documents.filter((served) => this.uploaded.has(served.id)), document].sort(byFileName)
      const documents = [...configured, ...uploads]
      job.stage = 'indexing'
      const index = await this.openIndex(documents, (done, total) => (job.stage = `embedding ${done}/${total}`))
      const next = current.withDocuments(documents, index)
      // The commit point: from this rename on, a restart serves the document.
      await mkdir(this.config.DOCUMENTS_DIR, { recursive: true })
      await rename(job.path, finalPath)
      this.served.replace(next)
      this.files.set(job.id, { path: finalPath, size: job.size, checksum: job.checksum, addedAt: job.addedAt })
      this.uploaded.add(job.id)
      this.#jobs.delete(job.id)
      this.logger.info({ document: job.id, paragraphs: document.paragraphs.length, changes: index.changes }, 'document added')
    } catch (error) {
      job.status = 'failed'
      job.stage = undefined
      // A loader's error says what is wrong with the file (a scan, mojibake); anything else is named as a failed ingest.
      // The reason goes to clients: it names the file as they sent it, never where the server staged it.
      const unstaged = (message: string) => message.replaceAll(job.path, job.name)
      job.error = error instanceof CiteqaError ? { code: error.code, message: unstaged(error.message) } : { code: 'ingest_failed', message: unstaged(`Documents: ${job.name} could not be added (${(error as Error).message})`) }
      this.logger.warn({ err: error, document: job.id }, `Documents: ${job.name} was not added: ${job.error.message}`)
      this.forgetOldFailures()
    } finally {
      await rm(job.folder, { recursive: true, force: true }).catch(() => undefined)
    }
  }

  private openIndex(documents: ArticleDocument[], onEmbeddingProgress?: (done: number, total: number) => void) {
    return openIndexOf(this.config, documents, { logger: this.logger, onEmbeddingProgress })
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task)
    this.#queue = run.then(
      () => undefined,
      () => undefined,
    )
    return run
  }

  private forgetOldFailures(): void {
    const failed = [...this.#jobs.values()].filter((job) => job.status === 'failed')
    for (const job of failed.slice(0, Math.max(0, failed.length - FAILED_KEPT))) this.#jobs.delete(job.id)
  }

  private findByChecksum(checksum: string): string | undefined {
    for (const [id, file] of this.files) if (file.checksum === checksum) return id
    for (const job of this.#jobs.values()) if (job.status !== 'failed' && job.checksum === checksum) return job.id
    return undefined
  }

  private unknown(id: string): CiteqaError {
    const known = [...this.served.current.documents.map((document) => document.id), ...this.#jobs.keys()]
    return new CiteqaError('unknown_document', `Documents: unknown document "${id}" (documents: ${known.join(', ')})`, { status: 404 })
  }

  private servedEntry(citeqa: Citeqa, document: ArticleDocument): DocumentEntry {
    const file = this.files.get(document.id)
    return {
      id: document.id,
      url: documentUrl(document.id),
      title: citeqa.documentTitle(document.id),
      format: document.format ?? 'text',
      size: file?.size ?? 0,
      paragraphs: document.paragraphs.length,
      pages: document.declared?.pages ?? null,
      addedAt: file?.addedAt ?? '',
      status: 'ready',
      removable: this.uploaded.has(document.id),
    }
  }

  private jobEntry(job: IngestJob): DocumentEntry {
    return {
      id: job.id,
      url: documentUrl(job.id),
      title: job.name,
      format: null,
      size: job.size,
      paragraphs: null,
      pages: null,
      addedAt: job.addedAt,
      status: job.status,
      ...(job.stage ? { stage: job.stage } : {}),
      ...(job.error ? { error: job.error } : {}),
      removable: job.status === 'failed',
    }
  }
}

export interface LoadServedDocumentsOptions {
  /** Each file of a folder not read, and why; and a DOCUMENTS_DIR holding no readable file. */
  onSkipped: (skipped: SkippedFile) => void
  /** Whether to empty `DOCUMENTS_DIR/.incoming/` first: at the service's start, never while a service may be receiving (npm run ingest). Default true. */
  removeLeftovers?: boolean
}

/**
 * The documents served: ARTICLE_PATH's, then DOCUMENTS_DIR's (after emptying its `.incoming/`),
 * each file's size, checksum and time, and which are removable.
 */
export async function loadServedDocuments(
  config: Pick<Config, 'ARTICLE_PATH' | 'DOCUMENTS_DIR'>,
  { onSkipped, removeLeftovers = true }: LoadServedDocumentsOptions,
): Promise<{ documents: ArticleDocument[]; files: Map<string, DocumentFile>; uploaded: Set<string> }> {
  if (removeLeftovers) await removeIncomingLeftovers(config.DOCUMENTS_DIR)
  const sameFolder = resolve(config.ARTICLE_PATH) === resolve(config.DOCUMENTS_DIR)
  const configured = sameFolder ? [] : await loadDocuments(config.ARTICLE_PATH, { onSkipped })
  const hasUploads = existsSync(config.DOCUMENTS_DIR) && (await readdir(config.DOCUMENTS_DIR)).some((name) => name !== INCOMING_FOLDER)
  const uploads = hasUploads
    ? await loadDocuments(config.DOCUMENTS_DIR, { onSkipped }).catch((error) => {
        // A folder of unreadable files only: each was named by the error; the service starts on ARTICLE_PATH's.
        if (!(error instanceof CiteqaError && error.code === 'ingest_empty') || configured.length === 0) throw error
        onSkipped({ path: config.DOCUMENTS_DIR, reason: error.message.replace(/^Ingest: /, '') })
        return []
      })
    : []
  const clash = uploads.find((upload) => configured.some((document) => document.id === upload.id))
  if (clash) {
    throw new CiteqaError('ingest_duplicate', `Ingest: ${clash.source} has the document id "${clash.id}" of a document in ARTICLE_PATH (${config.ARTICLE_PATH})`, { hint: 'Rename or remove one of the two files.' })
  }
  const documents = [...configured, ...uploads]
  const files = new Map<string, DocumentFile>()
  for (const document of documents) files.set(document.id, await describeDocumentFile(document.source))
  return { documents, files, uploaded: new Set(uploads.map((document) => document.id)) }
}
