import type { Chunk } from '../ingest/types.ts'

/** Text a chunk is embedded and keyword-indexed by: its section breadcrumb gives it context. */
export function passageText(chunk: Chunk): string {
  return chunk.section ? `${chunk.section}\n${chunk.text}` : chunk.text
}
