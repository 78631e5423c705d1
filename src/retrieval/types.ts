import type { VectorStore } from '@langchain/core/vectorstores'
import type { CiteqaEmbeddings } from '../embeddings/citeqa-embeddings.ts'
import type { EmbeddingsContext } from '../embeddings/create-embeddings.ts'
import type { ChunkingOptions } from '../ingest/chunk-paragraphs.ts'
import type { DocumentOutline } from '../ingest/document-outline.ts'
import type { ArticleDocument, Chunk } from '../ingest/types.ts'
import type { Logger } from '../logger.ts'
import type { QueryTranslator } from '../text/query-translator.ts'
import type { SentencePairStatistics } from '../text/sentence-pairs.ts'
import type { IndexChanges } from './index-changes.ts'
import type { IndexManifest } from './index-manifest.ts'
import type { KeywordSearch } from './keyword-search.ts'
import type { SimilarityCalibration } from './similarity-calibration.ts'
import type { TermIndex } from './term-index.ts'

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

/** The searchable state of the service: chunks, their vectors, and what built them. */
export interface SearchIndex {
  chunks: Chunk[]
  /** Each chunk's search terms, stored with the index: BM25 and the offline embedder read them. */
  terms: TermIndex
  /**
   * The vectors, reached only through LangChain's VectorStore interface: the store the embedder's
   * vectors need (vector-storage.ts) — exact sparse search for the offline embedder, HNSW
   * (hnswlib) for a neural one's dense vectors.
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
  /**
   * The keyword (BM25) search over the chunks when the store answers it itself (SQL, for the
   * `postgres` store); undefined: the retriever searches `terms` in memory (KeywordIndex).
   */
  keywordSearch?: KeywordSearch
  /**
   * The documents the index was built from, when the store holds them (the `postgres` store: a
   * replica serves the documents of the generation it reads, not its own files); undefined: the
   * documents it was opened with.
   */
  documents?: ArticleDocument[]
  /** The index generation this is (the `postgres` store's schema, e.g. `citeqa_g12`); undefined for the `files` store. */
  generation?: string
  /** `loaded` from disk, or `built` now (then `rebuildReason` says why, and `changes` what changed). */
  origin: 'loaded' | 'built'
  rebuildReason?: string
  changes?: IndexChanges
  /** Set when a built index could not be saved (read-only, full or missing folder): why. It is served from memory. */
  unsaved?: string
}
