import { extname } from 'node:path'
import type { DocumentLoader } from './document-loader.ts'
import { docxLoader } from './docx-loader.ts'
import { htmlLoader } from './html-loader.ts'
import { pdfLoader } from './pdf-loader.ts'
import { markdownLoader, textLoader } from './text-loader.ts'

/** Every format citeqa reads; the first whose sniff matches wins for a file of unknown extension. */
export const DOCUMENT_LOADERS: readonly DocumentLoader[] = [pdfLoader, docxLoader, htmlLoader, markdownLoader, textLoader]

/** The extensions read in a folder, for messages: `.txt, .md, …`. */
export const DOCUMENT_EXTENSIONS = DOCUMENT_LOADERS.flatMap((loader) => loader.extensions)

/** The loader for a file's extension, if it has a known one. */
export function loaderForExtension(path: string): DocumentLoader | undefined {
  const extension = extname(path).toLowerCase()
  return DOCUMENT_LOADERS.find((loader) => loader.extensions.includes(extension))
}

/**
 * The loader for a file given by path: its extension's; else the format its content shows (a PDF
 * or Word file saved without extension, an HTML page saved as .txt is still read as text: the
 * extension wins); else plain text, which refuses what does not decode as text.
 */
export function loaderFor(path: string, bytes: Buffer): DocumentLoader {
  return loaderForExtension(path) ?? DOCUMENT_LOADERS.find((loader) => loader.sniff(bytes)) ?? textLoader
}
