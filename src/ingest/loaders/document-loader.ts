/**
 * One loader per file format: it turns a file's bytes into source lines — one paragraph each, in
 * reading order — that the rest of ingest (chrome stripper, paragraph parser, metadata, outline)
 * handles the same whatever the format. A new format is one file implementing {@link DocumentLoader},
 * listed in `loader-registry.ts`.
 */

/** The formats citeqa reads. */
export type DocumentFormat = 'text' | 'markdown' | 'html' | 'pdf' | 'docx'

/** One paragraph of a loaded file, before numbering and section breadcrumbs. */
export interface SourceLine {
  text: string
  /**
   * What the format itself says the line is (an HTML `<h2>`, a Word heading style, a list item);
   * absent when the format does not say, and the paragraph parser decides from the text (一、…, 1、…, `#`).
   */
  kind?: 'heading' | 'item'
  /** 1-based page the paragraph starts on (PDF only). */
  page?: number
}

/** What a file says about itself outside its text: the HTML `<title>`, `og:` tags, byline; a PDF's page count. */
export interface DeclaredMetadata {
  title?: string
  byline?: string
  siteName?: string
  /** As the file states it (an ISO date from `article:published_time`, a PDF's creation date…). */
  published?: string
  pages?: number
}

export interface LoadedDocument {
  format: DocumentFormat
  lines: SourceLine[]
  declared: DeclaredMetadata
}

export interface DocumentLoader {
  format: DocumentFormat
  /** Lower-case file extensions with the dot (`.html`). */
  extensions: readonly string[]
  /** Whether bytes of a file with an unknown or missing extension are this format (magic numbers, markup). */
  sniff(bytes: Buffer): boolean
  /** Reads the file; throws a CiteqaError naming `path` when its content cannot be read as this format. */
  load(bytes: Buffer, path: string): Promise<LoadedDocument>
}

/** Splits decoded text into lines, one paragraph each (empty lines are dropped later). */
export function linesOfText(text: string): SourceLine[] {
  return text.split(/\r\n|\r|\n|\u2028|\u2029/).map((line) => ({ text: line }))
}
