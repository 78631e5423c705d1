import type { Chunk } from '../ingest/types.ts'

/**
 * A passage an answer cites: a verbatim span of a paragraph (`text` equals the paragraph's text
 * sliced at [start, end)), with its paragraph number, section breadcrumb and score.
 */
export interface Citation extends Omit<Chunk, 'id'> {
  /** The number of the `[n]` marker that points here. */
  n: number
  score: number
}

/** The answer to one question, before the HTTP layer adds mode, embedder and timings. */
export interface GroundedAnswer {
  answer: string
  answerable: boolean
  citations: Citation[]
}
