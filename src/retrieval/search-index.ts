import { join } from 'node:path'
import type { CiteqaEmbeddings } from '../embeddings/citeqa-embeddings.ts'
import { hashDocuments } from '../ingest/load-documents.ts'
import { removeLeftovers } from './atomic-index-write.ts'
import { buildSearchIndex } from './build-search-index.ts'
import { findStaleness, INDEX_FORMAT_VERSION } from './index-manifest.ts'
import { loadStoredIndex } from './load-search-index.ts'
import { CURRENT_FOLDER, readManifest, readStoredIndex } from './stored-index.ts'
import type { OpenSearchIndexOptions, SearchIndex } from './types.ts'

// The index's entry point: what the service, the CLIs and the tests open. Its parts, one concept a
// file: the files as stored and checked (stored-index.ts, chunk-file.ts, outline-file.ts), loading
// (load-search-index.ts), building (build-search-index.ts), what a build reuses (index-reuse.ts),
// the store the embedder's vectors need (vector-storage.ts), and atomic writes (atomic-index-write.ts).
export type { IndexChanges } from './index-changes.ts'
export { passageText } from './passage-text.ts'
export type { OpenSearchIndexOptions, SearchIndex } from './types.ts'

/**
 * Loads the persisted index when it was built from the same article, chunking and embedder;
 * otherwise (missing, stale, corrupt) builds it — reusing what the old one holds for unchanged
 * chunks and documents — and writes it atomically.
 */
export async function openSearchIndex(options: OpenSearchIndexOptions): Promise<SearchIndex> {
  const { directory, documents, chunking } = options
  const contentHash = hashDocuments(documents)
  const live = join(directory, CURRENT_FOLDER)
  await removeLeftovers(directory)

  const reuse = options.reuse !== false
  const { stored, problem } = options.forceRebuild && !reuse ? { stored: undefined, problem: undefined } : await readStoredIndex(live)
  let staleness = options.forceRebuild ? 'rebuild requested' : stored ? findStaleness(stored.manifest, { contentHash, chunking }) : problem
  // Set when the stored index is of this corpus but not of this embedder: the embedder made for it serves the build.
  let embeddingsOfCorpus: CiteqaEmbeddings | undefined
  if (stored && !staleness) {
    try {
      const loaded = await loadStoredIndex(stored, options, contentHash)
      if ('index' in loaded) return loaded.index
      ;({ staleness, embeddings: embeddingsOfCorpus } = loaded)
    } catch (error) {
      staleness = `index could not be read (${(error as Error).message})`
    }
  }
  const reusable = stored && reuse && stored.manifest.formatVersion === INDEX_FORMAT_VERSION ? stored : undefined
  // What changed is told against the index replaced even when nothing of it is reused (`--full`, a damaged file).
  const previousDocuments = (stored?.manifest ?? (await readManifest(live)).manifest)?.documents
  return buildSearchIndex(options, { contentHash, staleness: staleness ?? 'no index on disk', reusable, previousDocuments, embeddingsOfCorpus })
}
