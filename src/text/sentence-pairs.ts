import { splitIntoSentences } from '../ingest/split-into-sentences.ts'
import type { ArticleDocument } from '../ingest/types.ts'
import { RecentResults } from './recent-results.ts'
import { SortedTable } from './sorted-table.ts'

// Units of text for pair overlap: a Chinese character, a run of digits, a Latin word.
const OVERLAP_UNIT = /\p{Script=Han}|\d+(?:\.\d+)?|[a-z]+/gu

/** A text as it is matched: NFKC, lower case. */
export function searchableText(text: string): string {
  return text.normalize('NFKC').toLowerCase()
}

/** Consecutive unit pairs of a text (`神 山`, `7 公`), normalized. */
export function unitBigramsOf(text: string): Set<string> {
  const units = searchableText(text).match(OVERLAP_UNIT) ?? []
  const pairs = new Set<string>()
  for (let index = 0; index + 1 < units.length; index++) pairs.add(units[index] + ' ' + units[index + 1])
  return pairs
}

/** In how many sentences of the documents each unit pair occurs: how rare a pair of the question is. */
export interface SentencePairStatistics {
  sentenceCount: number
  /** Sentences holding the pair, or undefined for none. */
  frequency(pair: string): number | undefined
}

/** Counts the pairs of every sentence of the documents (a second of work for a million characters). */
export function countSentencePairs(documents: ArticleDocument[]): { sentenceCount: number; frequencies: Map<string, number> } {
  const frequencies = new Map<string, number>()
  let sentenceCount = 0
  for (const document of documents) {
    for (const paragraph of document.paragraphs) {
      for (const sentence of splitIntoSentences(paragraph.text)) {
        sentenceCount++
        for (const pair of unitBigramsOf(sentence.text)) frequencies.set(pair, (frequencies.get(pair) ?? 0) + 1)
      }
    }
  }
  return { sentenceCount, frequencies }
}

const TABLE_MAGIC = 'citeqa-sentence-pairs-1'
// The sentence count rides in the table under a key no pair can be (pairs hold a space between two units).
const SENTENCE_COUNT_KEY = '\u0000sentences'

/** The statistics as an index file (a SortedTable), so a start need not split every sentence again. */
export function encodeSentencePairs({ sentenceCount, frequencies }: ReturnType<typeof countSentencePairs>): Buffer {
  // Passed through, not spread into one array of every pair.
  function* entries(): Generator<[string, number]> {
    yield [SENTENCE_COUNT_KEY, sentenceCount]
    yield* frequencies
  }
  return SortedTable.encode(TABLE_MAGIC, entries())
}

/** Reads {@link encodeSentencePairs}'s file; throws when it is not one. */
export function decodeSentencePairs(data: Buffer): SentencePairStatistics {
  const table = SortedTable.decode(TABLE_MAGIC, data)
  const sentenceCount = table?.get(SENTENCE_COUNT_KEY)
  if (!table || sentenceCount === undefined) throw new Error('Index: the sentence-pairs file is not a table of sentence pairs')
  // Pairs looked up lately: a question's pairs are looked up more than once while it is answered.
  const recent = new RecentResults<number | undefined>(4096)
  return {
    sentenceCount,
    frequency: (pair) => recent.get(pair, () => (pair === SENTENCE_COUNT_KEY ? undefined : table.get(pair))),
  }
}
