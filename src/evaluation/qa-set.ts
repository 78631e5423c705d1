import { readFile } from 'node:fs/promises'
import { z } from 'zod'

/**
 * One evaluation question. One format covers the article's dev set (gold paragraphs and `keys`)
 * and sets of many short documents (a gold `doc` and `answers` spans). A question with neither
 * gold paragraphs nor a gold document is unanswerable: the service must refuse it.
 */
const qaQuestionSchema = z.object({
  id: z.string(),
  question: z.string(),
  /** Gold paragraph numbers (1-based, headings counted); empty or absent when none. */
  gold: z.array(z.number().int().positive()).default([]),
  /** Gold document id; null or absent when the question names none. */
  doc: z.string().nullable().default(null),
  /** Strings a correct answer contains, all of them. */
  keys: z.array(z.string()).default([]),
  /** Gold answer spans: a correct answer contains at least one of them. */
  answers: z.array(z.string()).default([]),
  type: z.string().default('unknown'),
  /** The corpus a mixed set's question is about (the paraphrase set mixes the article and the CMRC trial documents); absent in single-corpus sets. */
  corpus: z.enum(['article', 'cmrc']).optional(),
})

export type QaQuestion = z.infer<typeof qaQuestionSchema> & {
  /** `qa` for the questions file, `negative` for out-of-corpus questions (the --negatives file). */
  origin: 'qa' | 'negative'
}

/** True when the question has a gold location: some paragraph or document answers it. */
export function isAnswerable(question: QaQuestion): boolean {
  return question.gold.length > 0 || question.doc !== null
}

/**
 * The records of a JSON-lines file, each checked against `schema`; a line that is not JSON or not
 * such a record is named with its file and line (`what` says what a line should be). Blank lines are skipped.
 */
export async function readJsonLines<T>(path: string, schema: z.ZodType<T>, what: string): Promise<T[]> {
  const records: T[] = []
  for (const [index, line] of (await readFile(path, 'utf8')).split('\n').entries()) {
    if (!line.trim()) continue
    let value: unknown
    try {
      value = JSON.parse(line)
    } catch (cause) {
      throw new Error(`Evaluation: line ${index + 1} of ${path} is not JSON`, { cause })
    }
    const parsed = schema.safeParse(value)
    if (!parsed.success) throw new Error(`Evaluation: line ${index + 1} of ${path} is not ${what}: ${parsed.error.message}`)
    records.push(parsed.data)
  }
  return records
}

/** Reads a JSON-lines question set; every line is checked and a bad one is named with its file and line. */
export async function readQaSet(path: string, origin: QaQuestion['origin'] = 'qa'): Promise<QaQuestion[]> {
  return (await readJsonLines(path, qaQuestionSchema, 'a question'))
    // A blank question is no question (the API refuses it with a 400): it is left out, not scored.
    .filter((question) => question.question.trim())
    // A negative is out of corpus whatever it says about gold.
    .map((question) => (origin === 'negative' ? { ...question, gold: [], doc: null, origin } : { ...question, origin }))
}

/** The form answers and gold strings are compared in: NFKC, lower case, no whitespace. */
export function normalizeForMatching(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, '')
}

/** True when an answer holds every key and, when spans are given, at least one of them. */
export function answerMatches(question: QaQuestion, answer: string): boolean {
  // Citation markers are not text: a gold span across two cited sentences still counts.
  const normalized = normalizeForMatching(answer.replace(/\[\d+\]/g, ''))
  const keysHeld = question.keys.every((key) => normalized.includes(normalizeForMatching(key)))
  const spanHeld = question.answers.length === 0 || question.answers.some((span) => normalized.includes(normalizeForMatching(span)))
  return keysHeld && spanHeld
}
