import type { Language } from './detect-language.ts'

const ABSTENTION_MESSAGES: Record<Language, string> = {
  zh: '文章中没有找到相关内容。',
  en: 'The article does not say.',
}

/** The short message given instead of an answer when the article does not support one. */
export function abstentionMessage(language: Language): string {
  return ABSTENTION_MESSAGES[language]
}
