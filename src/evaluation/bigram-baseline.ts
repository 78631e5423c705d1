import { splitIntoSentences } from '../ingest/split-into-sentences.ts'
import type { ArticleDocument, Paragraph, SentenceSpan } from '../ingest/types.ts'

/** A sentence of the corpus with where it lies. */
export interface LocatedSentence extends SentenceSpan {
  docId: string
  paragraph: number
}

// Chinese characters, runs of digits and Latin words: the units the pairs are made of.
const UNIT = /\p{Script=Han}|\d+(?:\.\d+)?|[a-z]+/gu

function bigramsOf(text: string): Set<string> {
  const units = text.normalize('NFKC').toLowerCase().match(UNIT) ?? []
  const grams = new Set<string>()
  for (let index = 0; index + 1 < units.length; index++) grams.add(`${units[index]} ${units[index + 1]}`)
  return grams
}

/**
 * The naive baseline the answerer is measured against: the single sentence of the corpus that
 * shares the most IDF-weighted character bigrams with the question, refusing only when no
 * sentence shares any. No retrieval, no cues, no calibration.
 */
export class BigramSentenceBaseline {
  private readonly sentences: LocatedSentence[] = []
  private readonly postings = new Map<string, number[]>()

  constructor(documents: ArticleDocument[]) {
    const add = (paragraph: Paragraph, span: SentenceSpan) => {
      const id = this.sentences.push({ ...span, docId: paragraph.docId, paragraph: paragraph.number }) - 1
      for (const gram of bigramsOf(span.text)) {
        const list = this.postings.get(gram)
        if (list) list.push(id)
        else this.postings.set(gram, [id])
      }
    }
    for (const document of documents) {
      for (const paragraph of document.paragraphs) for (const span of splitIntoSentences(paragraph.text)) add(paragraph, span)
    }
  }

  /** Sentences sharing at least one bigram with the question, best first, at most `depth`. */
  rank(question: string, depth: number): LocatedSentence[] {
    const scores = new Map<number, number>()
    for (const gram of bigramsOf(question)) {
      const list = this.postings.get(gram)
      if (!list) continue
      const idf = Math.log(1 + (this.sentences.length - list.length + 0.5) / (list.length + 0.5))
      for (const id of list) scores.set(id, (scores.get(id) ?? 0) + idf)
    }
    return [...scores.entries()]
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, depth)
      .map(([id]) => this.sentences[id])
  }
}
