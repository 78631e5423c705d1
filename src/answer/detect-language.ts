import { AsyncLocalStorage } from 'node:async_hooks'

/** The languages answers and messages are given in. */
export type Language = 'zh' | 'en'

export const LANGUAGES: readonly Language[] = ['zh', 'en']

const HAN = /\p{Script=Han}/gu
const LATIN_LETTER = /[A-Za-z]/g
// Kana or Hangul: Japanese or Korean, which share Han characters with Chinese but are not it.
const JAPANESE_OR_KOREAN = /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u

/**
 * The language the asker reads (the chat page's, `/ask`'s `language`, Accept-Language), for text
 * written in neither language: an emoji, a number, a Japanese question. Set per request by the
 * server around the answer; every step that asks the language of the question sees it.
 */
const readerLanguage = new AsyncLocalStorage<Language>()

/** Runs `work` (and everything it awaits) with `language` as the language to answer text that has none of its own in. */
export function inReaderLanguage<T>(language: Language | undefined, work: () => T): T {
  return language ? readerLanguage.run(language, work) : work()
}

// The steps of one answer ask about the same question: the last answer is kept.
let lastText: string | undefined
let lastOwnLanguage: Language | undefined
let lastFallback: Language = 'zh'

function measure(text: string): void {
  if (text === lastText) return
  const han = text.match(HAN)?.length ?? 0
  const latin = text.match(LATIN_LETTER)?.length ?? 0
  lastText = text
  // Without a reader's language, text with none of its own keeps the rule below (Japanese with kanji counts as Chinese, an emoji as English).
  lastFallback = han > 0 && han * 4 >= latin ? 'zh' : 'en'
  lastOwnLanguage = (han === 0 && latin === 0) || JAPANESE_OR_KOREAN.test(text) ? undefined : lastFallback
}

/** The language the text is written in, when it is Chinese or English; undefined for an emoji, a number or another language. */
export function ownLanguage(text: string): Language | undefined {
  measure(text)
  return lastOwnLanguage
}

/**
 * The language to answer `text` in: Chinese when it has at least as many Chinese characters as
 * Latin letters / 4 (a word), else English; text with no language of its own (no Chinese and no
 * Latin letter, or Japanese or Korean) in the reader's language when the request gave one.
 */
export function detectLanguage(text: string): Language {
  measure(text)
  return lastOwnLanguage ?? readerLanguage.getStore() ?? lastFallback
}
