import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { readdir, stat } from 'node:fs/promises'
import { basename, extname, join } from 'node:path'
import { CiteqaError } from '../errors.ts'
import { extractDocumentMetadata } from './document-metadata.ts'
import { DOCUMENT_EXTENSIONS, loaderFor, loaderForExtension } from './loaders/loader-registry.ts'
import type { DocumentLoader } from './loaders/document-loader.ts'
import { parseSourceLines } from './parse-paragraphs.ts'
import type { ArticleDocument } from './types.ts'

/** A file of a folder that was not read, and why (one line of the ingest report). */
export interface SkippedFile {
  path: string
  reason: string
}

export interface LoadDocumentsOptions {
  /** Called once for each file of a folder that is not read (unknown type, unreadable content), once the folder has been read and found to hold documents; when it holds none, the error names the first skipped file instead. */
  onSkipped?: (skipped: SkippedFile) => void
}

/** A document id from its file name: `data/article.txt` → `article`. */
function documentIdOf(path: string): string {
  return basename(path, extname(path)).normalize('NFC')
}

// Read the bytes synchronously: at start nothing else waits, and a thousand files read one by one
// take a tenth of the time of as many reads through the thread pool at once.
async function readDocument(path: string, loader?: DocumentLoader): Promise<ArticleDocument> {
  const bytes = readFileSync(path)
  const { format, lines, declared } = await (loader ?? loaderFor(path, bytes)).load(bytes, path)
  const id = documentIdOf(path)
  const paragraphs = parseSourceLines(id, lines)
  if (paragraphs.length === 0) throw new CiteqaError('ingest_empty', `Ingest: ${path} has no paragraphs`)
  return { id, source: path, format, declared, paragraphs, metadata: extractDocumentMetadata(paragraphs, declared) }
}

const extensionList = () => DOCUMENT_EXTENSIONS.join(', ')

/**
 * Reads the article — a text, Markdown, HTML, PDF or Word file (see `loaders/`) — or every such
 * file of a folder (each its own document with its own paragraph numbers), sorted by file name so
 * ids and order are stable. In a folder, a file of another type, or one that cannot be read (a
 * scanned PDF, a binary file named .txt), is skipped and reported through `onSkipped`, one call
 * each; a file given alone that cannot be read throws.
 */
export async function loadDocuments(path: string, options: LoadDocumentsOptions = {}): Promise<ArticleDocument[]> {
  const info = await stat(path).catch((cause) => {
    throw new CiteqaError('ingest_missing', `Ingest: article path ${path} cannot be read`, { cause })
  })
  if (!info.isDirectory()) return [await readDocument(path)]
  const entries = (await readdir(path, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  const documents: ArticleDocument[] = []
  const skipped: SkippedFile[] = []
  const skip = (file: SkippedFile) => skipped.push(file)
  for (const entry of entries) {
    const file = join(path, entry.name)
    if (entry.isDirectory()) {
      skip({ path: file, reason: 'a folder (only the files directly in the folder are read)' })
      continue
    }
    const loader = loaderForExtension(entry.name)
    if (!loader) {
      const extension = extname(entry.name).toLowerCase()
      skip({ path: file, reason: `${extension ? `unknown type ${extension}` : 'no file extension'} (read: ${extensionList()})` })
      continue
    }
    try {
      documents.push(await readDocument(file, loader))
    } catch (error) {
      if (!(error instanceof CiteqaError)) throw error
      skip({ path: file, reason: error.message.replace(/^Ingest: /, '') })
    }
  }
  if (documents.length === 0) {
    // One line however many files were skipped: a start-up failure is reported in one line.
    const first = skipped[0] ? `; skipped ${skipped.length}, e.g. ${basename(skipped[0].path)}: ${skipped[0].reason}` : ''
    throw new CiteqaError('ingest_empty', `Ingest: folder ${path} holds no readable document files${first}`, { details: { skipped } })
  }
  for (const file of skipped) options.onSkipped?.(file)
  const ids = new Set<string>()
  for (const document of documents) {
    if (ids.has(document.id)) throw new CiteqaError('ingest_duplicate', `Ingest: two files in ${path} share the document id "${document.id}"`)
    ids.add(document.id)
  }
  return documents
}

/** Hash of what was indexed: any change to a paragraph (or to the set of documents) changes it. */
export function hashDocuments(documents: ArticleDocument[]): string {
  const hash = createHash('sha256')
  for (const document of documents) {
    hash.update(`${document.id}\u0000`)
    for (const paragraph of document.paragraphs) hash.update(`${paragraph.number}\u0000${paragraph.section}\u0000${paragraph.text}\u0001`)
  }
  return hash.digest('hex')
}
