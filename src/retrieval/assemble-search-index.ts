import { isNeuralEmbedder, type CiteqaEmbeddings } from '../embeddings/citeqa-embeddings.ts'
import { chunkParagraphs } from '../ingest/chunk-paragraphs.ts'
import type { DocumentOutline } from '../ingest/document-outline.ts'
import type { Chunk } from '../ingest/types.ts'
import { buildTranslationLexicon } from '../text/build-translation-lexicon.ts'
import { QueryTranslator } from '../text/query-translator.ts'
import { countSentencePairs, encodeSentencePairs } from '../text/sentence-pairs.ts'
import { savedLexiconLookup, serializeLexicon } from '../text/translation-lexicon.ts'
import { documentChanges, type IndexChanges } from './index-changes.ts'
import { INDEX_FORMAT_VERSION, type IndexManifest } from './index-manifest.ts'
import { outlinesWithReuse, reusedLexicon, termsWithReuse } from './index-reuse.ts'
import { passageText } from './passage-text.ts'
import { calibrateSimilarity, type SimilarityCalibration } from './similarity-calibration.ts'
import type { StoredIndex } from './stored-index.ts'
import type { TermIndex } from './term-index.ts'
import type { OpenSearchIndexOptions } from './types.ts'
import { buildVectorStore, type BuiltVectorStore } from './vector-storage.ts'

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

/** Everything an index holds, made in memory, before a store keeps it (files in a folder, or tables in PostgreSQL). */
export interface AssembledSearchIndex {
  chunks: Chunk[]
  /** Each chunk's passage text (passageText), in chunk order. */
  corpus: string[]
  terms: TermIndex
  /** The translation lexicon, in its saved form. */
  lexiconText: string
  translator: QueryTranslator
  embeddings: CiteqaEmbeddings
  vectors: BuiltVectorStore
  similarityCalibration?: SimilarityCalibration
  outlines: DocumentOutline[]
  /** The sentence-pair statistics, in their saved form. */
  sentencePairsFile: Buffer
  changes: IndexChanges
  /** The manifest but for the checksums of the files a store writes. */
  described: Omit<IndexManifest, 'files'>
}

/**
 * Makes an index in memory — chunks, their terms and vectors, the lexicon, outlines and sentence
 * pairs — reusing what the replaced index holds for unchanged chunks and documents. Both stores
 * build through this, so they index exactly the same chunks and terms.
 */
export async function assembleSearchIndex(options: OpenSearchIndexOptions, { contentHash, staleness, reusable: previous, previousDocuments, embeddingsOfCorpus }: BuildInputs): Promise<AssembledSearchIndex> {
  const { documents, chunking, logger } = options
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
  return { chunks, corpus, terms, lexiconText, translator, embeddings, vectors, similarityCalibration, outlines, sentencePairsFile, changes, described }
}
