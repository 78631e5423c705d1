import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { buildDocumentOutline, OUTLINE_FORMAT_VERSION, type DocumentOutline } from '../ingest/document-outline.ts'
import type { ArticleDocument } from '../ingest/types.ts'

/** The outlines of the indexed documents, one file of the index (checksummed by the manifest like the others). */
export const OUTLINE_FILE = 'outlines.json'

interface OutlineFile {
  formatVersion: number
  outlines: DocumentOutline[]
}

/** Outlines of the documents, built at ingest. */
export function buildOutlines(documents: ArticleDocument[]): DocumentOutline[] {
  return documents.map((document) => buildDocumentOutline(document))
}

export async function writeOutlines(folder: string, outlines: DocumentOutline[]): Promise<void> {
  await writeFile(join(folder, OUTLINE_FILE), serializeOutlines(outlines))
}

export function serializeOutlines(outlines: DocumentOutline[]): string {
  const file: OutlineFile = { formatVersion: OUTLINE_FORMAT_VERSION, outlines }
  return JSON.stringify(file)
}

/**
 * The outlines stored with an index, or why they cannot be used (missing, another format
 * version, other documents): the index is then rebuilt, with the reason logged.
 */
export async function readOutlines(folder: string, documents: ArticleDocument[]): Promise<{ outlines?: DocumentOutline[]; problem?: string }> {
  let text: string
  try {
    text = await readFile(join(folder, OUTLINE_FILE), 'utf8')
  } catch {
    return { problem: 'the index has no document outlines' }
  }
  return parseOutlines(text, documents)
}

/** {@link readOutlines} of a file already read (by the index, which checksums every file once). */
export function parseOutlines(text: string | undefined, documents: ArticleDocument[]): { outlines?: DocumentOutline[]; problem?: string } {
  let file: OutlineFile
  try {
    file = JSON.parse(text!) as OutlineFile
  } catch {
    return { problem: 'the index has no document outlines' }
  }
  if (file.formatVersion !== OUTLINE_FORMAT_VERSION) {
    return { problem: `outline format version ${file.formatVersion}, this build reads version ${OUTLINE_FORMAT_VERSION}` }
  }
  const stored = file.outlines.map((outline) => outline.docId).join('\u0000')
  if (stored !== documents.map((document) => document.id).join('\u0000')) return { problem: 'the outlines are of other documents' }
  return { outlines: file.outlines }
}
