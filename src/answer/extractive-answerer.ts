import { splitIntoSentences } from '../ingest/split-into-sentences.ts'
import { BREADCRUMB_SEPARATOR } from '../ingest/parse-paragraphs.ts'
import type { Paragraph, SentenceSpan } from '../ingest/types.ts'
import type { RetrievedPassage } from '../retrieval/hybrid-retriever.ts'
import type { TermStatistics } from '../retrieval/term-statistics.ts'
import type { QueryTranslator } from '../text/query-translator.ts'
import { abstentionMessage } from './abstention.ts'
import { detectLanguage } from './detect-language.ts'
import { continuesEnumeration, expectedAnswerOf, sentenceFitsExpectation } from './question-cues.ts'
import { coverageOf, questionTermsOf } from './question-terms.ts'
import type { Citation, GroundedAnswer } from './types.ts'

/** Tuning of extractive answering; the defaults were calibrated on the dev set (see README, Evaluation). */
export interface ExtractiveAnswererOptions {
  /**
   * Least evidence (share of the question's IDF weight found in the best sentence and its
   * paragraph) to answer at all; below it the answerer abstains. Range 0–1. Default 0.5.
   */
  minEvidence: number
  /** Most sentences in an answer. Range 1–3. Default 3. */
  maxSentences: number
  /** A further sentence joins the answer when it scores at least this share of the best one. Default 0.85. */
  companionRatio: number
  /**
   * Most items in an outline answer: a question about each part of a section (“四个全面”分别…)
   * is answered with the titles of the section's numbered items, which may be more than
   * `maxSentences`. Default 6.
   */
  maxOutlineItems: number
}

export const defaultExtractiveAnswererOptions: ExtractiveAnswererOptions = { minEvidence: 0.5, maxSentences: 3, companionRatio: 0.85, maxOutlineItems: 6 }

/** A sentence of the article with the terms it holds, prepared once at start-up. */
interface IndexedSentence extends SentenceSpan {
  paragraph: Paragraph
  /** Normalized for matching (NFKC, lower case), same length as `text`. */
  searchable: string
}

interface ScoredSentence {
  sentence: IndexedSentence
  score: number
  evidence: number
}

function searchableText(text: string): string {
  return text.normalize('NFKC').toLowerCase()
}

function topSectionOf(paragraph: Paragraph): string {
  return paragraph.section.split(BREADCRUMB_SEPARATOR)[0]
}

// Questions about each of several parts: 分别 / 各 / respectively.
const ASKS_FOR_EACH_PART = /分别|各自|各个|各方面|哪几个方面|\beach\b|\brespectively\b/i

function paragraphKey(docId: string, paragraph: number): string {
  return `${docId}\u0000${paragraph}`
}

/**
 * Answers with 1–3 verbatim sentences of the retrieved passages, each cited, or abstains.
 * Sentences are scored by how much of the question they (and their paragraph) cover, whether
 * they hold what the question asks for (a quantity for 多少, a date for 什么时候), and the rank
 * of the passage they came from.
 */
export class ExtractiveAnswerer {
  private readonly sentencesByParagraph = new Map<string, IndexedSentence[]>()
  private readonly paragraphSearchable = new Map<string, string>()
  /** The numbered items (1、…) under each top section, by the section's title. */
  private readonly itemsBySection = new Map<string, Paragraph[]>()
  private readonly options: ExtractiveAnswererOptions

  constructor(
    paragraphs: Paragraph[],
    private readonly statistics: TermStatistics,
    private readonly translator: QueryTranslator,
    options: Partial<ExtractiveAnswererOptions> = {},
  ) {
    this.options = { ...defaultExtractiveAnswererOptions, ...options }
    for (const paragraph of paragraphs) {
      if (paragraph.kind === 'item') {
        const sectionKey = paragraphKey(paragraph.docId, 0) + topSectionOf(paragraph)
        this.itemsBySection.set(sectionKey, [...(this.itemsBySection.get(sectionKey) ?? []), paragraph])
      }
      const key = paragraphKey(paragraph.docId, paragraph.number)
      this.paragraphSearchable.set(key, searchableText(`${paragraph.section}\n${paragraph.text}`))
      this.sentencesByParagraph.set(
        key,
        splitIntoSentences(paragraph.text).map((span) => ({ ...span, paragraph, searchable: searchableText(span.text) })),
      )
    }
  }

