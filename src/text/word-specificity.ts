import { readFileSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { RecentResults } from './recent-results.ts'
import { SortedTable } from './sorted-table.ts'
import { readCachedTable, writeCachedTable } from './table-cache.ts'

let table: SortedTable | undefined

const TABLE_MAGIC = 'citeqa-idf-3'

// jieba's IDF table was counted over a large general Chinese corpus: it says how specific a word is
// in the language, independently of the documents being asked about. Parsing its 270,000 text lines
// takes ~0.4 s, so its words and values are kept in a cached SortedTable (the same float64 numbers),
// which opens with one file read; it is derived again when idf.txt changes.
function load(): SortedTable {
  if (table) return table
  const path = createRequire(import.meta.url).resolve('@node-rs/jieba/idf.txt')
  const { size, mtimeMs } = statSync(path)
  const name = `jieba-idf-${size}-${Math.round(mtimeMs)}.bin`
  table = SortedTable.decode(TABLE_MAGIC, readCachedTable(name))
  if (!table) {
    const encoded = SortedTable.encode(TABLE_MAGIC, parseIdfFile(readFileSync(path, 'utf8')))
    writeCachedTable(name, encoded)
    table = SortedTable.decode(TABLE_MAGIC, encoded)!
  }
  return table
}

/** idf.txt's `word value` lines; a word listed twice keeps its last value. */
function parseIdfFile(text: string): Map<string, number> {
  const entries = new Map<string, number>()
  for (const line of text.split('\n')) {
    const space = line.lastIndexOf(' ')
    if (space > 0) entries.set(line.slice(0, space), Number(line.slice(space + 1)))
  }
  return entries
}

// Words looked up lately: a question's words are looked up several times while it is answered.
const RECENT_WORDS = 4096
const recentWords = new RecentResults<number | undefined>(RECENT_WORDS)

/** The IDF of a word in jieba's table, or undefined when the table does not list it. */
function idfOf(word: string): number | undefined {
  return recentWords.get(word, () => load().get(word))
}

// IDF at or below COMMON is an everyday word (主要 3.5, 工作 4.2); at or above RARE, a rare term (常住人口 10.6).
const COMMON_IDF = 4
const RARE_IDF = 11

/**
 * How specific a word is in general Chinese, 0–1: 0 for everyday words (主要, 工作), 1 for rare
 * terms and for words jieba's table does not know (names: 罗保铭, 盾柱木). A word's weight as
 * evidence should not depend on the documents at hand, or a threshold fitted on one article
 * would mean something else on the next.
 */
export function wordSpecificity(word: string): number {
  const idf = idfOf(word)
  if (idf === undefined) return 1
  return Math.min(1, Math.max(0, (idf - COMMON_IDF) / (RARE_IDF - COMMON_IDF)))
}

/** True when jieba's general-language table knows the word (a name or a segmentation guess is unknown). */
export function isKnownWord(word: string): boolean {
  return idfOf(word) !== undefined
}

/** Loads the table now, so that the first question is not the one that waits for it. */
export function preloadWordSpecificity(): void {
  load()
}
