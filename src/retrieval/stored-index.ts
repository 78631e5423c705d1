import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { GRAPH_FILE } from './hnsw-vector-store.ts'
import { MANIFEST_FILE, type IndexManifest } from './index-manifest.ts'

// The live index is this subfolder of the index directory; the files of an index besides the
// manifest, the chunks (chunk-file.ts), the outlines (outline-file.ts) and, for a neural
// embedder, the graph (hnsw-vector-store.ts):
export const CURRENT_FOLDER = 'current'
export const LEXICON_FILE = 'lexicon.txt'
export const TERMS_FILE = 'terms.bin'
export const SENTENCE_PAIRS_FILE = 'sentence-pairs.bin'

/** The checksum the manifest keeps of each file. */
export function fileChecksum(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex')
}

/** A persisted index whose files matched their checksums, each read once (the graph excepted: the native reader reads it). */
export interface StoredIndex {
  folder: string
  manifest: IndexManifest
  files: Map<string, Buffer>
  /**
   * The stored dense vector of the chunk at a position, when the store keeps vectors readable one
   * by one (a postgres generation); undefined: they are read from the folder's HNSW graph.
   */
  vectorAt?: (position: number) => number[] | undefined
}

/** The manifest of the index in `folder`, or why there is none to read. */
export async function readManifest(folder: string): Promise<{ manifest?: IndexManifest; problem?: string }> {
  try {
    return { manifest: JSON.parse(await readFile(join(folder, MANIFEST_FILE), 'utf8')) as IndexManifest }
  } catch (error) {
    return { problem: (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no index on disk' : 'unreadable manifest' }
  }
}

/** The index in `folder` with every file checked against the manifest, or why it cannot be read. */
export async function readStoredIndex(folder: string): Promise<{ stored?: StoredIndex; problem?: string }> {
  const { manifest, problem } = await readManifest(folder)
  if (!manifest) return { problem }
  // Checksums first: hnswlib's native reader may crash the process on a damaged file. Each file is
  // read once and parsed from that buffer; only the graph is read again, by the native reader.
  const files = new Map<string, Buffer>()
  for (const [file, expectedHash] of Object.entries(manifest.files ?? {})) {
    const data = await readFile(join(folder, file)).catch(() => undefined)
    if (!data) return { problem: `index file ${file} is missing` }
    if (fileChecksum(data) !== expectedHash) return { problem: `index file ${file} is corrupt (checksum mismatch)` }
    if (file !== GRAPH_FILE) files.set(file, data)
  }
  return { stored: { folder, manifest, files } }
}

/** A file of the stored index; throws when the manifest did not list it. */
export function requireFile(stored: StoredIndex, file: string): Buffer {
  const data = stored.files.get(file)
  if (!data) throw new Error(`index file ${file} is missing`)
  return data
}
