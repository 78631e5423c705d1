import type { Language } from './detect-language.ts'

// One document is "the article" to its reader; several are "the documents".
const ABSTENTION_MESSAGES: Record<Language, { one: string; several: string }> = {
  zh: { one: '文章中没有找到相关内容。', several: '所给文档中没有找到相关内容。' },
  en: { one: 'The article does not say.', several: 'The documents do not say.' },
}

/** The short message given instead of an answer when the documents served (`documentCount` of them) do not support one. */
export function abstentionMessage(language: Language, documentCount = 1): string {
  const messages = ABSTENTION_MESSAGES[language]
  return documentCount > 1 ? messages.several : messages.one
}