  answer(question: string, passages: RetrievedPassage[]): GroundedAnswer & { evidence: number } {
    const language = detectLanguage(question)
    const abstain = (evidence: number) => ({ answer: abstentionMessage(language), answerable: false, citations: [], evidence })
    if (passages.length === 0) return abstain(0)

    const scored = this.scoreSentences(question, passages)
    const best = scored[0]
    if (!best || best.evidence < this.options.minEvidence) return abstain(best?.evidence ?? 0)

    const chosen = this.chooseSentences(question, scored)
    const citations: Citation[] = chosen.map(({ sentence, score }, index) => ({
      n: index + 1,
      docId: sentence.paragraph.docId,
      paragraph: sentence.paragraph.number,
      section: sentence.paragraph.section,
      text: sentence.text,
      start: sentence.start,
      end: sentence.end,
      score: Number(score.toFixed(4)),
    }))
    const separator = language === 'en' ? ' ' : ''
    const answer = citations.map((citation) => `${citation.text}[${citation.n}]`).join(separator)
    return { answer, answerable: true, citations, evidence: best.evidence }
  }

  private scoreSentences(question: string, passages: RetrievedPassage[]): ScoredSentence[] {
    const terms = questionTermsOf(question, this.statistics, this.translator)
    const expected = expectedAnswerOf(question)
    const topPassageScore = passages[0].score
    const byPosition = new Map<string, ScoredSentence>()
    for (const passage of passages) {
      const { chunk } = passage
      const key = paragraphKey(chunk.docId, chunk.paragraph)
      const paragraphCoverage = coverageOf(terms, this.paragraphSearchable.get(key) ?? '')
      for (const sentence of this.sentencesByParagraph.get(key) ?? []) {
        // Sentences the passage overlaps; a sentence seen through a better passage keeps that score.
        if (sentence.end <= chunk.start || sentence.start >= chunk.end) continue
        const position = `${key}\u0000${sentence.start}`
        if (byPosition.has(position)) continue
        const sentenceCoverage = coverageOf(terms, sentence.searchable)
        const evidence = 0.6 * sentenceCoverage + 0.4 * paragraphCoverage
        const fits = sentenceFitsExpectation(sentence.text, expected) ? 0.15 : 0
        const retrieval = 0.15 * (passage.score / topPassageScore)
        byPosition.set(position, { sentence, evidence, score: evidence + fits + retrieval })
      }
    }
    return [...byPosition.values()].sort((a, b) => b.score - a.score)
  }

  /**
   * The first sentence (the title) of every numbered item in the section the paragraph belongs
   * to, in order: the answer to “how was each part of X done” is the list of X's parts.
   */
  private outlineOf(paragraph: Paragraph, scored: ScoredSentence[]): ScoredSentence[] {
    const items = this.itemsBySection.get(paragraphKey(paragraph.docId, 0) + topSectionOf(paragraph)) ?? []
    return items.slice(0, this.options.maxOutlineItems).map((item) => {
      const title = this.sentencesByParagraph.get(paragraphKey(item.docId, item.number))![0]
      return scored.find((candidate) => candidate.sentence === title) ?? { sentence: title, score: 0, evidence: 0 }
    })
  }

  private chooseSentences(question: string, scored: ScoredSentence[]): ScoredSentence[] {
    const { maxSentences, companionRatio } = this.options
    const expected = expectedAnswerOf(question)
    const [best] = scored
    const chosen = [best]
    const isChosen = (candidate: ScoredSentence) => chosen.some((item) => item.sentence === candidate.sentence)

    if (expected === 'list' || expected === 'open') {
      // An enumeration (一是… 二是… 三是…) is answered whole: take the sentences that carry it on.
      const siblings = this.sentencesByParagraph.get(paragraphKey(best.sentence.paragraph.docId, best.sentence.paragraph.number)) ?? []
      for (let index = siblings.indexOf(best.sentence) + 1; index < siblings.length && chosen.length < maxSentences; index++) {
        if (!continuesEnumeration(siblings[index].text)) break
        chosen.push(scored.find((item) => item.sentence === siblings[index]) ?? { sentence: siblings[index], score: 0, evidence: 0 })
      }
    }
    // "分别" / "each" asks about several places in the text: prefer sentences from other paragraphs.
    const spread = ASKS_FOR_EACH_PART.test(question)
    if (spread) {
      const outline = this.outlineOf(best.sentence.paragraph, scored)
      if (outline.length >= 2) return outline
    }
    for (const candidate of scored) {
      if (chosen.length >= (expected === 'list' || expected === 'open' || spread ? maxSentences : 2)) break
      if (isChosen(candidate)) continue
      const ratio = spread ? 0.5 : companionRatio
      if (candidate.score < best.score * ratio) break
      if (spread && chosen.some((item) => item.sentence.paragraph === candidate.sentence.paragraph)) continue
      chosen.push(candidate)
    }
    return chosen.sort(
      (a, b) => a.sentence.paragraph.docId.localeCompare(b.sentence.paragraph.docId) || a.sentence.paragraph.number - b.sentence.paragraph.number || a.sentence.start - b.sentence.start,
    )
  }
}
