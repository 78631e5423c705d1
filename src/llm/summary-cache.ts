import { randomUUID } from 'node:crypto'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { DocumentSummary } from './document-summary.ts'

/** Where built document summaries are kept, so that none is built twice (DocumentSummaries checks what it reads). */
export interface SummaryCache {
  /** The summary kept for this document under this key (what it was built from), or undefined. */
  read(docId: string, key: string): Promise<DocumentSummary | undefined>
  write(summary: DocumentSummary): Promise<void>
}

/** Summaries as files in a folder, `<folder>/<doc>.json`: one machine's, kept across restarts. */
export class FileSummaryCache implements SummaryCache {
  constructor(private readonly directory: string) {}

  fileOf(docId: string): string {
    return join(this.directory, `${encodeURIComponent(docId)}.json`)
  }

  async read(docId: string): Promise<DocumentSummary | undefined> {
    return readFile(this.fileOf(docId), 'utf8')
      .then((text) => JSON.parse(text) as DocumentSummary)
      .catch(() => undefined)
  }

  async write(summary: DocumentSummary): Promise<void> {
    const file = this.fileOf(summary.docId)
    // Written beside, then renamed: a crash never leaves half a summary.
    const partial = `${file}.${randomUUID()}.tmp`
    await mkdir(this.directory, { recursive: true })
    await writeFile(partial, JSON.stringify(summary, null, 1))
    await rename(partial, file)
  }
}
