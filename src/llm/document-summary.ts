import type { OutlineSpan } from '../ingest/document-outline.ts'

/** Bumped when the summary file or the way it is built changes; a cached summary of another version is rebuilt. */
export const SUMMARY_FORMAT_VERSION = 1

/** A verified sentence of the summary and the article spans that bear it out. */
export interface SummarySentence {
  text: string
  citations: OutlineSpan[]
}

export interface DocumentSummary {
  formatVersion: number
  docId: string
  /** Hash of what the summary was built from: the document's text, the model, the prompts, this format. */
  key: string
  model: string
  builtAt: string
  /** LLM calls the build took (map steps plus the reduce step). */
  calls: number
  sentences: SummarySentence[]
}
