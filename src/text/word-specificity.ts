import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'

let table: Map<string, number> | undefined

// jieba's IDF table was counted over a large general Chinese corpus: it says how specific a word is
// in the language, independently of the documents being asked about. Read straight from the file
// (the package's dict.js would also read its 5 MB dictionary); parsing 270,000 lines takes ~0.4 s.
function load(): Map<string, number> {
  if (table) return table
  table = new Map()
  const path = createRequire(import.meta.url).resolve('@node-rs/jieba/idf.txt')
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const space = line.lastIndexOf(' ')
    if (space > 0) table.set(line.slice(0, space), Number(line.slice(space + 1)))
  }
  return table
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
  const idf = load().get(word)
  if (idf === undefined) return 1
  return Math.min(1, Math.max(0, (idf - COMMON_IDF) / (RARE_IDF - COMMON_IDF)))
}

/** True when jieba's general-language table knows the word (a name or a segmentation guess is unknown). */
export function isKnownWord(word: string): boolean {
  return load().has(word)
}

/** Loads the table now, so that the first question is not the one that waits for it. */
export function preloadWordSpecificity(): void {
  load()
}
