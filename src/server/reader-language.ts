import type { Request } from 'express'
import { LANGUAGES, type Language } from '../answer/detect-language.ts'

/**
 * The language the asker reads, for answering questions written in neither Chinese nor English
 * (an emoji, a number, Japanese): the body's `language` when it names one (the chat page sends its
 * own), else the first of Chinese and English the `Accept-Language` header prefers, else none.
 */
export function readerLanguageOf(request: Request, bodyLanguage?: Language): Language | undefined {
  if (bodyLanguage) return bodyLanguage
  if (!request.headers['accept-language']) return undefined
  const preferred = request.acceptsLanguages(...LANGUAGES)
  return preferred ? (preferred as Language) : undefined
}
