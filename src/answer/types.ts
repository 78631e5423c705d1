/** A passage an answer cites: the verbatim text and where it stands in the article. */
export interface Citation {
  /** The number of the `[n]` marker that points here. */
  n: number
  docId: string
  /** 1-based paragraph number in the document, headings counted. */
  paragraph: number
  section: string
  /** Verbatim: equals the paragraph's text sliced at [start, end). */
  text: string
  start: number
  end: number
  score: number
}

/** The answer to one question, before the HTTP layer adds mode, embedder and timings. */
export interface GroundedAnswer {
  answer: string
  answerable: boolean
  citations: Citation[]
}
