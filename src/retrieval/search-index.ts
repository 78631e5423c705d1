import { createHash, randomUUID } from 'node:crypto'
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Document } from '@langchain/core/documents'
import { isNeuralEmbedder, type CiteqaEmbeddings } from '../embeddings/citeqa-embeddings.ts'
import type { EmbeddingsContext } from '../embeddings/create-embeddings.ts'
import { chunkParagraphs, type ChunkingOptions } from '../ingest/chunk-paragraphs.ts'
import { hashDocuments } from '../ingest/load-documents.ts'
import type { DocumentOutline } from '../ingest/document-outline.ts'
import type { ArticleDocument, Chunk } from '../ingest/types.ts'
import type { Logger } from '../logger.ts'
import { buildTranslationLexicon, QueryTranslator, type TranslationLexicon } from '../text/query-translator.ts'
import { HnswVectorStore } from './hnsw-vector-store.ts'
import { findStaleness, INDEX_FORMAT_VERSION, MANIFEST_FILE, type IndexManifest } from './index-manifest.ts'
import { calibrateSimilarity, type SimilarityCalibration } from './similarity-calibration.ts'
import { buildOutlines, readOutlines, writeOutlines } from './outline-file.ts'

const CURRENT_FOLDER = 'current'
const LEXICON_FILE = 'lexicon.json'
const EMBEDDING_BATCH = 16

export interface OpenSearchIndexOptions {
  /** Folder that holds the persisted index (`index/` by default); the live index is its `current/` subfolder. */
  directory: string
  documents: ArticleDocument[]
  chunking: ChunkingOptions
  createEmbeddings: (context: EmbeddingsContext) => Promise<CiteqaEmbeddings>
  /** Rebuild even when the persisted index is fresh. */
  forceRebuild?: boolean
  /** Called as passages are embedded while building. */
  onEmbeddingProgress?: (done: number, total: number) => void
  logger: Logger
}

/** The searchable state of the service: chunks, their vectors, and what built them. */
export interface SearchIndex {
  chunks: Chunk[]
  vectorStore: HnswVectorStore
  embeddings: CiteqaEmbeddings
  translator: QueryTranslator
  manifest: IndexManifest
  /**
   * What the embedder's cosines (a passage's `denseScore`) mean on this corpus, from the manifest;
   * undefined for the offline embedder, whose similarity is word overlap, not semantic evidence.
   */
  similarityCalibration?: SimilarityCalibration
  /** Each document's outline (title, thesis, sections, items), built with the index and stored in it. */
  outlines: DocumentOutline[]
  /** `loaded` from disk, or `built` now (then `rebuildReason` says why). */
  origin: 'loaded' | 'built'
  rebuildReason?: string
}

/** Text a chunk is embedded and keyword-indexed by: its section breadcrumb gives it context. */
export function passageText(chunk: Chunk): string {
  return chunk.section ? `${chunk.section}\n${chunk.text}` : chunk.text
}

function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex')
}

async function readManifest(folder: string): Promise<{ manifest?: IndexManifest; problem?: string }> {
  let manifest: IndexManifest
  try {
    manifest = JSON.parse(await readFile(join(folder, MANIFEST_FILE), 'utf8')) as IndexManifest
  } catch (error) {
    return { problem: (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no index on disk' : 'unreadable manifest' }
  }
  // Checksums first: hnswlib's native reader may crash the process on a damaged file.
  for (const [file, expectedHash] of Object.entries(manifest.files ?? {})) {
    const data = await readFile(join(folder, file)).catch(() => undefined)
    if (!data) return { problem: `index file ${file} is missing` }
    if (sha256(data) !== expectedHash) return { problem: `index file ${file} is corrupt (checksum mismatch)` }
  }
  return { manifest }
}

async function embedInBatches(embeddings: CiteqaEmbeddings, texts: string[], onProgress?: (done: number, total: number) => void): Promise<number[][]> {
  const vectors: number[][] = []
  onProgress?.(0, texts.length)
  for (let start = 0; start < texts.length; start += EMBEDDING_BATCH) {
    vectors.push(...(await embeddings.embedDocuments(texts.slice(start, start + EMBEDDING_BATCH))))
    onProgress?.(vectors.length, texts.length)
  }
  return vectors
}

/**
 * Writes a new index beside the live one, then swaps it in with renames, so a crash at any
 * point leaves either the old index or the new one, never a half-written one.
 */
async function writeIndexAtomically(directory: string, write: (folder: string) => Promise<Omit<IndexManifest, 'files'>>): Promise<IndexManifest> {
  await mkdir(directory, { recursive: true })
  const staging = join(directory, `.staging-${randomUUID()}`)
  const retired = join(directory, `.retired-${randomUUID()}`)
  await mkdir(staging)
  try {
    const partial = await write(staging)
    const files: Record<string, string> = {}
    for (const file of (await readdir(staging)).sort()) files[file] = sha256(await readFile(join(staging, file)))
    const manifest: IndexManifest = { ...partial, files }
    // The manifest goes last: a folder without one is never loaded.
    await writeFile(join(staging, MANIFEST_FILE), JSON.stringify(manifest, null, 2))
    const live = join(directory, CURRENT_FOLDER)
    await rename(live, retired).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error
    })
    await rename(staging, live)
    await rm(retired, { recursive: true, force: true })
    return manifest
  } catch (error) {
    await rm(staging, { recursive: true, force: true })
    throw error
  }
}

