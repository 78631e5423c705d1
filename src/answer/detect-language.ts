/** The languages answers and messages are given in. */
export type Language = 'zh' | 'en'

const HAN = /\p{Script=Han}/gu
const LATIN_LETTER = /[A-Za-z]/g

// The steps of one answer ask about the same question: the last answer is kept.
let lastText: string | undefined
let lastLanguage: Language = 'zh'

/** Chinese when the text has at least as many Chinese characters as Latin letters / 4 (a word), else English. */
export function detectLanguage(text: string): Language {
  if (text === lastText) return lastLanguage
  const han = text.match(HAN)?.length ?? 0
  const latin = text.match(LATIN_LETTER)?.length ?? 0
  lastText = text
  lastLanguage = han > 0 && han * 4 >= latin ? 'zh' : 'en'
  return lastLanguage
}
