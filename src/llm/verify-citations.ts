import { detectLanguage } from '../answer/detect-language.ts'
import { bigramSupportScorer, type SupportScorer } from './support-score.ts'

/** A sentence of an LLM answer, with the passages it cites and whether they bear it out. */
export interface AnswerSegment {
  /** The sentence without its markers. */
  text: string
  /** Numbers of the passages cited (after invalid markers were dropped, or the best passage attached). */
  cites: number[]
  supported: boolean
  /** Support of the sentence by its cited passages (best of them), 0–1, 4 decimals; see {@link VerifyCitationsOptions.scorer}. */
  score: number
}

/** A passage given to the model, by its marker number. */
export interface NumberedPassage {
  n: number
  text: string
}

export interface VerifyCitationsOptions {
  /** Least support score for a sentence to count as supported. Range 0–1. Default 0.4: a paraphrase keeps ~half the bigrams of the passage's wording; unrelated sentences share < 0.2. */
  minSupport: number
  /**
   * How a sentence's support by a passage is measured, 0–1. Default {@link bigramSupportScorer}
   * (Chinese character bigrams, same-language only); the service passes a
   * `CrossLingualSupportScorer`, which also checks English sentences through the translation
   * lexicon, requires every number of the sentence to be in the passage, and may add embedding
   * similarity.
   */
  scorer: SupportScorer
  /** Sentences shorter than this many overlap units (e.g. "是的。") are not claims to check. Default 4. */
  minClaimUnits: number
}

export const defaultVerifyCitationsOptions: VerifyCitationsOptions = { minSupport: 0.4, minClaimUnits: 4, scorer: bigramSupportScorer }

export interface VerifiedAnswer {
  /** The answer rebuilt from its segments, each followed by its valid `[n]` markers. */
  answer: string
  segments: AnswerSegment[]
  /** False when no sentence is supported by a passage. */
  answerable: boolean
  /** Marker numbers the model wrote that point to no passage (dropped). */
  droppedMarkers: number[]
}

// [1], [1,2], [1][2], 【1】, [^1]: the forms models use for numbered references.
const MARKER = /\s*(?:\[\^?|【)\s*(\d+(?:\s*[,，、]\s*\d+)*)\s*(?:\]|】)/g
// A sentence ends at 。！？ (or !? or a '.' before a space/end) or a line break; markers right after stay with it.
const SENTENCE = /[^。！？!?\n]*?(?:[。！？!?]+[”’」』）)]*|\.(?=\s|$)|\n+|$)(?:\s*(?:\[\^?|【)\s*\d+(?:\s*[,，、]\s*\d+)*\s*(?:\]|】))*/gu

function splitAnswerSentences(answer: string): string[] {
  return (answer.match(SENTENCE) ?? []).map((sentence) => sentence.trim()).filter((sentence) => sentence !== '')
}

/** The sentences of an answer as they are scored (markers removed), for scorers that prepare ahead (embeddings). */
export function answerClaims(answer: string): string[] {
  return splitAnswerSentences(answer)
    .map((sentence) => sentence.replace(MARKER, '').trim())
    .filter((text) => text !== '')
}

function markersOf(sentence: string): number[] {
  return [...sentence.matchAll(MARKER)].flatMap((match) => match[1].split(/[,，、]/).map((number) => Number(number.trim())))
}

/**
 * Checks an LLM answer against the passages it was given: drops markers to passages that were
 * not given, scores each sentence against what it cites, attaches uncited (or wrongly cited)
 * sentences to their best-supporting passage, drops the markers of a claim no passage supports
 * (it stays in the answer, `supported: false`), and calls the answer unanswerable when no
 * sentence is supported.
 */
export function verifyCitations(answer: string, passages: NumberedPassage[], options: Partial<VerifyCitationsOptions> = {}): VerifiedAnswer {
  const { minSupport, minClaimUnits, scorer } = { ...defaultVerifyCitationsOptions, ...options }
  const byNumber = new Map(passages.map((passage) => [passage.n, passage.text]))
  const droppedMarkers: number[] = []
  const segments: AnswerSegment[] = []
  for (const sentence of splitAnswerSentences(answer)) {
    const text = sentence.replace(MARKER, '').trim()
    if (text === '') continue
    const written = [...new Set(markersOf(sentence))]
    droppedMarkers.push(...written.filter((n) => !byNumber.has(n)))
    const valid = written.filter((n) => byNumber.has(n))
    const scores = new Map(passages.map((passage) => [passage.n, scorer.score(text, passage.text)]))
    const isClaim = (text.match(/\p{Script=Han}|\d+|[\p{L}]+/gu)?.length ?? 0) >= minClaimUnits
    const citedScore = Math.max(0, ...valid.map((n) => scores.get(n) ?? 0))
    let cites = valid
    let score = citedScore
    if (isClaim && citedScore < minSupport) {
      // Uncited, or cited to a passage that does not bear it out: attach the best one if it does.
      const [bestNumber, bestScore] = [...scores.entries()].sort((a, b) => b[1] - a[1])[0] ?? [0, 0]
      if (bestScore >= minSupport) {
        cites = [bestNumber]
        score = bestScore
      } else {
        // A marker promises that the passage bears the sentence out; no passage does, so none is kept.
        cites = []
      }
    }
    segments.push({ text, cites, supported: isClaim && score >= minSupport, score: Number(score.toFixed(4)) })
  }
  const separator = detectLanguage(answer) === 'en' ? ' ' : ''
  const rebuilt = segments
    .map((segment) => `${segment.text}${segment.cites.map((n) => `[${n}]`).join('')}`)
    .join(separator)
  return { answer: rebuilt, segments, answerable: segments.some((segment) => segment.supported), droppedMarkers: [...new Set(droppedMarkers)] }
}
