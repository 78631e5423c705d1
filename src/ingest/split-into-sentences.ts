import type { SentenceSpan } from './types.ts'

// A sentence ends at 。！？； (or their ASCII forms) plus any closing quotes or brackets after it.
// ASCII '.' only ends a sentence before a space or the end, so 6.5公里 and 4.2亿元 stay whole.
const SENTENCE_END = /[。！？；!?;]+[”’」』）)\]]*|\.(?=\s|$)[”’」』）)\]]*/g

/** Splits a paragraph into sentences, keeping each one's offsets; no text is lost or reordered. */
export function splitIntoSentences(paragraph: string): SentenceSpan[] {
  const sentences: SentenceSpan[] = []
  let start = 0
  const push = (end: number) => {
    // Leading whitespace belongs to no sentence; trimming keeps the offsets exact.
    while (start < end && /\s/.test(paragraph[start])) start++
    if (end > start) sentences.push({ text: paragraph.slice(start, end), start, end })
    start = end
  }
  for (const match of paragraph.matchAll(SENTENCE_END)) push(match.index + match[0].length)
  push(paragraph.trimEnd().length)
  return sentences
}
