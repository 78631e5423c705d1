import { pageOf } from '../ingest/chunk-paragraphs.ts'
import type { ArticleDocument, Chunk } from '../ingest/types.ts'

/** The chunks of an index, one file of it (checksummed by the manifest like the others). */
export const CHUNKS_FILE = 'chunks.json'

/** The chunks as stored: id, document (by position), paragraph and offsets; text and breadcrumb come from the documents. */
type StoredChunk = [id: string, document: number, paragraph: number, start: number, end: number]

export function serializeChunks(chunks: Chunk[], documents: ArticleDocument[]): string {
  const positions = new Map(documents.map((document, position) => [document.id, position]))
  return JSON.stringify(chunks.map((chunk): StoredChunk => [chunk.id, positions.get(chunk.docId)!, chunk.paragraph, chunk.start, chunk.end]))
}

/** The stored chunks, their text and breadcrumb taken from `documents`; throws when one points at a paragraph they do not have. */
export function parseChunks(data: Buffer, documents: ArticleDocument[]): Chunk[] {
  return (JSON.parse(data.toString('utf8')) as StoredChunk[]).map(([id, position, number, start, end]) => {
    const paragraph = documents[position]?.paragraphs[number - 1]
    if (!paragraph) throw new Error(`chunk ${id} points at paragraph ${number} of document ${position}, which does not exist`)
    return { id, docId: paragraph.docId, paragraph: number, section: paragraph.section, text: paragraph.text.slice(start, end), start, end, ...pageOf(paragraph) }
  })
}

/** Each stored chunk's position in the file, by id (ids hash everything a chunk is indexed by). */
export function chunkPositions(data: Buffer): Map<string, number> {
  return new Map((JSON.parse(data.toString('utf8')) as StoredChunk[]).map(([id], position) => [id, position]))
}
