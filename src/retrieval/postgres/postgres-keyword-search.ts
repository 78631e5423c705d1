import type pg from 'pg'
import type { Chunk } from '../../ingest/types.ts'
import { tokenizeForSearch } from '../../text/tokenize.ts'
import { defaultBm25Parameters, type Bm25Parameters, type KeywordMatch } from '../keyword-index.ts'
import type { KeywordSearch } from '../keyword-search.ts'
import { identifier } from './postgres-connection.ts'

/** A tsquery in its literal form, every term a quoted lexeme OR'd with the others: no parser or dictionary touches them. */
export function tsqueryLiteral(terms: string[]): string {
  return terms.map((term) => `'${term.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`).join(' | ')
}

/**
 * BM25+ in SQL over one generation, ranking exactly as KeywordIndex ranks in memory: the GIN
 * index on the chunks' literal tsvectors finds the candidates (chunks holding any query term), and
 * their scores come from the postings (term, chunk, tf), the chunk lengths (distinct terms), the
 * terms' IDF (stored with the same Math.log the files store uses) and the generation's average
 * length — every query token adding its weight in query order (repeats included, as MiniSearch
 * does), the sum multiplied by the number of distinct query terms matched. Same operations in the
 * same order on IEEE doubles, so the scores are the same to the last bit.
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
      ), candidates AS (
        SELECT ordinal, length FROM ${s}.chunks WHERE search_terms @@ $2::tsquery
      )
      SELECT candidates.ordinal,
             sum(query_terms.idf * ($3::float8 + (chunk_terms.frequency * ($4::float8 + 1)) / (chunk_terms.frequency + $4::float8 * (1 - $5::float8 + ($5::float8 * candidates.length) / $6::float8))) ORDER BY query_terms.position)
               * count(DISTINCT query_terms.term_id) AS score,
             min(query_terms.position) AS first_position
      FROM candidates
      JOIN ${s}.chunk_terms ON chunk_terms.chunk_ordinal = candidates.ordinal
      JOIN query_terms ON query_terms.term_id = chunk_terms.term_id
      GROUP BY candidates.ordinal
      ORDER BY score DESC, first_position, candidates.ordinal
      LIMIT $7`
  }

  async find(query: string, limit: number): Promise<KeywordMatch[]> {
    const tokens = tokenizeForSearch(query)
    if (tokens.length === 0 || limit <= 0) return []
    const { k, b, d } = this.parameters
    const { rows } = await this.pool.query<{ ordinal: number; score: number }>(this.sql, [tokens, tsqueryLiteral([...new Set(tokens)]), d, k, b, this.averageLength, limit])
    return rows.map(({ ordinal, score }) => ({ id: this.chunks[ordinal].id, score }))
  }
}
