import type pg from 'pg'
import { identifier } from './postgres-connection.ts'

/**
 * How a generation keeps its passage vectors, following the embedder (CiteqaEmbeddings.passageVectors):
 * `dense` — a neural model's vectors, pgvector `vector(d)` under an HNSW index (cosine);
 * `sparse` — the offline embedder's hashed TF-IDF vectors (~110 non-zero entries of 1,024), pgvector
 * `sparsevec(d)` searched exactly, as the `files` store searches them: an HNSW graph over vectors
 * that mostly share no dimension finds poor neighbours, and the exact scan is what the offline
 * embedder's answers were tuned on.
 */
export type VectorKind = 'dense' | 'sparse'

/** HNSW settings of the dense vectors: hnswlib's in the `files` store (m 16, ef_construction 200). */
export const HNSW_SETTINGS = { m: 16, efConstruction: 200 }

/** A generation's tables (its schema's), created before its rows are written; indexes come after (createGenerationIndexes). */
export async function createGenerationTables(client: pg.ClientBase, schema: string, vectors: { kind: VectorKind; dimensions: number }): Promise<void> {
  const s = identifier(schema)
  const vectorType = `${vectors.kind === 'dense' ? 'vector' : 'sparsevec'}(${vectors.dimensions})`
  await client.query(`
    -- What the index was built from and with, and the BM25 average chunk length.
    CREATE TABLE ${s}.index_info (
      manifest jsonb NOT NULL,
      vector_kind text NOT NULL,
      chunk_count integer NOT NULL,
      average_length double precision NOT NULL
    );
    CREATE TABLE ${s}.documents (
      position integer PRIMARY KEY,
      id text NOT NULL UNIQUE,
      content_hash text NOT NULL,
      -- The document but for its paragraphs (source, format, declared and found metadata).
      description jsonb NOT NULL
    );
    CREATE TABLE ${s}.paragraphs (
      document_position integer NOT NULL REFERENCES ${s}.documents (position),
      number integer NOT NULL,
      text text NOT NULL,
      section text NOT NULL,
      kind text NOT NULL,
      page integer,
      PRIMARY KEY (document_position, number)
    );
    CREATE TABLE ${s}.chunks (
      ordinal integer PRIMARY KEY,
      id text NOT NULL,
      document_position integer NOT NULL,
      paragraph integer NOT NULL,
      start_offset integer NOT NULL,
      end_offset integer NOT NULL,
      -- BM25's chunk length: its number of distinct search terms (as MiniSearch counted it).
      length integer NOT NULL,
      -- Its search terms (jieba words and #bigrams from tokenizeForSearch) as lexemes, never Postgres's parser.
      search_terms tsvector NOT NULL,
      embedding ${vectorType}
    );
    CREATE TABLE ${s}.terms (
      term_id integer PRIMARY KEY,
      term text NOT NULL,
      document_frequency integer NOT NULL,
      -- ln(1 + (N − df + 0.5) / (df + 0.5)), computed by the same Math.log as the files store so both rank alike to the last bit.
      idf double precision NOT NULL
    );
    CREATE TABLE ${s}.chunk_terms (
      term_id integer NOT NULL,
      chunk_ordinal integer NOT NULL,
      frequency integer NOT NULL
    );
    -- What the service keeps in memory besides the chunks: the lexicon, the outlines, sentence pairs, term counts.
    CREATE TABLE ${s}.index_files (
      name text PRIMARY KEY,
      content bytea NOT NULL
    );
  `)
}

/** The indexes, made once the rows are in (faster than keeping them up to date row by row). */
export async function createGenerationIndexes(client: pg.ClientBase, schema: string, kind: VectorKind): Promise<void> {
  const s = identifier(schema)
  await client.query(`ALTER TABLE ${s}.terms ADD UNIQUE (term)`)
  // Postings in term order: a query term's chunks and counts are one index range.
  await client.query(`ALTER TABLE ${s}.chunk_terms ADD PRIMARY KEY (term_id, chunk_ordinal)`)
  await client.query(`CREATE INDEX ON ${s}.chunks USING gin (search_terms)`)
  if (kind === 'dense') {
    await client.query(`CREATE INDEX ON ${s}.chunks USING hnsw (embedding vector_cosine_ops) WITH (m = ${HNSW_SETTINGS.m}, ef_construction = ${HNSW_SETTINGS.efConstruction})`)
  }
}
