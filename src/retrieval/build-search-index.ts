import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { isNeuralEmbedder, type CiteqaEmbeddings } from '../embeddings/citeqa-embeddings.ts'
import { chunkParagraphs } from '../ingest/chunk-paragraphs.ts'
import { buildTranslationLexicon } from '../text/build-translation-lexicon.ts'
import { QueryTranslator } from '../text/query-translator.ts'
import { countSentencePairs, decodeSentencePairs, encodeSentencePairs } from '../text/sentence-pairs.ts'
import { savedLexiconLookup, serializeLexicon } from '../text/translation-lexicon.ts'
import { writeIndexAtomically } from './atomic-index-write.ts'
import { CHUNKS_FILE, serializeChunks } from './chunk-file.ts'
import { documentChanges, type IndexChanges } from './index-changes.ts'
import { INDEX_FORMAT_VERSION, type IndexManifest } from './index-manifest.ts'
import { outlinesWithReuse, reusedLexicon, termsWithReuse } from './index-reuse.ts'
import { OUTLINE_FILE, serializeOutlines } from './outline-file.ts'
import { passageText } from './passage-text.ts'
import { calibrateSimilarity } from './similarity-calibration.ts'
import { LEXICON_FILE, SENTENCE_PAIRS_FILE, TERMS_FILE, type StoredIndex } from './stored-index.ts'
import type { OpenSearchIndexOptions, SearchIndex } from './types.ts'
import { buildVectorStore } from './vector-storage.ts'

/** What a build starts from, besides the options. */
export interface BuildInputs {
  contentHash: string
  /** Why the index is built (logged, and reported as `rebuildReason`). */
  staleness: string
  /** The index replaced, when the build may reuse what it holds (see index-reuse.ts). */
  reusable: StoredIndex | undefined
  /** The replaced index's per-document hashes, for what changed, reused or not (undefined: there was none). */
  previousDocuments: Record<string, string> | undefined
  /** Set when the stored index is of this corpus but not of this embedder: the embedder made for it serves the build. */
  embeddingsOfCorpus: CiteqaEmbeddings | undefined
}

/**
 * Builds the index — chunks, their terms and vectors, the lexicon, outlines and sentence pairs —
 * and writes it atomically. When it cannot be written (read-only, full or missing disk) it is
 * served from memory, with one warning and `unsaved` saying why.
 */
export async function buildSearchIndex(options: OpenSearchIndexOptions, { contentHash, staleness, reusable: previous, previousDocuments, embeddingsOfCorpus }: BuildInputs): Promise<SearchIndex> {
  const { directory, documents, chunking, logger } = options
  const chunks = chunkParagraphs(documents.flatMap((document) => document.paragraphs), chunking)
  const corpus = chunks.map(passageText)
  const { hashes, ...documentChangeList } = documentChanges(documents, previousDocuments)
  const { terms, reusedPosition } = termsWithReuse(chunks, corpus, previous)

  const lexiconText = reusedLexicon(previous, contentHash) ?? serializeLexicon(await buildTranslationLexicon(corpus))
  const translator = new QueryTranslator(() => savedLexiconLookup(lexiconText))

  const embeddings = embeddingsOfCorpus ?? (await options.createEmbeddings({ corpus: terms, translator }))
  const embedder = { id: embeddings.id, dimensions: await embeddings.dimensions() }
  logger.info({ reason: staleness, chunks: chunks.length, embedder: embedder.id }, 'building the search index')

  const vectors = await buildVectorStore({ embeddings, embedder, passages: { chunks, corpus, terms }, previous, reusedPosition, onProgress: options.onEmbeddingProgress })
  const similarityCalibration = vectors.denseVectors && isNeuralEmbedder(embedder.id) ? await calibrateSimilarity(embeddings, chunks, vectors.denseVectors) : undefined
  if (similarityCalibration) logger.info({ similarityCalibration }, 'similarity calibrated')

  const outlines = outlinesWithReuse(documents, previous, hashes)
  const sentencePairsFile = encodeSentencePairs(countSentencePairs(documents))
  const changes: IndexChanges = { ...documentChangeList, embeddedChunks: vectors.embeddedChunks, chunks: chunks.length }
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
      await vectors.save(folder)
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
  const { vectorStore } = vectors
  return { chunks, terms, vectorStore, embeddings, translator, manifest, similarityCalibration, outlines, sentencePairs, origin: 'built', rebuildReason: staleness, changes, ...(unsaved ? { unsaved } : {}) }
}
