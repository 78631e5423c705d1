import { isNeuralEmbedder } from '../embeddings/citeqa-embeddings.ts'
import type { ChunkingOptions } from '../ingest/chunk-paragraphs.ts'
import { isCalibrationOf, type SimilarityCalibration } from './similarity-calibration.ts'

/** Bumped whenever the files of a persisted index change shape; an index of another version is rebuilt. */
// 2: sentences no longer end inside brackets, so chunk boundaries (and ids) moved.
// 3: the manifest holds the similarity calibration of a neural embedder.
// 4: the translation lexicon's keys use American spelling (kilometres → kilometer).
// 5: built to load fast and grow by the document: chunks (ids now hash the breadcrumb too) and their
//    search terms are stored (chunks.json, terms.bin), offline vectors are made from the terms at
//    load instead of an HNSW graph, the lexicon is pruned to what the translator uses (lexicon.txt),
//    and the manifest keeps each document's hash.
// 6: the lexicon also maps an acronym a gloss gives in parentheses (CCTV → 央视), and paragraphs
//    may carry the page of a PDF; an index of format 5 is rebuilt, not reused.
export const INDEX_FORMAT_VERSION = 6

export const MANIFEST_FILE = 'manifest.json'

/** What a persisted index was built from, and the checksums of its files. */
export interface IndexManifest {
  formatVersion: number
  embedder: { id: string; dimensions: number }
  /** Hash of the documents' paragraphs (see hashDocuments). */
  contentHash: string
  chunking: ChunkingOptions
  chunkCount: number
  /** Hash of each document's paragraphs (see hashDocuments), by id: a later ingest tells added, changed and removed documents by them. */
  documents: Record<string, string>
  /** What the embedder's cosines mean on this corpus; only for a neural embedder (see isNeuralEmbedder). */
  similarityCalibration?: SimilarityCalibration
  /** sha256 of every other file in the index folder, checked before the native reader sees them. */
  files: Record<string, string>
  createdAt: string
}

/** What the running service expects of an index; compared with the manifest on disk. */
export type IndexExpectation = Pick<IndexManifest, 'contentHash' | 'chunking'> & { embedder?: IndexManifest['embedder'] }

/**
 * Why a manifest does not fit what the service expects, or undefined when it does.
 * The reason is logged, so it names both values.
 */
export function findStaleness(manifest: IndexManifest, expected: IndexExpectation): string | undefined {
  if (manifest.formatVersion !== INDEX_FORMAT_VERSION) {
    return `index format version ${manifest.formatVersion}, this build reads version ${INDEX_FORMAT_VERSION}`
  }
  if (manifest.contentHash !== expected.contentHash) return 'the article changed since the index was built'
  if (JSON.stringify(manifest.chunking) !== JSON.stringify(expected.chunking)) {
    return `chunking changed (${JSON.stringify(manifest.chunking)} → ${JSON.stringify(expected.chunking)})`
  }
  if (expected.embedder && (manifest.embedder.id !== expected.embedder.id || manifest.embedder.dimensions !== expected.embedder.dimensions)) {
    return `embedder changed (${manifest.embedder.id}/${manifest.embedder.dimensions} → ${expected.embedder.id}/${expected.embedder.dimensions})`
  }
  if (expected.embedder && isNeuralEmbedder(expected.embedder.id) && !isCalibrationOf(manifest.similarityCalibration, expected.embedder.id)) {
    return `the index has no similarity calibration for ${expected.embedder.id}`
  }
  return undefined
}
