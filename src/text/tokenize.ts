import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { Jieba } from '@node-rs/jieba'
import { isStopWord } from './stop-words.ts'

let jieba: Jieba | undefined

/**
 * The jieba segmenter, loaded on first use: the native addon, then its dictionary (~200 ms). The
 * dictionary file is read here rather than through the package's dict.js, which reads it and the
 * 6 MB IDF list as soon as it is imported.
 */
function getJieba(): Jieba {
  if (!jieba) {
    const require = createRequire(import.meta.url)
    const { Jieba: Segmenter } = require('@node-rs/jieba') as typeof import('@node-rs/jieba')
    jieba = Segmenter.withDict(readFileSync(require.resolve('@node-rs/jieba/dict.txt')))
  }
  return jieba
}

// A question is cut several times while it is answered (search terms, question words, pairs, the
// outline's checks): the cuts of the last few short texts are kept. Passages are cut once, at ingest.
const RECENT_CUTS = 32
const MEMOIZED_LENGTH = 200
const recentCuts = new Map<string, string[]>()

/** jieba's cut of a text (`search`: its search-mode cut), NFKC-normalized; callers must not change the array. */
function cutOf(text: string, search: boolean): string[] {
  const normalized = text.normalize('NFKC')
  if (normalized.length > MEMOIZED_LENGTH) return search ? getJieba().cutForSearch(normalized, true) : getJieba().cut(normalized, true)
  const key = `${search ? 's' : 'c'}${normalized}`
  let pieces = recentCuts.get(key)
  if (!pieces) {
    pieces = search ? getJieba().cutForSearch(normalized, true) : getJieba().cut(normalized, true)
    if (recentCuts.size >= RECENT_CUTS) recentCuts.delete(recentCuts.keys().next().value!)
    recentCuts.set(key, pieces)
  }
  return pieces
}

const HAN = /\p{Script=Han}/u
const WORD_CHARACTER = /[\p{L}\p{N}]/u
const HAN_RUN = /\p{Script=Han}+/gu

/** True when the token is a run of Chinese characters. */
export function isHan(token: string): boolean {
  return HAN.test(token)
}

/**
 * Words of a text, lower-cased: jieba's search-mode cut for Chinese (which also yields the
 * shorter words inside long ones), whole numbers such as `6.5` kept together, punctuation dropped.
 */
export function segmentWords(text: string): string[] {
  const words: string[] = []
  // jieba splits "6.5" into "6", ".", "5"; join digits back so quantities stay one token.
  const pieces = cutOf(text, true)
  for (let index = 0; index < pieces.length; index++) {
    let piece = pieces[index].toLowerCase()
    while (/^\d+$/.test(piece) && pieces[index + 1] === '.' && /^\d+$/.test(pieces[index + 2] ?? '')) {
      piece = `${piece}.${pieces[index + 2]}`
      index += 2
    }
    if (WORD_CHARACTER.test(piece)) words.push(piece)
  }
  return words
}

/**
 * Overlapping pairs of Chinese characters, so names missing from jieba's dictionary (马嶂线)
 * still match. Pairs are taken inside runs of topical words only: a stop word (的, 是, 多少)
 * breaks the run, so 赤壁市的市长 gives 赤壁 壁市 市长 and no 市的.
 */
export function characterBigrams(text: string): string[] {
  const bigrams: string[] = []
  const runs: string[] = []
  let run = ''
  for (const word of cutOf(text, false)) {
    if (isHan(word) && !isStopWord(word)) {
      run += word
    } else {
      runs.push(run)
      run = ''
    }
  }
  runs.push(run)
  for (const current of runs) {
    for (const piece of current.match(HAN_RUN) ?? []) {
      const characters = [...piece]
      for (let index = 0; index + 1 < characters.length; index++) bigrams.push(characters[index] + characters[index + 1])
    }
  }
  return bigrams
}

/**
 * The words of a question as a reader would split them (jieba's default cut, not search mode),
 * lower-cased, numbers kept whole, punctuation dropped.
 */
export function segmentQuestion(text: string): string[] {
  return cutOf(text, false)
    .map((word) => word.toLowerCase().trim())
    .filter((word) => WORD_CHARACTER.test(word))
}

/** Options for {@link tokenizeForSearch}. */
export interface TokenizeOptions {
  /** Drop question words and particles (多少, 什么, the, how…). Default: true. */
  dropStopWords?: boolean
  /** Add character bigrams of Chinese runs. Default: true. */
  bigrams?: boolean
}

const defaultTokenizeOptions: Required<TokenizeOptions> = { dropStopWords: true, bigrams: true }

// A question's search terms are wanted twice (the keyword search and the offline embedder): the last few are kept.
const recentTerms = new Map<string, string[]>()

/** The terms a text is indexed and searched by: words plus character bigrams. Callers must not change the array. */
export function tokenizeForSearch(text: string, options: TokenizeOptions = {}): string[] {
  const { dropStopWords, bigrams } = { ...defaultTokenizeOptions, ...options }
  if (text.length > MEMOIZED_LENGTH) return searchTermsOf(text, dropStopWords, bigrams)
  const key = `${dropStopWords ? 1 : 0}${bigrams ? 1 : 0}${text}`
  let terms = recentTerms.get(key)
  if (!terms) {
    terms = searchTermsOf(text, dropStopWords, bigrams)
    if (recentTerms.size >= RECENT_CUTS) recentTerms.delete(recentTerms.keys().next().value!)
    recentTerms.set(key, terms)
  }
  return terms
}

function searchTermsOf(text: string, dropStopWords: boolean, bigrams: boolean): string[] {
  const terms = segmentWords(text)
  if (bigrams) terms.push(...characterBigrams(text).map((bigram) => `#${bigram}`))
  return dropStopWords ? terms.filter((term) => !isStopWord(term.replace(/^#/, ''))) : terms
}
