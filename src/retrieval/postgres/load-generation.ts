import type pg from 'pg'
import { pageOf } from '../../ingest/chunk-paragraphs.ts'
import type { ArticleDocument, Chunk, Paragraph } from '../../ingest/types.ts'
import { QueryTranslator } from '../../text/query-translator.ts'
import { decodeSentencePairs } from '../../text/sentence-pairs.ts'
import { savedLexiconLookup } from '../../text/translation-lexicon.ts'
import { CiteqaError } from '../../errors.ts'
import type { IndexManifest } from '../index-manifest.ts'
import { OUTLINE_FILE, parseOutlines } from '../outline-file.ts'
import { passageText } from '../passage-text.ts'
import { LEXICON_FILE, SENTENCE_PAIRS_FILE, TERMS_FILE } from '../stored-index.ts'
import { TermIndex } from '../term-index.ts'
import type { OpenSearchIndexOptions, SearchIndex } from '../types.ts'
import type { VectorKind } from './generation-tables.ts'
import { PgvectorStore } from './pgvector-store.ts'
import { identifier } from './postgres-connection.ts'
import { PostgresKeywordSearch } from './postgres-keyword-search.ts'

/** What loading a generation needs of the index options: the embedder and the logger. */
export type GenerationLoadOptions = Pick<OpenSearchIndexOptions, 'createEmbeddings' | 'logger'>

/** The generation's documents, with their paragraphs, in their indexed order. */
async function readDocuments(pool: pg.Pool, s: string): Promise<ArticleDocument[]> {
  const { rows: documentRows } = await pool.query(`SELECT position, description FROM ${s}.documents ORDER BY position`)
  const documents: ArticleDocument[] = documentRows.map(({ description }) => ({ ...description, paragraphs: [] }))
  const { rows: paragraphRows } = await pool.query(`SELECT document_position, number, text, section, kind, page FROM ${s}.paragraphs ORDER BY document_position, number`)
  for (const row of paragraphRows) {
    const document = documents[row.document_position]
    const paragraph: Paragraph = { docId: document.id, number: row.number, text: row.text, section: row.section, kind: row.kind, ...(row.page === null ? {} : { page: row.page }) }
    document.paragraphs.push(paragraph)
  }
  return documents
}

/**
 * The service's view of one generation: its documents, chunks, outlines, lexicon and term counts
 * read into memory (what the answerer and the offline embedder read for every question), and the
 * searches — BM25 and vectors — answered by SQL against the generation's tables. Every search goes
 * to this generation's schema, so a request answered from this index reads one generation only.
 */
export async function loadGeneration(pool: pg.Pool, schema: string, options: GenerationLoadOptions): Promise<SearchIndex> {
  const s = identifier(schema)
  const { rows: infoRows } = await pool.query(`SELECT manifest, vector_kind, chunk_count, average_length FROM ${s}.index_info`)
  if (infoRows.length !== 1) throw new CiteqaError('index_corrupt', `Index: generation ${schema} has ${infoRows.length} index_info rows, expected 1`)
  const manifest = infoRows[0].manifest as IndexManifest
  const kind = infoRows[0].vector_kind as VectorKind
  const averageLength = Number(infoRows[0].average_length)

  const documents = await readDocuments(pool, s)
  const { rows: chunkRows } = await pool.query(`SELECT ordinal, id, document_position, paragraph, start_offset, end_offset FROM ${s}.chunks ORDER BY ordinal`)
  const chunks: Chunk[] = chunkRows.map((row, position) => {
    const paragraph = documents[row.document_position]?.paragraphs[row.paragraph - 1]
    if (row.ordinal !== position || !paragraph) throw new CiteqaError('index_corrupt', `Index: chunk ${row.id} of generation ${schema} points at paragraph ${row.paragraph} of document ${row.document_position}, which it does not hold`)
    return { id: row.id, docId: paragraph.docId, paragraph: row.paragraph, section: paragraph.section, text: paragraph.text.slice(row.start_offset, row.end_offset), start: row.start_offset, end: row.end_offset, ...pageOf(paragraph) }
  })
  if (chunks.length !== infoRows[0].chunk_count) throw new CiteqaError('index_corrupt', `Index: generation ${schema} holds ${chunks.length} chunks, its index_info says ${infoRows[0].chunk_count}`)

  const { rows: fileRows } = await pool.query(`SELECT name, content FROM ${s}.index_files`)
  const files = new Map<string, Buffer>(fileRows.map(({ name, content }) => [name, content]))
  const file = (name: string) => {
    const content = files.get(name)
    if (!content) throw new CiteqaError('index_corrupt', `Index: generation ${schema} has no ${name}`)
    return content
  }
  const terms = TermIndex.decode(file(TERMS_FILE))
  if (terms.chunkCount !== chunks.length) throw new CiteqaError('index_corrupt', `Index: generation ${schema} has terms of ${terms.chunkCount} chunks for ${chunks.length} chunks`)
  const lexicon = file(LEXICON_FILE).toString('utf8')
  const translator = new QueryTranslator(() => savedLexiconLookup(lexicon))
  const outlines = parseOutlines(file(OUTLINE_FILE).toString('utf8'), documents)
  if (!outlines.outlines) throw new CiteqaError('index_corrupt', `Index: generation ${schema}: ${outlines.problem}; run npm run ingest to build a new generation`)
  const sentencePairs = decodeSentencePairs(file(SENTENCE_PAIRS_FILE))

  const embeddings = await options.createEmbeddings({ corpus: terms, translator })
  const dimensions = await embeddings.dimensions()
  if (embeddings.id !== manifest.embedder.id || dimensions !== manifest.embedder.dimensions) {
    throw new CiteqaError(
      'index_embedder_mismatch',
      `Index: generation ${schema} was built with ${manifest.embedder.id}/${manifest.embedder.dimensions}, this service embeds with ${embeddings.id}/${dimensions}`,
      { hint: 'Set EMBEDDINGS (and EMBEDDING_MODEL) as the ingest had them, or publish a new generation with npm run ingest.' },
    )
  }
  const chunkDocuments = chunks.map((chunk) => ({ pageContent: passageText(chunk), metadata: { ...chunk } }))
  return {
    chunks,
    terms,
    vectorStore: new PgvectorStore(embeddings, pool, schema, kind, dimensions, chunkDocuments),
    keywordSearch: new PostgresKeywordSearch(pool, schema, chunks, averageLength),
    embeddings,
    translator,
    manifest,
    similarityCalibration: manifest.similarityCalibration,
    outlines: outlines.outlines,
    sentencePairs,
    documents,
    generation: schema,
    origin: 'loaded',
  }
}
