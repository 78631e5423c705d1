import { basename, join } from 'node:path'
import { answerAboutDocument, subjectNamesOf } from './answer/document-questions.ts'
import { AnswerCache, DEFAULT_ANSWER_CACHE_SIZE } from './ask/answer-cache.ts'
import { DEFAULT_TOP_K, type AnsweringService } from './ask/types.ts'
import { DocumentOverview, type OverviewRequest } from './answer/document-overview.ts'
import { ExtractiveAnswerer, type ExtractiveAnswererOptions } from './answer/extractive-answerer.ts'
import type { GroundedAnswer } from './answer/types.ts'
import type { Config } from './config.ts'
import { createEmbeddings } from './embeddings/create-embeddings.ts'
import { CiteqaError } from './errors.ts'
import { createChatModel, describeChatModel } from './llm/chat-model.ts'
import { supportScorerFor } from './llm/cross-lingual-support.ts'
import { DocumentSummaries } from './llm/document-summaries.ts'
import type { SummaryCache } from './llm/summary-cache.ts'
import { LlmAnswerer } from './llm/llm-answerer.ts'
import { LlmConcurrencyLimit } from './llm/llm-concurrency.ts'
import { loadDocuments } from './ingest/load-documents.ts'
import type { DocumentOutline } from './ingest/document-outline.ts'
import type { ArticleDocument, Paragraph } from './ingest/types.ts'
import type { Logger } from './logger.ts'
import { HybridRetriever, type RetrievedPassage } from './retrieval/hybrid-retriever.ts'
import { openSearchIndex, passageText, type OpenSearchIndexOptions, type SearchIndex } from './retrieval/search-index.ts'
import { TermStatistics } from './retrieval/term-statistics.ts'
import { loadCachedGlossDictionary } from './text/gloss-dictionary.ts'

/** Capitalized words of an English question after its first word (Qingxi, Nanling): the names it gives. */
function englishNamesIn(question: string): string[] {
  return [...question.matchAll(/(?<=\s)[A-Z][a-z]+/g)].map((match) => match[0].toLowerCase())
}

/** The subfolder of INDEX_DIR where long documents' LLM summaries are cached. */
export const SUMMARY_FOLDER = 'summaries'

/** Options of the {@link Citeqa} service beyond its documents, index and LLM. */
export interface CiteqaOptions {
  /** Tuning of the extractive answerer (evaluation sweeps). Default: its defaults. */
  answerer?: Partial<ExtractiveAnswererOptions>
  /** Where long documents' summaries are cached (`<INDEX_DIR>/summaries`). Default: kept in memory only. */
  summaryDirectory?: string
  /** Where they are cached instead of `summaryDirectory` (PostgreSQL with INDEX_STORE=postgres, shared by the replicas). */
  summaryCache?: SummaryCache
  /** Extractive answers kept for questions asked again (ANSWER_CACHE_SIZE; 0 keeps none). Default 1000. */
  answerCacheSize?: number
}

/** Options of {@link createCiteqa} beyond the config. */
export interface CreateCiteqaOptions {
  logger: Logger
  forceRebuild?: boolean
  /** Tuning of the extractive answerer (evaluation sweeps); the defaults otherwise. */
  answerer?: Partial<ExtractiveAnswererOptions>
  onEmbeddingProgress?: (done: number, total: number) => void
  /**
   * With INDEX_STORE=postgres, which generation serves (see PostgresIndexOptions.generation). Default
   * `active`: what an ingest published, whatever documents this process read.
   */
  generation?: 'active' | 'publish' | 'unpublished'
  /** The documents to serve, already read. Default: ARTICLE_PATH's. */
  documents?: ArticleDocument[]
}

/**
 * The question-answering service: the documents, their index, the retriever and the answerer,
 * assembled once. The HTTP app, the CLI and the evaluation all ask through it.
 */
export class Citeqa implements AnsweringService {
  readonly retriever: HybridRetriever
  /** Questions about a whole document or one of its sections, answered from the outlines. */
  readonly overview: DocumentOverview
  private readonly answerer: ExtractiveAnswerer
  /** Long documents' map-reduce summaries for LLM whole-document answers (only with an LLM). */
  readonly summaries?: DocumentSummaries
  /** Extractive answers given lately, for questions asked again. */
  readonly answerCache: AnswerCache

