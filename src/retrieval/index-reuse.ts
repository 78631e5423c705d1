import { OUTLINE_FORMAT_VERSION, buildDocumentOutline, type DocumentOutline } from '../ingest/document-outline.ts'
import type { ArticleDocument, Chunk } from '../ingest/types.ts'
import { CHUNKS_FILE, chunkPositions } from './chunk-file.ts'
import { OUTLINE_FILE } from './outline-file.ts'
import { LEXICON_FILE, TERMS_FILE, requireFile, type StoredIndex } from './stored-index.ts'
import { TermIndex } from './term-index.ts'

// What a build takes from the index it replaces (when reuse is on and the format is the same):
// the search terms of chunks whose content is unchanged (ids hash everything a chunk is indexed
// by), the lexicon of an unchanged corpus, and the outlines of unchanged documents. Their vectors,
// which depend on the store, are reused by vector-storage.ts.

/**
 * The chunks' search terms, those of chunks the replaced index holds taken from it, and where each
 * chunk sits in the replaced index (undefined for a new chunk, or when its terms cannot be read).
 */
export function termsWithReuse(chunks: Chunk[], corpus: string[], previous: StoredIndex | undefined): { terms: TermIndex; reusedPosition: (index: number) => number | undefined } {
  let previousChunks = new Map<string, number>()
  let previousTerms: TermIndex | undefined
  if (previous) {
    try {
      previousTerms = TermIndex.decode(requireFile(previous, TERMS_FILE))
      previousChunks = chunkPositions(requireFile(previous, CHUNKS_FILE))
    } catch {
      previousTerms = undefined
    }
  }
  const reusedPosition = (index: number) => (previousTerms ? previousChunks.get(chunks[index].id) : undefined)
  const terms = TermIndex.fromTexts(corpus, (index) => {
    const position = reusedPosition(index)
    return position === undefined ? undefined : previousTerms!.termCountsOf(position)
  })
  return { terms, reusedPosition }
}

/** The stored lexicon when the corpus is unchanged (it depends only on the text: an embedder change keeps it), else undefined. */
export function reusedLexicon(previous: StoredIndex | undefined, contentHash: string): string | undefined {
  return previous?.manifest.contentHash === contentHash && previous.files.has(LEXICON_FILE) ? previous.files.get(LEXICON_FILE)!.toString('utf8') : undefined
}

/** Each document's outline: the stored one when the document is unchanged, else built now. */
export function outlinesWithReuse(documents: ArticleDocument[], previous: StoredIndex | undefined, hashes: Record<string, string>): DocumentOutline[] {
  let stored = new Map<string, DocumentOutline>()
  const file = previous?.files.get(OUTLINE_FILE)
  if (file) {
    try {
      const parsed = JSON.parse(file.toString('utf8')) as { formatVersion: number; outlines: DocumentOutline[] }
      if (parsed.formatVersion === OUTLINE_FORMAT_VERSION) stored = new Map(parsed.outlines.map((outline) => [outline.docId, outline]))
    } catch {
      // Built anew below.
    }
  }
  const before = previous?.manifest.documents ?? {}
  return documents.map((document) => (before[document.id] === hashes[document.id] && stored.get(document.id)) || buildDocumentOutline(document))
}
