import { LRUCache } from 'lru-cache'
import { detectLanguage } from '../answer/detect-language.ts'
import type { AnswerBody, AnswerStore, CachedQuestion } from './types.ts'

/** Extractive answers kept when ANSWER_CACHE_SIZE is not set: config.ts says the same number (it imports nothing of the ask pipeline), and test/ask/answer-cache.test.ts keeps the two equal. */
export const DEFAULT_ANSWER_CACHE_SIZE = 1000

/**
 * Most characters the kept answers may hold together (questions, answers and cited texts), ~50 MB:
 * a thousand answers are ~1–3 MB, but questions may be up to MAX_QUESTION_LENGTH (100,000) long.
 */
export const DEFAULT_ANSWER_CACHE_CHARACTERS = 16_000_000

/**
 * The extractive answers given lately, by question: the index does not change while the service
 * runs and the extractive answer is a function of the question and topK, so a question asked
 * again — the chat page's suggestions, a FAQ, a client retrying — is answered from here instead
 * of being segmented, retrieved and scored again. LLM answers are not kept (a second ask may want
 * a better one, and each is the provider's to make), nor follow-ups (their history makes them).
 *
 * Least recently used answers go first beyond `maxEntries` or `maxCharacters` (`lru-cache`); an
 * answer larger than `maxCharacters` is not kept; `maxEntries` 0 keeps none.
 */
export class AnswerCache implements AnswerStore {
  private readonly answers?: LRUCache<string, AnswerBody>

  constructor(
    readonly maxEntries = DEFAULT_ANSWER_CACHE_SIZE,
    readonly maxCharacters = DEFAULT_ANSWER_CACHE_CHARACTERS,
  ) {
    if (maxEntries > 0) this.answers = new LRUCache({ max: maxEntries, maxSize: maxCharacters, sizeCalculation: charactersOf })
  }

  get size(): number {
    return this.answers?.size ?? 0
  }

  get(question: CachedQuestion): AnswerBody | undefined {
    return this.answers?.get(keyOf(question))
  }

  /** Keeps the answer, frozen: the same object is given to every later asker, and none may change it for the others. */
  set(question: CachedQuestion, body: AnswerBody): void {
    if (!this.answers) return
    for (const citation of body.citations) Object.freeze(citation)
    Object.freeze(body.citations)
    Object.freeze(body.timings)
    this.answers.set(keyOf(question), Object.freeze(body))
  }
}

/** What an entry holds, in characters: its key, the answer and the cited texts (the rest is small and fixed). */
function charactersOf(body: AnswerBody, key: string): number {
  let characters = key.length + body.answer.length + body.standaloneQuestion.length
  for (const citation of body.citations) characters += citation.text.length + citation.section.length
  return Math.max(1, characters)
}

// The language answered in is the question's own, or for a question with none (an emoji) the reader's: part of the key.
function keyOf({ question, topK }: CachedQuestion): string {
  return `${topK}\u0000${detectLanguage(question)}\u0000${question}`
}
