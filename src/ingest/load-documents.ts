import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { readdir, stat } from 'node:fs/promises'
import { basename, extname, join } from 'node:path'
import { CiteqaError } from '../errors.ts'
import { extractDocumentMetadata } from './document-metadata.ts'
import { parseParagraphs } from './parse-paragraphs.ts'
import type { ArticleDocument } from './types.ts'

const DOCUMENT_EXTENSIONS = new Set(['.txt', '.md'])

/** A document id from its file name: `data/article.txt` → `article`. */
function documentIdOf(path: string): string {
  return basename(path, extname(path)).normalize('NFC')
}

// Read synchronously: at start nothing else waits, and a thousand files read one by one take a
// tenth of the time of as many reads through the thread pool at once.
function readDocument(path: string): ArticleDocument {
  const text = readFileSync(path, 'utf8')
  const id = documentIdOf(path)
  const paragraphs = parseParagraphs(id, text)
  if (paragraphs.length === 0) throw new CiteqaError('ingest_empty', `Ingest: ${path} has no paragraphs`)
  return { id, source: path, paragraphs, metadata: extractDocumentMetadata(paragraphs) }
}

/**
 * Reads the article, or every .txt/.md file of a folder (each its own document with its own
 * paragraph numbers), sorted by file name so ids and order are stable.
 */
export async function loadDocuments(path: string): Promise<ArticleDocument[]> {
  const info = await stat(path).catch((cause) => {
    throw new CiteqaError('ingest_missing', `Ingest: article path ${path} cannot be read`, { cause })
  })
  if (!info.isDirectory()) return [readDocument(path)]
  const files = (await readdir(path)).filter((name) => DOCUMENT_EXTENSIONS.has(extname(name).toLowerCase())).sort()
  if (files.length === 0) throw new CiteqaError('ingest_empty', `Ingest: folder ${path} holds no .txt or .md files`)
  const documents = files.map((name) => readDocument(join(path, name)))
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