/** Removes staging folders left by a process that died mid-build. */
async function removeLeftovers(directory: string): Promise<void> {
  const entries = await readdir(directory).catch(() => [] as string[])
  await Promise.all(
    entries.filter((name) => name.startsWith('.staging-') || name.startsWith('.retired-')).map((name) => rm(join(directory, name), { recursive: true, force: true })),
  )
}

/**
 * Loads the persisted index when it was built from the same article, chunking and embedder;
 * otherwise (missing, stale, corrupt) builds it and writes it atomically.
 */
export async function openSearchIndex(options: OpenSearchIndexOptions): Promise<SearchIndex> {
  const { directory, documents, chunking, logger } = options
  const chunks = chunkParagraphs(documents.flatMap((document) => document.paragraphs), chunking)
  const corpus = chunks.map(passageText)
  const contentHash = hashDocuments(documents)
  const live = join(directory, CURRENT_FOLDER)
  await removeLeftovers(directory)

  const { manifest: stored, problem } = options.forceRebuild ? { manifest: undefined, problem: 'rebuild requested' } : await readManifest(live)
  let staleness = stored ? findStaleness(stored, { contentHash, chunking }) : problem

  // The lexicon depends only on the text, so a fresh one survives an embedder change.
  let lexicon: TranslationLexicon | undefined
  if (!staleness) lexicon = JSON.parse(await readFile(join(live, LEXICON_FILE), 'utf8')) as TranslationLexicon
  lexicon ??= await buildTranslationLexicon(corpus)
  const translator = new QueryTranslator(lexicon)

  const embeddings = await options.createEmbeddings({ corpus, translator })
  const embedder = { id: embeddings.id, dimensions: await embeddings.dimensions() }
  if (stored && !staleness) staleness = findStaleness(stored, { contentHash, chunking, embedder })

  // An index from before outlines (or with another outline format) is rebuilt.
  const storedOutlines = stored && !staleness ? await readOutlines(live, documents) : {}
  if (stored && !staleness) staleness = storedOutlines.problem

  if (stored && !staleness) {
    try {
      const vectorStore = await HnswVectorStore.load(live, embeddings, { dimensions: embedder.dimensions })
      return { chunks: vectorStore.chunks(), vectorStore, embeddings, translator, manifest: stored, similarityCalibration: stored.similarityCalibration, outlines: storedOutlines.outlines!, origin: 'loaded' }
    } catch (error) {
      staleness = `index could not be read (${(error as Error).message})`
    }
  }

  logger.info({ reason: staleness, chunks: chunks.length, embedder: embedder.id }, 'building the search index')
  const vectors = await embedInBatches(embeddings, corpus, options.onEmbeddingProgress)
  const vectorStore = HnswVectorStore.create(embeddings, { dimensions: embedder.dimensions }, chunks.length)
  await vectorStore.addVectors(vectors, chunks.map((chunk, index) => new Document({ pageContent: corpus[index], metadata: { ...chunk } })))
  const similarityCalibration = isNeuralEmbedder(embedder.id) ? await calibrateSimilarity(embeddings, chunks, vectors) : undefined
  if (similarityCalibration) logger.info({ similarityCalibration }, 'similarity calibrated')
  const outlines = buildOutlines(documents)
  const manifest = await writeIndexAtomically(directory, async (folder) => {
    await vectorStore.save(folder)
    await writeFile(join(folder, LEXICON_FILE), JSON.stringify(lexicon))
    await writeOutlines(folder, outlines)
    return { formatVersion: INDEX_FORMAT_VERSION, embedder, contentHash, chunking, chunkCount: chunks.length, similarityCalibration, createdAt: new Date().toISOString() }
  })
  return { chunks, vectorStore, embeddings, translator, manifest, similarityCalibration, outlines, origin: 'built', rebuildReason: staleness }
}
