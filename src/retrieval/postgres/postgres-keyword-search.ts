import type pg from 'pg'
import type { Chunk } from '../../ingest/types.ts'
import { tokenizeForSearch } from '../../text/tokenize.ts'
import { defaultBm25Parameters, type Bm25Parameters, type KeywordMatch } from '../keyword-index.ts'
import type { KeywordSearch } from '../keyword-search.ts'
import { identifier } from './postgres-connection.ts'

/**
 * BM25+ in SQL over one generation, ranking exactly as KeywordIndex ranks in memory. The query's
 * terms are looked up (their IDF stored with the same Math.log the files store uses), and their
 * postings — one index range a term, holding each chunk's tf and length, read without the table —
 * are the candidates and everything their scores need, with the generation's average length: every
 * query token adds its weight in query order (repeats included, as MiniSearch does), the sum
 * multiplied by the number of distinct query terms matched. Same operations in the same order on
 * IEEE doubles, so the scores are the same to the last bit.
 *
 * The postings, not the GIN index on the chunks' tsvectors, find the candidates: finding them
 * through the GIN index meant fetching each candidate chunk and then its postings one by one, and
 * at 300,000 chunks a question's p95 went from 82 ms to a few (see docs/scaling.md). The tsvectors
 * and their GIN index stay for searching the generation by hand (`search_terms @@ …`).
 *
 * Ties are broken as KeywordIndex breaks them, by the order in which chunks were first matched:
 * the position of the first query token a chunk holds, then chunk order.
 */
export class PostgresKeywordSearch implements KeywordSearch {
  private readonly sql: string

  constructor(
    private readonly pool: pg.Pool,
    schema: string,
    /** The chunks, by ordinal (ids of the results). */
    private readonly chunks: Chunk[],
    private readonly averageLength: number,
    private readonly parameters: Bm25Parameters = defaultBm25Parameters,
  ) {
    const s = identifier(schema)
    this.sql = `
      WITH query AS (
        SELECT token, position FROM unnest($1::text[]) WITH ORDINALITY AS asked (token, position)
      ), query_terms AS (
        SELECT terms.term_id, terms.idf, query.position FROM query JOIN ${s}.terms ON terms.term = query.token
      )
      SELECT postings.chunk_ordinal AS ordinal,
             sum(query_terms.idf * ($2::float8 + (postings.frequency * ($3::float8 + 1)) / (postings.frequency + $3::float8 * (1 - $4::float8 + ($4::float8 * postings.chunk_length) / $5::float8))) ORDER BY query_terms.position)
               * count(DISTINCT query_terms.term_id) AS score,
             min(query_terms.position) AS first_position
      FROM query_terms
      JOIN ${s}.chunk_terms AS postings ON postings.term_id = query_terms.term_id
      GROUP BY postings.chunk_ordinal
      ORDER BY score DESC, first_position, postings.chunk_ordinal
      LIMIT $6`
  }

  async find(query: string, limit: number): Promise<KeywordMatch[]> {
    const tokens = tokenizeForSearch(query)
    if (tokens.length === 0 || limit <= 0) return []
    const { k, b, d } = this.parameters
    const { rows } = await this.pool.query<{ ordinal: number; score: number }>(this.sql, [tokens, d, k, b, this.averageLength, limit])
    return rows.map(({ ordinal, score }) => ({ id: this.chunks[ordinal].id, score }))
  }
}
