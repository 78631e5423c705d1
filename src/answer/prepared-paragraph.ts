import { splitIntoSentences } from '../ingest/split-into-sentences.ts'
import type { ArticleDocument, Paragraph, SentenceSpan } from '../ingest/types.ts'
import { searchableText, unitBigramsOf } from '../text/sentence-pairs.ts'
import { cutWords, segmentWords } from '../text/tokenize.ts'
import { sentenceFitsExpectation, type ExpectedAnswer } from './question-cues.ts'

/** A sentence of a document with its context, prepared when its paragraph is first a candidate. */
export interface IndexedSentence extends SentenceSpan {
  paragraph: Paragraph
  /** Position of the sentence in its paragraph. */
  index: number
  /** Normalized for matching (NFKC, lower case). */
  searchable: string
  /** Its character pairs (see unitBigramsOf). */
  bigrams: Set<string>
  /** Whether it holds each kind of answer, as far as questions have asked (see fitsExpectation). */
  fitsKind: Partial<Record<ExpectedAnswer, boolean>>
  /** The last characters of its words (jieba's cut), made when a question first needs them (see wordEndsOf). */
  wordEnds?: Set<string>
  /**
   * It holds the document's byline or date line (作者:…杨赤明): a statement about the document,
   * not part of the paragraph it was printed in, so it is judged on its own words only — a
   * question about the author's birth year is not answered by the byline because the paragraph
   * before it holds dates.
   */
  isMetadata: boolean
}

/** What surrounds the sentences of one paragraph: its section breadcrumb and its document's title. */
export interface ParagraphContext {
  paragraph: Paragraph
  sentences: IndexedSentence[]
  /** Breadcrumb and document title: what every sentence of the paragraph is about. */
  topic: string
  /** Character pairs of the topic. */
  topicPairs: Set<string>
  /** Topic plus the paragraph's text. */
  surroundings: string
  /** The document's title line (never an answer by itself). */
  isTitle: boolean
  /** The words of the paragraph and its topic, for the rewording evidence (made on first need). */
  words?: string[]
}

/**
 * A heading line without a sentence in it (a Markdown title) of at most `characters` characters:
 * it names a topic, it answers nothing.
 */
export function bareHeadingPattern(characters: number): RegExp {
  return new RegExp(`^[^。！？!?；;，,]{1,${characters}}$`)
}

/** Paragraph `number` (1-based) of a document, cut into sentences with its context; undefined past the document's end. */
export function prepareParagraph(document: ArticleDocument, number: number, bareHeading: RegExp): ParagraphContext | undefined {
  const paragraph = document.paragraphs[number - 1]
  if (!paragraph) return undefined
  const titleParagraph = document.metadata?.title?.paragraph
  const title = titleParagraph ? document.paragraphs[titleParagraph - 1].text : ''
  const topic = searchableText(`${title}\n${paragraph.section}`)
  const isTitle = paragraph.number === titleParagraph || (paragraph.kind === 'heading' && bareHeading.test(paragraph.text))
  const metadataSpans = [document.metadata?.author, document.metadata?.date].filter((field) => field?.paragraph === number)
  const sentences = splitIntoSentences(paragraph.text).map((span, index) => ({
    ...span,
    index,
    paragraph,
    searchable: searchableText(span.text),
    bigrams: unitBigramsOf(span.text),
    fitsKind: {},
    isMetadata: metadataSpans.some((field) => field!.start < span.end && field!.end > span.start),
  }))
  // The byline is no part of the paragraph it was printed in: the other sentences do not get its words.
  const content = sentences.filter((sentence) => !sentence.isMetadata).map((sentence) => sentence.text).join('')
  return { paragraph, sentences, topic, topicPairs: unitBigramsOf(topic), surroundings: `${topic}\n${searchableText(content)}`, isTitle }
}

/** The words of a paragraph and its topic (jieba's search cut), made once. */
export function wordsOf(context: ParagraphContext): string[] {
  return (context.words ??= segmentWords(context.surroundings))
}

/** The last characters of a sentence's words (jieba's cut), made once. */
export function wordEndsOf(sentence: IndexedSentence): Set<string> {
  return (sentence.wordEnds ??= new Set(cutWords(sentence.text).map((word) => word.at(-1)!)))
}

/** Whether a sentence holds the kind of answer asked for; a definition is what opens a paragraph. */
export function fitsExpectation(sentence: IndexedSentence, expected: ExpectedAnswer): boolean {
  if (expected === 'definition') return sentence.index === 0
  // Kept with the prepared sentence: the same paragraphs are candidates for many questions.
  return (sentence.fitsKind[expected] ??= sentenceFitsExpectation(sentence.text, expected))
}
