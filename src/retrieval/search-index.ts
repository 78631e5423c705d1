import { createHash, randomUUID } from 'node:crypto'
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { DocumentInterface } from '@langchain/core/documents'
import type { VectorStore } from '@langchain/core/vectorstores'
import { isNeuralEmbedder, type CiteqaEmbeddings } from '../embeddings/citeqa-embeddings.ts'
import type { EmbeddingsContext } from '../embeddings/create-embeddings.ts'
import { OfflineEmbeddings } from '../embeddings/offline-embeddings.ts'
import { chunkParagraphs, type ChunkingOptions } from '../ingest/chunk-paragraphs.ts'
import { hashDocuments } from '../ingest/load-documents.ts'
import { buildDocumentOutline, OUTLINE_FORMAT_VERSION, type DocumentOutline } from '../ingest/document-outline.ts'
import type { ArticleDocument, Chunk } from '../ingest/types.ts'
import type { Logger } from '../logger.ts'
import { buildTranslationLexicon, QueryTranslator, savedLexiconLookup, serializeLexicon } from '../text/query-translator.ts'
import { countSentencePairs, decodeSentencePairs, encodeSentencePairs, type SentencePairStatistics } from '../text/sentence-pairs.ts'
import { GRAPH_FILE, HnswVectorStore } from './hnsw-vector-store.ts'
import { findStaleness, INDEX_FORMAT_VERSION, MANIFEST_FILE, type IndexManifest } from './index-manifest.ts'
import { calibrateSimilarity, type SimilarityCalibration } from './similarity-calibration.ts'
import { OUTLINE_FILE, parseOutlines, serializeOutlines } from './outline-file.ts'
import { SparseVectorStore } from './sparse-vector-store.ts'
import { TermIndex } from './term-index.ts'

const CURRENT_FOLDER = 'current'
// The files of an index besides the manifest, the outlines (outline-file.ts) and, for a neural embedder, the graph (hnsw-vector-store.ts).
export const LEXICON_FILE = 'lexicon.txt'
export const TERMS_FILE = 'terms.bin'
export const CHUNKS_FILE = 'chunks.json'
export const SENTENCE_PAIRS_FILE = 'sentence-pairs.bin'
const EMBEDDING_BATCH = 16

export interface OpenSearchIndexOptions {
  /** Folder that holds the persisted index (`index/` by default); the live index is its `current/` subfolder. */
  directory: string
  documents: ArticleDocument[]
  chunking: ChunkingOptions
  createEmbeddings: (context: EmbeddingsContext) => Promise<CiteqaEmbeddings>
  /** Rebuild even when the persisted index is fresh. */
  forceRebuild?: boolean
  /**
   * Whether a build reuses what the persisted index holds for chunks whose content is unchanged
   * (their terms; their vectors, with the same embedder), outlines of unchanged documents, and the
   * lexicon of an unchanged corpus. Default true; false builds everything anew.
   */
  reuse?: boolean
  /** Called as passages are embedded while building. */
  onEmbeddingProgress?: (done: number, total: number) => void
  logger: Logger
}

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

/** The searchable state of the service: chunks, their vectors, and what built them. */
export interface SearchIndex {
  chunks: Chunk[]
  /** Each chunk's search terms, stored with the index: BM25 and the offline embedder read them. */
  terms: TermIndex
  /**
   * The vectors, reached only through LangChain's VectorStore interface: exact sparse search for
   * the offline embedder, HNSW (hnswlib) for a neural one's dense vectors.
   */
  vectorStore: VectorStore
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
  /** How rare each unit pair is among the documents' sentences (for the extractive answerer). */
  sentencePairs: SentencePairStatistics
  /** `loaded` from disk, or `built` now (then `rebuildReason` says why, and `changes` what changed). */
  origin: 'loaded' | 'built'
  rebuildReason?: string
  changes?: IndexChanges
  /** Set when a built index could not be saved (read-only, full or missing folder): why. It is served from memory. */
  unsaved?: string
}

/** Text a chunk is embedded and keyword-indexed by: its section breadcrumb gives it context. */
export function passageText(chunk: Chunk): string {
  return chunk.section ? `${chunk.section}\n${chunk.text}` : chunk.text
}

function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex')
}

/** A persisted index whose files matched their checksums, each read once. */
interface StoredIndex {
  folder: string
  manifest: IndexManifest
  files: Map<string, Buffer>
}

