import type { KeywordMatch } from './keyword-index.ts'

/**
 * What the hybrid retriever asks of a keyword search: chunks sharing terms with a query, best
 * first, by the same BM25+ whichever store answers (KeywordIndex in memory for the `files` store,
 * SQL for the `postgres` store).
 */
export interface KeywordSearch {
  find(query: string, limit: number): KeywordMatch[] | Promise<KeywordMatch[]>
}
