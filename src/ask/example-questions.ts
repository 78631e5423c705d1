import { answerQuestion } from './answer-question.ts'
import type { AnsweringService } from './types.ts'

/**
 * The questions the chat page offers first, made from the documents served — their titles and
 * their outlines' top-level sections — rather than written for one article: each is asked of the
 * service before it is offered, and kept only when it is answered, from the document it names.
 */

/** Questions in each interface language (the English list ends with a Chinese one, as readers of both ask). */
export interface ExampleQuestions {
  zh: string[]
  en: string[]
}

export interface ExampleQuestionOptions {
  /** Most questions offered per language. Default 4. */
  maxQuestions: number
  /** Most documents asked about by title (the last ones served, where uploads go). Default 2. */
  maxNamedDocuments: number
  /** Longest title written into a question, in characters; a longer one is not named. Default 30. */
  maxTitleLength: number
}

export const defaultExampleQuestionOptions: ExampleQuestionOptions = { maxQuestions: 4, maxNamedDocuments: 2, maxTitleLength: 30 }

/** What the examples are made from: the service, its documents by id, their titles and outlines. */
export interface ExampleSource extends AnsweringService {
  readonly documents: readonly { id: string }[]
  documentTitle(docId: string): string
}

/** A question to offer, and the document its answer must cite when it names one. */
interface Candidate {
  question: string
  docId?: string
}

// 五、践行五大发展理念 → 践行五大发展理念: the label is how the text numbers it, not what a reader asks about.
const withoutLabel = (title: string) => title.replace(/^[^、.．]{1,4}[、.．]\s*/u, '').trim()

function candidatesOf(source: ExampleSource, options: ExampleQuestionOptions): { zh: Candidate[]; en: Candidate[] } {
  const documents = source.documents
  const sectionQuestions = (docId: string): Candidate[] => {
    const sections = source.overview.outlineOf(docId)?.sections ?? []
    // The last section and the first: a reader sees the outline's range, not two neighbours.
    const picked = sections.length > 1 ? [sections.at(-1)!, sections[0]] : sections
    return picked.map((section) => withoutLabel(section.title)).filter((title) => title.length >= 2 && title.length <= options.maxTitleLength).map((title) => ({ question: `${title}是什么?`, docId }))
  }
  if (documents.length === 1) {
    const [only] = documents
    const sections = sectionQuestions(only.id)
    return {
      zh: [{ question: '这篇文章讲了什么?', docId: only.id }, ...sections, { question: '请概括一下这篇文章', docId: only.id }],
      en: [{ question: 'What is the article about?', docId: only.id }, { question: 'What are the main points?', docId: only.id }, ...sections.slice(0, 1)],
    }
  }
  const named = documents
    .slice(-options.maxNamedDocuments)
    .reverse()
    .map((document) => ({ docId: document.id, title: source.documentTitle(document.id) }))
    .filter(({ title }) => title.length <= options.maxTitleLength && !/[《》]/u.test(title))
    .map(({ docId, title }): Candidate => ({ question: `《${title}》这篇文章讲了什么?`, docId }))
  const sections = named.flatMap(({ docId }) => sectionQuestions(docId!).slice(0, 1))
  return {
    zh: [{ question: '有哪些文章?' }, ...named, ...sections],
    en: [{ question: 'What documents are there?' }, { question: 'What is each document about?' }, ...named.slice(0, 1)],
  }
}

async function answeredFromItsDocument(source: ExampleSource, { question, docId }: Candidate): Promise<boolean> {
  // Extractive: an example is checked without spending the LLM; its answer is kept in the answer cache for the reader who clicks it.
  const body = await answerQuestion(source, { question, mode: 'extractive' })
  if (!body.answerable || body.scope === 'chat' || body.citations.length === 0) return false
  return docId === undefined || body.citations.every((citation) => citation.docId === docId)
}

async function answeredOnly(source: ExampleSource, candidates: Candidate[], max: number): Promise<string[]> {
  const kept: string[] = []
  for (const candidate of candidates) {
    if (kept.length >= max) break
    if (kept.includes(candidate.question)) continue
    if (await answeredFromItsDocument(source, candidate)) kept.push(candidate.question)
  }
  return kept
}

/** The example questions of a service: made and checked on first use, then the same until the documents change (a new service). */
const made = new WeakMap<ExampleSource, Promise<ExampleQuestions>>()

export function exampleQuestionsOf(source: ExampleSource, options: Partial<ExampleQuestionOptions> = {}): Promise<ExampleQuestions> {
  const known = made.get(source)
  if (known) return known
  const settings = { ...defaultExampleQuestionOptions, ...options }
  const candidates = candidatesOf(source, settings)
  const examples = (async () => ({
    zh: await answeredOnly(source, candidates.zh, settings.maxQuestions),
    en: await answeredOnly(source, candidates.en, settings.maxQuestions),
  }))()
  // A failure is not kept: the next page load tries again.
  examples.catch(() => made.delete(source))
  made.set(source, examples)
  return examples
}