async function readStoredIndex(folder: string): Promise<{ stored?: StoredIndex; problem?: string }> {
  let manifest: IndexManifest
  try {
    manifest = JSON.parse(await readFile(join(folder, MANIFEST_FILE), 'utf8')) as IndexManifest
  } catch (error) {
    return { problem: (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no index on disk' : 'unreadable manifest' }
  }
  // Checksums first: hnswlib's native reader may crash the process on a damaged file. Each file is
  // read once and parsed from that buffer; only the graph is read again, by the native reader.
  const files = new Map<string, Buffer>()
  for (const [file, expectedHash] of Object.entries(manifest.files ?? {})) {
    const data = await readFile(join(folder, file)).catch(() => undefined)
    if (!data) return { problem: `index file ${file} is missing` }
    if (sha256(data) !== expectedHash) return { problem: `index file ${file} is corrupt (checksum mismatch)` }
    if (file !== GRAPH_FILE) files.set(file, data)
  }
  return { stored: { folder, manifest, files } }
}

function requireFile(stored: StoredIndex, file: string): Buffer {
  const data = stored.files.get(file)
  if (!data) throw new Error(`index file ${file} is missing`)
  return data
}

/** The chunks as stored: id, document (by position), paragraph and offsets; text and breadcrumb come from the documents. */
type StoredChunk = [id: string, document: number, paragraph: number, start: number, end: number]

function serializeChunks(chunks: Chunk[], documents: ArticleDocument[]): string {
  const positions = new Map(documents.map((document, position) => [document.id, position]))
  return JSON.stringify(chunks.map((chunk): StoredChunk => [chunk.id, positions.get(chunk.docId)!, chunk.paragraph, chunk.start, chunk.end]))
}

function parseChunks(data: Buffer, documents: ArticleDocument[]): Chunk[] {
  return (JSON.parse(data.toString('utf8')) as StoredChunk[]).map(([id, position, number, start, end]) => {
    const paragraph = documents[position]?.paragraphs[number - 1]
    if (!paragraph) throw new Error(`chunk ${id} points at paragraph ${number} of document ${position}, which does not exist`)
    return { id, docId: paragraph.docId, paragraph: number, section: paragraph.section, text: paragraph.text.slice(start, end), start, end }
  })
}

function chunkDocuments(chunks: Chunk[], corpus: string[]): DocumentInterface[] {
  return chunks.map((chunk, index) => ({ pageContent: corpus[index], metadata: { ...chunk } }))
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
    await rm(staging, { recursive: true, force: true }).catch(() => undefined)
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
 * otherwise (missing, stale, corrupt) builds it — reusing what the old one holds for unchanged
 * chunks and documents — and writes it atomically.
 */
export async function openSearchIndex(options: OpenSearchIndexOptions): Promise<SearchIndex> {
  const { directory, documents, chunking } = options
  const contentHash = hashDocuments(documents)
  const live = join(directory, CURRENT_FOLDER)
  await removeLeftovers(directory)

  const { stored, problem } = options.forceRebuild && options.reuse === false ? { stored: undefined, problem: undefined } : await readStoredIndex(live)
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
  const reusable = stored && options.reuse !== false && stored.manifest.formatVersion === INDEX_FORMAT_VERSION ? stored : undefined
  return buildSearchIndex(options, contentHash, staleness ?? 'no index on disk', reusable, embeddingsOfCorpus)
}

/** The stored index, or why it does not serve (another embedder, outlines of another format). */
async function loadStoredIndex(stored: StoredIndex, options: OpenSearchIndexOptions, contentHash: string): Promise<{ index: SearchIndex } | { staleness: string; embeddings?: CiteqaEmbeddings }> {
  const { documents, chunking } = options
  const terms = TermIndex.decode(requireFile(stored, TERMS_FILE))
  const chunks = parseChunks(requireFile(stored, CHUNKS_FILE), documents)
  if (terms.chunkCount !== chunks.length) throw new Error(`${terms.chunkCount} chunks of terms for ${chunks.length} chunks`)
  const lexicon = requireFile(stored, LEXICON_FILE)
  const translator = new QueryTranslator(() => savedLexiconLookup(lexicon.toString('utf8')))
  const embeddings = await options.createEmbeddings({ corpus: terms, translator })
  const embedder = { id: embeddings.id, dimensions: await embeddings.dimensions() }
  const staleness = findStaleness(stored.manifest, { contentHash, chunking, embedder })
  if (staleness) return { staleness, embeddings }
  // An index from before outlines (or with another outline format) is rebuilt.
  const outlines = parseOutlines(stored.files.get(OUTLINE_FILE)?.toString('utf8'), documents)
  if (outlines.problem) return { staleness: outlines.problem, embeddings }
  const corpus = chunks.map(passageText)
  const vectorStore =
    embeddings instanceof OfflineEmbeddings
      ? SparseVectorStore.fromRows(embeddings, embedder.dimensions, chunkDocuments(chunks, corpus), embeddings.embedCountedPassages(terms))
      : await HnswVectorStore.load(stored.folder, embeddings, { dimensions: embedder.dimensions }, chunkDocuments(chunks, corpus))
  const sentencePairs = decodeSentencePairs(requireFile(stored, SENTENCE_PAIRS_FILE))
  return {
    index: {
      chunks,
      terms,
      vectorStore,
      embeddings,
      translator,
      manifest: stored.manifest,
      similarityCalibration: stored.manifest.similarityCalibration,
      outlines: outlines.outlines!,
      sentencePairs,
      origin: 'loaded',
    },
  }
}

/** Added, changed and removed documents against the stored index's per-document hashes. */
function documentChanges(documents: ArticleDocument[], previous: Record<string, string> | undefined): Omit<IndexChanges, 'embeddedChunks' | 'chunks'> & { hashes: Record<string, string> } {
  const hashes = Object.fromEntries(documents.map((document) => [document.id, hashDocuments([document])]))
  const before = previous ?? {}
  const added = documents.filter((document) => !Object.hasOwn(before, document.id)).map((document) => document.id)
  const changed = documents.filter((document) => Object.hasOwn(before, document.id) && before[document.id] !== hashes[document.id]).map((document) => document.id)
  const removed = Object.keys(before).filter((id) => !Object.hasOwn(hashes, id))
  return { hashes, added, changed, removed, unchanged: documents.length - added.length - changed.length }
}

async function buildSearchIndex(
  options: OpenSearchIndexOptions,
  contentHash: string,
  staleness: string,
  previous: StoredIndex | undefined,
  embeddingsOfCorpus: CiteqaEmbeddings | undefined,
): Promise<SearchIndex> {
  const { directory, documents, chunking, logger } = options
  const chunks = chunkParagraphs(documents.flatMap((document) => document.paragraphs), chunking)
  const corpus = chunks.map(passageText)
  const { hashes, ...documentChangeList } = documentChanges(documents, previous?.manifest.documents)

  // What the stored index knows of each chunk id (ids hash everything a chunk is indexed by).
  let previousChunks = new Map<string, number>()
  let previousTerms: TermIndex | undefined
  if (previous) {
    try {
      previousTerms = TermIndex.decode(requireFile(previous, TERMS_FILE))
      previousChunks = new Map((JSON.parse(requireFile(previous, CHUNKS_FILE).toString('utf8')) as StoredChunk[]).map(([id], position) => [id, position]))
    } catch {
      previousTerms = undefined
    }
  }
  const reusedPosition = (index: number) => (previousTerms ? previousChunks.get(chunks[index].id) : undefined)
  const terms = TermIndex.fromTexts(corpus, (index) => {
    const position = reusedPosition(index)
    return position === undefined ? undefined : previousTerms!.termCountsOf(position)
  })

  // The lexicon depends only on the text, so the stored one serves an unchanged corpus (an embedder change).
  const lexiconText =
    previous?.manifest.contentHash === contentHash && previous.files.has(LEXICON_FILE) ? previous.files.get(LEXICON_FILE)!.toString('utf8') : serializeLexicon(await buildTranslationLexicon(corpus))
  const translator = new QueryTranslator(() => savedLexiconLookup(lexiconText))

  const embeddings = embeddingsOfCorpus ?? (await options.createEmbeddings({ corpus: terms, translator }))
  const embedder = { id: embeddings.id, dimensions: await embeddings.dimensions() }
  logger.info({ reason: staleness, chunks: chunks.length, embedder: embedder.id }, 'building the search index')

  let vectorStore: VectorStore
  let embeddedChunks = 0
  let similarityCalibration: SimilarityCalibration | undefined
  if (embeddings instanceof OfflineEmbeddings) {
    // Its vectors are made from the terms, in milliseconds; what an ingest spares is tokenizing.
    embeddedChunks = chunks.filter((_, index) => reusedPosition(index) === undefined).length
    options.onEmbeddingProgress?.(chunks.length, chunks.length)
    vectorStore = SparseVectorStore.fromRows(embeddings, embedder.dimensions, chunkDocuments(chunks, corpus), embeddings.embedCountedPassages(terms))
  } else {
    const vectors = await denseVectors(embeddings, embedder, corpus, previous, reusedPosition, options.onEmbeddingProgress)
    embeddedChunks = vectors.embedded
    const store = HnswVectorStore.create(embeddings, { dimensions: embedder.dimensions }, chunks.length)
    await store.addVectors(vectors.vectors, chunkDocuments(chunks, corpus))
    vectorStore = store
    similarityCalibration = isNeuralEmbedder(embedder.id) ? await calibrateSimilarity(embeddings, chunks, vectors.vectors) : undefined
    if (similarityCalibration) logger.info({ similarityCalibration }, 'similarity calibrated')
  }

  const outlines = reuseOutlines(documents, previous, hashes)
  const sentencePairsFile = encodeSentencePairs(countSentencePairs(documents))
  const changes: IndexChanges = { ...documentChangeList, embeddedChunks, chunks: chunks.length }
  const described: Omit<IndexManifest, 'files'> = {
    formatVersion: INDEX_FORMAT_VERSION,
    embedder,
    contentHash,
    chunking,
    chunkCount: chunks.length,
    documents: hashes,
    similarityCalibration,
    createdAt: new Date().toISOString(),
  }
  let manifest: IndexManifest
  let unsaved: string | undefined
  try {
    manifest = await writeIndexAtomically(directory, async (folder) => {
      if (vectorStore instanceof HnswVectorStore) await vectorStore.save(folder)
      await writeFile(join(folder, CHUNKS_FILE), serializeChunks(chunks, documents))
      await writeFile(join(folder, TERMS_FILE), terms.encode())
      await writeFile(join(folder, LEXICON_FILE), lexiconText)
      await writeFile(join(folder, OUTLINE_FILE), serializeOutlines(outlines))
      await writeFile(join(folder, SENTENCE_PAIRS_FILE), sentencePairsFile)
      return described
    })
  } catch (error) {
    // A read-only, full or missing disk must not keep the service from answering: it serves this
    // index from memory, and the next start tries to write it again.
    const { code } = error as NodeJS.ErrnoException
    unsaved = `could not save the index in ${directory} (${code ?? (error as Error).message})`
    logger.warn({ err: error, directory, code }, `Index: ${unsaved}; serving it from memory, it will be rebuilt at the next start`)
    manifest = { ...described, files: {} }
  }
  const sentencePairs = decodeSentencePairs(sentencePairsFile)
  return { chunks, terms, vectorStore, embeddings, translator, manifest, similarityCalibration, outlines, sentencePairs, origin: 'built', rebuildReason: staleness, changes, ...(unsaved ? { unsaved } : {}) }
}

/** Vectors of a neural embedder: the stored index's for chunks it holds (same embedder), new ones for the rest. */
async function denseVectors(
  embeddings: CiteqaEmbeddings,
  embedder: IndexManifest['embedder'],
  corpus: string[],
  previous: StoredIndex | undefined,
  reusedPosition: (index: number) => number | undefined,
  onProgress?: (done: number, total: number) => void,
): Promise<{ vectors: number[][]; embedded: number }> {
  let stored: HnswVectorStore | undefined
  const sameEmbedder = previous && previous.manifest.embedder.id === embedder.id && previous.manifest.embedder.dimensions === embedder.dimensions
  if (sameEmbedder && Object.hasOwn(previous.manifest.files, GRAPH_FILE)) {
    const count = previous.manifest.chunkCount
    const placeholders = Array.from({ length: count }, () => ({ pageContent: '', metadata: {} }))
    stored = await HnswVectorStore.load(previous.folder, embeddings, { dimensions: embedder.dimensions }, placeholders).catch(() => undefined)
  }
  const vectors: (number[] | undefined)[] = corpus.map((_, index) => {
    const position = reusedPosition(index)
    return stored && position !== undefined ? stored.vectorAt(position) : undefined
  })
  const missing = vectors.flatMap((vector, index) => (vector ? [] : [index]))
  const fresh = await embedInBatches(embeddings, missing.map((index) => corpus[index]), onProgress)
  missing.forEach((index, offset) => (vectors[index] = fresh[offset]))
  return { vectors: vectors as number[][], embedded: missing.length }
}

/** Each document's outline: the stored one when the document is unchanged, else built now. */
function reuseOutlines(documents: ArticleDocument[], previous: StoredIndex | undefined, hashes: Record<string, string>): DocumentOutline[] {
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
