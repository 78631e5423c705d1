import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { Jieba } from '@node-rs/jieba'
import { RecentResults } from './recent-results.ts'
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
// outline's checks): the cuts of the last few short texts are kept (lru-cache). Passages are cut once, at ingest.
const RECENT_TEXTS = 32
const MEMOIZED_LENGTH = 200
const recentCuts = new RecentResults<string[]>(RECENT_TEXTS)

/** `make()`, or what it gave for the same key lately when the text is short (a question, not a passage). */
function recentlyMade(recent: RecentResults<string[]>, text: string, key: string, make: () => string[]): string[] {
  return text.length > MEMOIZED_LENGTH ? make() : recent.get(key, make)
}

/** jieba's cut of a text (`search`: its search-mode cut), NFKC-normalized; callers must not change the array. */
function cutOf(text: string, search: boolean): string[] {
  const normalized = text.normalize('NFKC')
  return recentlyMade(recentCuts, normalized, `${search ? 's' : 'c'}${normalized}`, () => (search ? getJieba().cutForSearch(normalized, true) : getJieba().cut(normalized, true)))
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

// A question's words are wanted by its terms, its pairs, its role and the outline's checks: the last few are kept.
const recentQuestionWords = new RecentResults<string[]>(RECENT_TEXTS)

/**
 * The words of a question as a reader would split them (jieba's default cut, not search mode),
 * lower-cased, numbers kept whole, punctuation dropped. Callers must not change the array.
 */
export function segmentQuestion(text: string): string[] {
  return recentlyMade(recentQuestionWords, text, text, () =>
    cutOf(text, false)
      .map((word) => word.toLowerCase().trim())
      .filter((word) => WORD_CHARACTER.test(word)),
  )
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
const recentSearchTerms = new RecentResults<string[]>(RECENT_TEXTS)

/** The terms a text is indexed and searched by: words plus character bigrams. Callers must not change the array. */
export function tokenizeForSearch(text: string, options: TokenizeOptions = {}): string[] {
  const { dropStopWords, bigrams } = { ...defaultTokenizeOptions, ...options }
  return recentlyMade(recentSearchTerms, text, `${dropStopWords ? 1 : 0}${bigrams ? 1 : 0}${text}`, () => searchTermsOf(text, dropStopWords, bigrams))
}

function searchTermsOf(text: string, dropStopWords: boolean, bigrams: boolean): string[] {
  const terms = segmentWords(text)
  if (bigrams) terms.push(...characterBigrams(text).map((bigram) => `#${bigram}`))
  return dropStopWords ? terms.filter((term) => !isStopWord(term.replace(/^#/, ''))) : terms
}

/** A word of a text with jieba's part-of-speech tag (`ns` a place, `nr` a person, `n` a noun, `v` a verb, `x` punctuation or unknown). */
export interface TaggedWord {
  word: string
  tag: string
}

// A question is tagged once or twice while it is answered (its subject, a follow-up's frame).
const recentTags = new RecentResults<TaggedWord[]>(RECENT_TEXTS)

/** jieba's part-of-speech tagging of a short text (a question), NFKC-normalized and lower-cased. Callers must not change the array. */
export function tagWords(text: string): TaggedWord[] {
  const normalized = text.normalize('NFKC')
  const make = () => getJieba().tag(normalized, true).map(({ word, tag }) => ({ word: word.toLowerCase(), tag }))
  return normalized.length > MEMOIZED_LENGTH ? make() : recentTags.get(normalized, make)
}

/** jieba's plain cut of a short text (no search-mode sub-words), NFKC-normalized, punctuation kept. Callers must not change the array. */
export function cutWords(text: string): string[] {
  return cutOf(text, false)
}