  constructor(
    readonly documents: ArticleDocument[],
    readonly index: SearchIndex,
    /** The chat model of `mode: "llm"`; undefined when LLM_PROVIDER=none. */
    readonly llm?: LlmAnswerer,
    private readonly options: CiteqaOptions = {},
  ) {
    const { answerer: answererOptions = {}, summaryDirectory, summaryCache, answerCacheSize = DEFAULT_ANSWER_CACHE_SIZE } = options
    this.answerCache = new AnswerCache(answerCacheSize)
    this.retriever = new HybridRetriever(index)
    this.overview = new DocumentOverview(documents, index.outlines, index.translator)
    if (llm) {
      const scorer = supportScorerFor(index)
      this.summaries = new DocumentSummaries({ directory: summaryDirectory, cache: summaryCache, llm, scorerFor: (answer, passages) => scorer.forAnswer(answer, passages) })
    }
    this.answerer = new ExtractiveAnswerer(documents, new TermStatistics(index.chunks.map(passageText)), index.translator, answererOptions, index.sentencePairs, loadCachedGlossDictionary)
  }

  /**
   * The same service over other documents and their index: the LLM (and so its concurrency limit
   * and metrics) and the options are kept; the answer cache starts empty, as answers may change.
   */
  withDocuments(documents: ArticleDocument[], index: SearchIndex): Citeqa {
    return new Citeqa(documents, index, this.llm, this.options)
  }

  get embedderId(): string {
    return this.index.embeddings.id
  }

  /** What each document is called, as a person would name it: its outline's title (its title line, or the thesis's), else its id. */
  get documentTitles(): string[] {
    return this.documents.map((document) => this.overview.outlineOf(document.id)?.title?.text ?? document.id)
  }

  /**
   * What a reader sees a document called: its outline's title (its title line, or the thesis's),
   * the title its file declares (an HTML page's, a PDF's), else its file name — never its bare id.
   */
  documentTitle(docId: string): string {
    const document = this.document(docId)
    return this.overview.outlineOf(document.id)?.title?.text ?? document.metadata.title?.value ?? document.declared?.title ?? basename(document.source)
  }

  /** The default document: the only one, or the first by file name. */
  get defaultDocumentId(): string {
    return this.documents[0].id
  }

  async retrieve(question: string, topK = DEFAULT_TOP_K): Promise<RetrievedPassage[]> {
    return this.retriever.retrieve(question, topK)
  }

  /** The answer to a question about a document itself (its author, title, source, date) from its metadata, if it is one. */
  answerAboutDocument(question: string): GroundedAnswer | undefined {
    // An English question names the document's subject in pinyin (Qingxi town): its Chinese names come from the index's lexicon.
    return answerAboutDocument(question, this.documents, (asked) => [...subjectNamesOf(asked), ...englishNamesIn(asked).flatMap((word) => this.index.translator.chineseTermsFor(word))])
  }

  /** The extractive answer over passages already retrieved (also the LLM mode's fallback); questions about the document itself are answered before retrieval (see answerAboutDocument). */
  answerExtractively(question: string, passages: RetrievedPassage[]): GroundedAnswer {
    const { answer, answerable, citations } = this.answerer.answer(question, passages)
    return { answer, answerable, citations }
  }

  /** What a question asks of the documents' outlines (whole document, one section, the list of documents), or undefined for a question about a passage. */
  overviewRequest(question: string): OverviewRequest | undefined {
    return this.overview.requestFor(question)
  }

  /** A document's outline (title, thesis, sections, items) as stored in the index; throws a 404 error like {@link document}. */
  outline(docId = this.defaultDocumentId): DocumentOutline {
    const document = this.document(docId)
    return this.overview.outlineOf(document.id)!
  }

  /** One document; throws a 404 error naming the document and the known ones when there is none. */
  document(docId = this.defaultDocumentId): ArticleDocument {
    const document = this.documents.find((candidate) => candidate.id === docId)
    if (!document) {
      throw new CiteqaError('unknown_document', `Passages: unknown document "${docId}" (documents: ${this.documents.map((known) => known.id).join(', ')})`, { status: 404 })
    }
    return document
  }

  /** Paragraphs of a document; throws a 404 error naming the document when there is none. */
  paragraphs(docId = this.defaultDocumentId): Paragraph[] {
    return this.document(docId).paragraphs
  }

  /** One paragraph; throws a 404 error naming the number and the paragraph count. */
  paragraph(number: number, docId = this.defaultDocumentId): Paragraph {
    const paragraphs = this.paragraphs(docId)
    const paragraph = paragraphs[number - 1]
    if (!paragraph) {
      throw new CiteqaError('unknown_paragraph', `Passages: unknown paragraph ${number} (document "${docId}" has ${paragraphs.length})`, { status: 404 })
    }
    return paragraph
  }
}

