import type pg from 'pg'
import type { SparseRows } from '../../embeddings/passage-vectors.ts'
import type { ArticleDocument } from '../../ingest/types.ts'
import type { AssembledSearchIndex } from '../assemble-search-index.ts'
import { averageChunkLength, inverseDocumentFrequency } from '../keyword-index.ts'
import { OUTLINE_FILE, serializeOutlines } from '../outline-file.ts'
import { LEXICON_FILE, SENTENCE_PAIRS_FILE, TERMS_FILE } from '../stored-index.ts'
import { createGenerationIndexes, createGenerationTables, type VectorKind } from './generation-tables.ts'
import type { TermIndex } from '../term-index.ts'
import { identifier } from './postgres-connection.ts'

/** Rows a single INSERT carries (as arrays through unnest): large enough to be fast, small enough for a bounded message. */
const ROWS_PER_INSERT = 2000

/** pgvector's text form of a dense vector. */
export function denseVectorLiteral(vector: ArrayLike<number>): string {
  return `[${Array.from(vector).join(',')}]`
}

/** pgvector's text form of row `row` of sparse vectors: `{index:value,…}/dimensions`, indices from 1. */
export function sparseVectorLiteral(rows: SparseRows, row: number, dimensions: number): string {
  const entries: string[] = []
  for (let entry = rows.starts[row]; entry < rows.starts[row + 1]; entry++) entries.push(`${rows.indices[entry] + 1}:${rows.values[entry]}`)
  return `{${entries.join(',')}}/${dimensions}`
}

/** The vector kind and each chunk's vector literal, from the embedder that built the index. */
function vectorLiterals(index: AssembledSearchIndex): { kind: VectorKind; literal: (ordinal: number) => string } {
  const { dimensions } = index.described.embedder
  const source = index.embeddings.passageVectors()
  if (source.from === 'term-counts') {
    const rows = source.embed(index.terms)
    return { kind: 'sparse', literal: (ordinal) => sparseVectorLiteral(rows, ordinal, dimensions) }
  }
  const dense = index.vectors.denseVectors
  if (!dense) throw new Error('Index: a text embedder built no dense vectors')
  return { kind: 'dense', literal: (ordinal) => denseVectorLiteral(dense[ordinal]) }
}

async function insertInBatches(count: number, insertBatch: (start: number, end: number) => Promise<void>): Promise<void> {
  for (let start = 0; start < count; start += ROWS_PER_INSERT) await insertBatch(start, Math.min(count, start + ROWS_PER_INSERT))
}

function range(start: number, end: number): number[] {
  return Array.from({ length: end - start }, (_, offset) => start + offset)
}

/** Postings a single INSERT carries. */
const POSTINGS_PER_INSERT = 50_000

/** Every term's postings (term, chunk, tf, chunk length), term after term, in batches. */
async function insertPostingsInTermOrder(client: pg.ClientBase, s: string, terms: TermIndex): Promise<void> {
  const batch = { termIds: [] as number[], chunkOrdinals: [] as number[], frequencies: [] as number[], lengths: [] as number[] }
  const flush = async () => {
    if (batch.termIds.length === 0) return
    await client.query(`INSERT INTO ${s}.chunk_terms (term_id, chunk_ordinal, frequency, chunk_length) SELECT * FROM unnest($1::int[], $2::int[], $3::int[], $4::int[])`, [
      batch.termIds,
      batch.chunkOrdinals,
      batch.frequencies,
      batch.lengths,
    ])
    for (const column of Object.values(batch)) column.length = 0
  }
  for (let term = 0; term < terms.terms.length; term++) {
    terms.forEachChunkWith(term, (chunk, count) => {
      batch.termIds.push(term)
      batch.chunkOrdinals.push(chunk)
      batch.frequencies.push(count)
      batch.lengths.push(terms.distinctTermCount(chunk))
    })
    if (batch.termIds.length >= POSTINGS_PER_INSERT) await flush()
  }
  await flush()
}

/**
 * Writes an assembled index into a generation's (empty) schema: documents, paragraphs, chunks
 * with their vectors and search terms, the terms with their document frequencies, the postings,
 * and what the service keeps in memory; then the indexes, and ANALYZE so the planner knows the
 * tables before the first question.
 */
