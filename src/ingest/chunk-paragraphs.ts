import { createHash } from 'node:crypto'
import { splitIntoSentences } from './split-into-sentences.ts'
import type { Chunk, Paragraph, SentenceSpan } from './types.ts'

/** `{page}` for a paragraph of a paged document, `{}` otherwise: spread into chunks and citations so text documents carry no `page`. */
export function pageOf(paragraph: { page?: number }): { page?: number } {
  return paragraph.page === undefined ? {} : { page: paragraph.page }
}

/** How paragraphs are cut into chunks. Written to the index manifest: changing it rebuilds the index. */
export interface ChunkingOptions {
  /**
   * Largest chunk, in characters. multilingual-e5-small reads 512 tokens, about one per Chinese
   * character; smaller chunks keep a passage on one topic, which helps both BM25 and the embedder.
   * Range 40–2000. Default 240.
   */
  maxCharacters: number
  /** Sentences repeated at the start of the next chunk, so a fact split across a boundary is still found whole. Range 0–3. Default 1. */
  overlapSentences: number
}

export const defaultChunkingOptions: ChunkingOptions = { maxCharacters: 240, overlapSentences: 1 }

// Clause boundaries, used only to cut a single sentence longer than the cap.
const CLAUSE_END = /[,，、:：]/g

function splitLongSentence(sentence: SentenceSpan, maxCharacters: number): SentenceSpan[] {
  if (sentence.text.length <= maxCharacters) return [sentence]
  const pieces: SentenceSpan[] = []
  let pieceStart = 0
  let lastCut = 0
  const cut = (end: number) => {
    pieces.push({ text: sentence.text.slice(pieceStart, end), start: sentence.start + pieceStart, end: sentence.start + end })
    pieceStart = end
  }
  for (const match of sentence.text.matchAll(CLAUSE_END)) {
    const clauseEnd = match.index + 1
    if (clauseEnd - pieceStart > maxCharacters && lastCut > pieceStart) cut(lastCut)
    lastCut = clauseEnd
  }
  // A clause with no comma in maxCharacters is cut hard at the cap.
  while (sentence.text.length - pieceStart > maxCharacters) {
    cut(lastCut > pieceStart && lastCut - pieceStart <= maxCharacters ? lastCut : pieceStart + maxCharacters)
  }
  if (pieceStart < sentence.text.length) cut(sentence.text.length)
  return pieces
}

// Everything the chunk is indexed by (its breadcrumb too): an ingest reuses what it stored for an id.
function chunkId(paragraph: Paragraph, start: number, end: number, text: string): string {
  return createHash('sha256').update(`${paragraph.docId}\u0000${paragraph.number}\u0000${paragraph.section}\u0000${start}\u0000${end}\u0000${text}`).digest('hex').slice(0, 16)
}

/** Cuts one paragraph into chunks of whole sentences that never cross into another paragraph. */
export function chunkParagraph(paragraph: Paragraph, options: ChunkingOptions = defaultChunkingOptions): Chunk[] {
  const { maxCharacters, overlapSentences } = options
  const sentences = splitIntoSentences(paragraph.text).flatMap((sentence) => splitLongSentence(sentence, maxCharacters))
  const chunks: Chunk[] = []
  let first = 0
  while (first < sentences.length) {
    let last = first
    while (last + 1 < sentences.length && sentences[last + 1].end - sentences[first].start <= maxCharacters) last++
    const start = sentences[first].start
    const end = sentences[last].end
    const text = paragraph.text.slice(start, end)
    chunks.push({ id: chunkId(paragraph, start, end, text), docId: paragraph.docId, paragraph: paragraph.number, section: paragraph.section, text, start, end, ...pageOf(paragraph) })
    if (last === sentences.length - 1) break
    // Step back for overlap, but always move forward by at least one sentence.
    first = Math.max(first + 1, last + 1 - overlapSentences)
  }
  return chunks
}

/** Chunks every paragraph in order. */
export function chunkParagraphs(paragraphs: Paragraph[], options: ChunkingOptions = defaultChunkingOptions): Chunk[] {
  return paragraphs.flatMap((paragraph) => chunkParagraph(paragraph, options))
}
