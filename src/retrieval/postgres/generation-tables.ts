import type pg from 'pg'
import { identifier } from './postgres-connection.ts'

/**
 * How a generation keeps its passage vectors, following the embedder (CiteqaEmbeddings.passageVectors):
 * `dense` — a neural model's vectors, pgvector `vector(d)` under an HNSW index (cosine);
 * `sparse` — the offline embedder's hashed TF-IDF vectors (~30–110 non-zero entries of 1,024),
 * pgvector `sparsevec(d)`, searched exactly as the `files` store searches them up to
 * SPARSE_HNSW_MIN_CHUNKS chunks, and through an HNSW index beyond (see {@link hasVectorIndex}).
 */
export type VectorKind = 'dense' | 'sparse'

/**
 * HNSW settings by vector kind: the graph's (`m`, `ef_construction`, at build) and the candidate
 * list of a search (`hnsw.ef_search`, set for each search's transaction). Dense vectors take
 * hnswlib's settings in the `files` store. Sparse ones are chosen from `npm run bench:hnsw` on
 * 303,190 chunks of 100,000 distinct documents and 775 real questions (docs/scaling.md): their
 * recall@20 against the exact scan is 87% at ef_search 400 (9 / 12 ms) and 91% at 1,000 (21 / 28 ms);
 * ef_construction 200 adds 4–5 points for 2.7× the build time (431 s against 158 s), so 64 it is.
 */
export const HNSW_SETTINGS: Record<VectorKind, { m: number; efConstruction: number; efSearch: number }> = {
  dense: { m: 16, efConstruction: 200, efSearch: 200 },
  sparse: { m: 16, efConstruction: 64, efSearch: 400 },
}

/**
 * From this many chunks a generation's sparse vectors get an HNSW index. An exact scan reads every
 * vector: 93 ms a question at 300,000 chunks, against 50 ms for a whole answer as the goal. Below
 * it the scan is quick and exact, so small corpora are searched as the files store searches them,
 * to the result (the offline embedder's answers were tuned on exact search).
 */
export const SPARSE_HNSW_MIN_CHUNKS = 20_000

/** Memory an HNSW build may take in the database server (maintenance_work_mem, for the build's session). */
const HNSW_BUILD_MEMORY_MB = 1024

/** Whether a generation's vectors are searched through an HNSW index (else by an exact scan). */
export function hasVectorIndex(kind: VectorKind, chunkCount: number): boolean {
  return kind === 'dense' || chunkCount >= SPARSE_HNSW_MIN_CHUNKS
}

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
    -- The postings, written in term order: a term's rows lie together, and its index range holds all BM25 needs.
    CREATE TABLE ${s}.chunk_terms (
      term_id integer NOT NULL,
      chunk_ordinal integer NOT NULL,
      frequency integer NOT NULL,
      -- The chunk's BM25 length (chunks.length), beside each of its postings: a query term's postings alone score it.
      chunk_length integer NOT NULL
    );
    -- What the service keeps in memory besides the chunks: the lexicon, the outlines, sentence pairs, term counts.
    CREATE TABLE ${s}.index_files (
      name text PRIMARY KEY,
      content bytea NOT NULL
    );
  `)
}

/** The indexes, made once the rows are in (faster than keeping them up to date row by row). */
export async function createGenerationIndexes(client: pg.ClientBase, schema: string, kind: VectorKind, chunkCount: number): Promise<void> {
  const s = identifier(schema)
  await client.query(`ALTER TABLE ${s}.terms ADD UNIQUE (term)`)
  // Postings in term order: a query term's chunks, counts and lengths are one index range, read
  // without the table (index-only, once VACUUM has marked the pages all-visible).
  await client.query(`ALTER TABLE ${s}.chunk_terms ADD PRIMARY KEY (term_id, chunk_ordinal) INCLUDE (frequency, chunk_length)`)
  await client.query(`CREATE INDEX ON ${s}.chunks USING gin (search_terms)`)
  if (hasVectorIndex(kind, chunkCount)) {
    // An HNSW graph built in memory: at PostgreSQL's default 64 MB, the 300,000 chunks of 100,000
    // documents overflowed it and the build went on from disk, several times slower. The setting is
    // raised for this build's session only, never lowered below the server's own.
    await client.query(`SELECT set_config('maintenance_work_mem', $1, false) FROM pg_settings WHERE name = 'maintenance_work_mem' AND setting::bigint < $2`, [
      `${HNSW_BUILD_MEMORY_MB}MB`,
      HNSW_BUILD_MEMORY_MB * 1024,
    ])
    const operators = kind === 'dense' ? 'vector_cosine_ops' : 'sparsevec_cosine_ops'
    const { m, efConstruction } = HNSW_SETTINGS[kind]
    await client.query(`CREATE INDEX ON ${s}.chunks USING hnsw (embedding ${operators}) WITH (m = ${m}, ef_construction = ${efConstruction})`)
    // The build's connection goes back to its pool: the other work it will do keeps the server's setting.
    await client.query('RESET maintenance_work_mem')
  }
}
