import { hashDocuments } from '../ingest/load-documents.ts'
import type { ArticleDocument } from '../ingest/types.ts'

/** What a build changed against the index it replaced, by document id. */
export interface IndexChanges {
  added: string[]
  changed: string[]
  removed: string[]
  unchanged: number
  /** Chunks embedded in this build (tokenized and hashed, for the offline embedder), of `chunks`; the others' were reused. */
  embeddedChunks: number
  chunks: number
}

/**
 * Each document's hash, and the documents added, changed and removed against the per-document hashes
 * of the index replaced (its manifest's `documents`; undefined when there was none).
 */
export function documentChanges(documents: ArticleDocument[], previous: Record<string, string> | undefined): Omit<IndexChanges, 'embeddedChunks' | 'chunks'> & { hashes: Record<string, string> } {
  const hashes = Object.fromEntries(documents.map((document) => [document.id, hashDocuments([document])]))
  const before = previous ?? {}
  const added = documents.filter((document) => !Object.hasOwn(before, document.id)).map((document) => document.id)
  const changed = documents.filter((document) => Object.hasOwn(before, document.id) && before[document.id] !== hashes[document.id]).map((document) => document.id)
  const removed = Object.keys(before).filter((id) => !Object.hasOwn(hashes, id))
  return { hashes, added, changed, removed, unchanged: documents.length - added.length - changed.length }
}