export async function writeGeneration(client: pg.ClientBase, schema: string, documents: ArticleDocument[], index: AssembledSearchIndex): Promise<void> {
  const s = identifier(schema)
  const { chunks, terms } = index
  const vectors = vectorLiterals(index)
  await createGenerationTables(client, schema, { kind: vectors.kind, dimensions: index.described.embedder.dimensions })

  await client.query(`INSERT INTO ${s}.index_info (manifest, vector_kind, chunk_count, average_length) VALUES ($1, $2, $3, $4)`, [
    JSON.stringify({ ...index.described, files: {} }),
    vectors.kind,
    chunks.length,
    averageChunkLength(terms),
  ])

  const positions = new Map(documents.map((document, position) => [document.id, position]))
  const hashes = index.described.documents
  await insertInBatches(documents.length, (start, end) => {
    const batch = documents.slice(start, end)
    return client
      .query(`INSERT INTO ${s}.documents (position, id, content_hash, description) SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::jsonb[])`, [
        range(start, end),
        batch.map((document) => document.id),
        batch.map((document) => hashes[document.id]),
        batch.map(({ paragraphs: _paragraphs, ...description }) => JSON.stringify(description)),
      ])
      .then(() => undefined)
  })
  const paragraphs = documents.flatMap((document, position) => document.paragraphs.map((paragraph) => ({ position, paragraph })))
  await insertInBatches(paragraphs.length, async (start, end) => {
    const batch = paragraphs.slice(start, end)
    await client.query(`INSERT INTO ${s}.paragraphs (document_position, number, text, section, kind, page) SELECT * FROM unnest($1::int[], $2::int[], $3::text[], $4::text[], $5::text[], $6::int[])`, [
      batch.map(({ position }) => position),
      batch.map(({ paragraph }) => paragraph.number),
      batch.map(({ paragraph }) => paragraph.text),
      batch.map(({ paragraph }) => paragraph.section),
      batch.map(({ paragraph }) => paragraph.kind),
      batch.map(({ paragraph }) => paragraph.page ?? null),
    ])
  })

  await insertInBatches(chunks.length, async (start, end) => {
    const ordinals = range(start, end)
    // Terms hold no line break (TermIndex refuses them), so a chunk's terms travel as one string.
    const searchTerms = ordinals.map((ordinal) => {
      const lexemes: string[] = []
      terms.forEachTermOf(ordinal, (term) => lexemes.push(terms.terms[term]))
      return lexemes.join('\n')
    })
    await client.query(
      `INSERT INTO ${s}.chunks (ordinal, id, document_position, paragraph, start_offset, end_offset, length, search_terms, embedding)
       SELECT ordinal, id, document_position, paragraph, start_offset, end_offset, length,
              CASE WHEN lexemes = '' THEN ''::tsvector ELSE array_to_tsvector(string_to_array(lexemes, E'\\n')) END,
              embedding::${vectors.kind === 'dense' ? 'vector' : 'sparsevec'}
       FROM unnest($1::int[], $2::text[], $3::int[], $4::int[], $5::int[], $6::int[], $7::int[], $8::text[], $9::text[])
         AS rows (ordinal, id, document_position, paragraph, start_offset, end_offset, length, lexemes, embedding)`,
      [
        ordinals,
        ordinals.map((ordinal) => chunks[ordinal].id),
        ordinals.map((ordinal) => positions.get(chunks[ordinal].docId)!),
        ordinals.map((ordinal) => chunks[ordinal].paragraph),
        ordinals.map((ordinal) => chunks[ordinal].start),
        ordinals.map((ordinal) => chunks[ordinal].end),
        ordinals.map((ordinal) => terms.distinctTermCount(ordinal)),
        searchTerms,
        ordinals.map(vectors.literal),
      ],
    )
  })

  // Term by term, so that each term's postings are written together (see generation-tables.ts).
  await insertPostingsInTermOrder(client, s, terms)

  await insertInBatches(terms.terms.length, async (start, end) => {
    const ids = range(start, end)
    const frequencies = ids.map((term) => terms.documentFrequency(term))
    await client.query(`INSERT INTO ${s}.terms (term_id, term, document_frequency, idf) SELECT * FROM unnest($1::int[], $2::text[], $3::int[], $4::float8[])`, [
      ids,
      ids.map((term) => terms.terms[term]),
      frequencies,
      frequencies.map((frequency) => inverseDocumentFrequency(chunks.length, frequency)),
    ])
  })

  const files: [string, Buffer][] = [
    [TERMS_FILE, terms.encode()],
    [LEXICON_FILE, Buffer.from(index.lexiconText, 'utf8')],
    [OUTLINE_FILE, Buffer.from(serializeOutlines(index.outlines), 'utf8')],
    [SENTENCE_PAIRS_FILE, index.sentencePairsFile],
  ]
  for (const [name, content] of files) await client.query(`INSERT INTO ${s}.index_files (name, content) VALUES ($1, $2)`, [name, content])

  await createGenerationIndexes(client, schema, vectors.kind, chunks.length)
  // VACUUM marks the postings' pages all-visible, which lets BM25 read them from their index alone.
  await client.query(`VACUUM (ANALYZE) ${s}.chunk_terms`)
  await client.query(`ANALYZE ${s}.chunks; ANALYZE ${s}.terms; ANALYZE ${s}.documents; ANALYZE ${s}.paragraphs`)
}
