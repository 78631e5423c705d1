import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { rm, stat } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { CiteqaError } from '../errors.ts'
import { DOCUMENT_EXTENSIONS, loaderForExtension } from '../ingest/loaders/loader-registry.ts'

/** What is known of a served document's file: for the documents list and for duplicate uploads. */
export interface DocumentFile {
  path: string
  size: number
  /** SHA-256 of the bytes, hex: the same file uploaded again is the same document. */
  checksum: string
  /** When the file was added (its modification time: an upload is renamed into place whole). */
  addedAt: string
}

/**
 * The folder inside DOCUMENTS_DIR where uploads are written and read before they are served:
 * `.incoming/<uuid>/<file name>`. Its content never counts as a document; it is emptied at start,
 * so an upload cut by a crash leaves nothing behind.
 */
export const INCOMING_FOLDER = '.incoming'

// Longest file name accepted, in UTF-8 bytes: most file systems allow 255.
const MAX_NAME_BYTES = 200

export async function checksumOf(path: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const bytes of createReadStream(path)) hash.update(bytes as Buffer)
  return hash.digest('hex')
}

export async function describeDocumentFile(path: string): Promise<DocumentFile> {
  const [info, checksum] = await Promise.all([stat(path), checksumOf(path)])
  return { path, size: info.size, checksum, addedAt: info.mtime.toISOString() }
}

/**
 * Checks an uploaded file's name: a plain file name (no folder, no `..`, no control characters,
 * not hidden) with an extension citeqa reads. Throws `400 invalid_file_name` or `415
 * unsupported_document_type` naming the readable types. Returns the name in NFC (the document id
 * is the name without its extension, as in a folder).
 */
export function checkUploadName(raw: string): string {
  const name = raw.normalize('NFC')
  const problem =
    name.trim() === '' ? 'it is empty'
    : /[/\\]/.test(name) ? 'it names a folder (send the file name alone)'
    : name.includes('..') ? 'it contains ".."'
    // eslint-disable-next-line no-control-regex
    : /[\u0000-\u001f\u007f]/.test(name) ? 'it contains control characters'
    : name.startsWith('.') ? 'it starts with "." (a hidden file)'
    : Buffer.byteLength(name) > MAX_NAME_BYTES ? `it is longer than ${MAX_NAME_BYTES} bytes`
    : basename(name) !== name ? 'it is not a plain file name'
    : undefined
  if (problem) throw new CiteqaError('invalid_file_name', `Documents: file name ${JSON.stringify(raw)} is refused: ${problem}`, { status: 400 })
  if (!loaderForExtension(name)) {
    const extension = /\.[^.]+$/.exec(name)?.[0]
    throw new CiteqaError('unsupported_document_type', `Documents: ${name} is ${extension ? `of type ${extension.toLowerCase()}` : 'without a file extension'}, which citeqa does not read (readable: ${DOCUMENT_EXTENSIONS.join(', ')})`, { status: 415 })
  }
  return name
}

/** Removes what uploads cut short by a crash or a kill left in DOCUMENTS_DIR. */
export async function removeIncomingLeftovers(documentsFolder: string): Promise<void> {
  await rm(join(documentsFolder, INCOMING_FOLDER), { recursive: true, force: true })
}
