import type pg from 'pg'
import { CHUNKS_FILE } from '../chunk-file.ts'
import { INDEX_FORMAT_VERSION, type IndexManifest } from '../index-manifest.ts'
import type { StoredIndex } from '../stored-index.ts'
import { identifier } from './postgres-connection.ts'

/**
 * The active generation in the shape a build reuses (index-reuse.ts, vector-storage.ts): its
 * files (term counts, lexicon, outlines) and its chunks as the files store lists them, and — for
 * a dense embedder — each chunk's vector, so a new generation embeds only the chunks that changed.
 * Undefined when the generation is of another index format (nothing of it is reused then).
 */
export async function reusableGeneration(pool: pg.Pool, schema: string, manifest: IndexManifest): Promise<StoredIndex | undefined> {
  if (manifest.formatVersion !== INDEX_FORMAT_VERSION) return undefined
  const s = identifier(schema)
  const { rows: fileRows } = await pool.query(`SELECT name, content FROM ${s}.index_files`)
  const files = new Map<string, Buffer>(fileRows.map(({ name, content }) => [name, content]))
  const { rows: chunkRows } = await pool.query(`SELECT id, document_position, paragraph, start_offset, end_offset FROM ${s}.chunks ORDER BY ordinal`)
  files.set(CHUNKS_FILE, Buffer.from(JSON.stringify(chunkRows.map((row) => [row.id, row.document_position, row.paragraph, row.start_offset, row.end_offset]))))
  const { rows: kindRows } = await pool.query(`SELECT vector_kind FROM ${s}.index_info`)
  let vectorAt: StoredIndex['vectorAt']
  if (kindRows[0]?.vector_kind === 'dense') {
    // pgvector's text form, [a,b,…], is JSON.
    const { rows } = await pool.query(`SELECT embedding::text AS vector FROM ${s}.chunks ORDER BY ordinal`)
    const vectors = rows.map((row) => (row.vector === null ? undefined : (JSON.parse(row.vector) as number[])))
    vectorAt = (position) => vectors[position]
  }
  return { folder: `postgres:${schema}`, manifest: { ...manifest, files: Object.fromEntries([...files.keys()].map((name) => [name, ''])) }, files, vectorAt }
}