/**
 * Opens (or builds) the documents' index in the configured store (INDEX_STORE: a folder in
 * INDEX_DIR, or a generation in PostgreSQL) with the configured chunking and embedder.
 * `generation` says, for the postgres store, which generation serves (PostgresIndexOptions.generation).
 */
export async function openIndexOf(
  config: Config,
  documents: ArticleDocument[],
  options: Pick<CreateCiteqaOptions, 'logger' | 'forceRebuild' | 'onEmbeddingProgress' | 'generation'> & { reuse?: boolean },
): Promise<SearchIndex> {
  const indexOptions: OpenSearchIndexOptions = {
    directory: config.INDEX_DIR,
    documents,
    chunking: { maxCharacters: config.CHUNK_MAX_CHARACTERS, overlapSentences: config.CHUNK_OVERLAP_SENTENCES },
    createEmbeddings: (context) => createEmbeddings(config, context, options.logger),
    forceRebuild: options.forceRebuild,
    reuse: options.reuse,
    onEmbeddingProgress: options.onEmbeddingProgress,
    logger: options.logger,
  }
  if (config.INDEX_STORE === 'postgres') {
    // Imported here: a service on the files store never loads the PostgreSQL client.
    const { openPostgresIndex } = await import('./retrieval/postgres/postgres-index-store.ts')
    // parseConfig refuses INDEX_STORE=postgres without DATABASE_URL.
    return openPostgresIndex({ ...indexOptions, databaseUrl: config.DATABASE_URL!, graceSeconds: config.INDEX_GENERATION_GRACE_SECONDS, generation: options.generation })
  }
  return openSearchIndex(indexOptions)
}

/** The PostgreSQL summary cache, imported when used: a service on the files store never loads the PostgreSQL client. */
async function postgresSummaryCache(databaseUrl: string): Promise<SummaryCache> {
  const [{ PostgresSummaryCache }, { postgresPool }] = await Promise.all([import('./llm/postgres-summary-cache.ts'), import('./retrieval/postgres/postgres-connection.ts')])
  return new PostgresSummaryCache(postgresPool(databaseUrl))
}

/** Reads the documents, opens (or builds) the index with the configured embedder, and assembles the service. */
export async function createCiteqa(config: Config, options: CreateCiteqaOptions): Promise<Citeqa> {
  const documents = options.documents ?? await loadDocuments(config.ARTICLE_PATH, {
    onSkipped: ({ path, reason }) => options.logger.warn({ file: path, reason }, `Ingest: skipped ${path}: ${reason}`),
  })
  const index = await openIndexOf(config, documents, { ...options, generation: options.generation ?? 'active' })
  options.logger.info(
    { origin: index.origin, reason: index.rebuildReason, chunks: index.chunks.length, embedder: index.embeddings.id, ...(index.generation ? { generation: index.generation } : {}) },
    index.origin === 'loaded' ? 'search index loaded' : 'search index built',
  )
  const chatModel = await createChatModel(config)
  const llm = chatModel
    ? new LlmAnswerer(chatModel, {
        timeoutMs: config.LLM_TIMEOUT_MS,
        maxRetries: config.LLM_MAX_RETRIES,
        description: describeChatModel(config),
        concurrency: new LlmConcurrencyLimit(config.LLM_MAX_CONCURRENCY, config.LLM_MAX_WAIT_MS),
        historyBudget: { maxTurns: config.LLM_HISTORY_MAX_TURNS, maxCharacters: config.LLM_HISTORY_MAX_CHARACTERS },
      })
    : undefined
  if (llm) options.logger.info({ llm: llm.description }, 'LLM answers enabled')
  // The postgres store serves the documents of the generation it reads (another replica's ingest may have published them).
  // With the postgres store, summaries are kept in the database: every replica reads what one built.
  const summaryCache = llm && config.INDEX_STORE === 'postgres' ? await postgresSummaryCache(config.DATABASE_URL!) : undefined
  return new Citeqa(index.documents ?? documents, index, llm, {
    answerer: options.answerer,
    summaryDirectory: join(config.INDEX_DIR, SUMMARY_FOLDER),
    summaryCache,
    answerCacheSize: config.ANSWER_CACHE_SIZE,
  })
}
