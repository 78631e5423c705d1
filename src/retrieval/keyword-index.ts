import MiniSearch from 'minisearch'
import type { Chunk } from '../ingest/types.ts'
import { tokenizeForSearch } from '../text/tokenize.ts'

/** A keyword hit: chunk id and BM25 score. */
export interface KeywordMatch {
  id: string
  score: number
}

/**
 * BM25 over jieba words and character bigrams (MiniSearch's BM25+ scoring). Rebuilt from the
 * chunks at start-up: at article size this takes milliseconds, so it is not persisted.
 */
export class KeywordIndex {
  private readonly search: MiniSearch<{ id: string; text: string }>

  constructor(chunks: Chunk[], passageText: (chunk: Chunk) => string) {
    this.search = new MiniSearch({
      fields: ['text'],
      // Terms are already normalized by the tokenizer; MiniSearch must not lower-case or split them again.
      tokenize: (text) => tokenizeForSearch(text),
      processTerm: (term) => term,
    })
    this.search.addAll(chunks.map((chunk) => ({ id: chunk.id, text: passageText(chunk) })))
  }

  /** Chunks sharing terms with the query, best first. */
  find(query: string, limit: number): KeywordMatch[] {
    return this.search
      .search(query, { combineWith: 'OR', prefix: false, fuzzy: false })
      .slice(0, limit)
      .map((result) => ({ id: String(result.id), score: result.score }))
  }
}
