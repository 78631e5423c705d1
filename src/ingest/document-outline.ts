import { parseChineseNumeral, writeChineseNumeral } from '../text/chinese-numerals.ts'
import { isStopWord } from '../text/stop-words.ts'
import { segmentWords } from '../text/tokenize.ts'
import { BREADCRUMB_SEPARATOR } from './parse-paragraphs.ts'
import { splitIntoSentences } from './split-into-sentences.ts'
import type { ArticleDocument, Paragraph, SentenceSpan } from './types.ts'

/**
 * The outline of a document, built at ingest from its parsed structure: its title, its thesis
 * sentence, its top-level sections (一、… or Markdown headings) and the numbered items (1、…)
 * under each. Every part is a verbatim span of a paragraph, so an answer built from the outline
 * cites the heading paragraphs themselves.
 *
 * The thesis is chosen among the sentences of the introduction (the body before the first
 * heading; the first body paragraph when there are no headings) by four signals, measured on the
 * article in the README (Whole-document questions):
 * - `announces`: it names the sections as a whole — a numeral run as long as the list of sections
 *   (“一二三四五” before five sections) or a count of them (五个方面, 以下几点);
 * - `headings`: the share of section titles it shares a content word with;
 * - `centrality`: its TF-IDF cosine with the rest of the document, scaled to the best candidate;
 * - `position`: the opening sentence (states the subject) and the last one before the sections
 *   (leads into them) get 1, the others 0.5.
 * A document without sections has nothing to announce or share, so position takes their weight:
 * its opening sentence is the thesis (the lead of encyclopedia and news text).
 */

/** Bumped whenever the outline's shape or the way it is chosen changes; an index holding another version is rebuilt. */
export const OUTLINE_FORMAT_VERSION = 1

/** A verbatim span of a paragraph: `paragraphs[paragraph - 1].text.slice(start, end) === text`. */
export interface OutlineSpan {
  /** 1-based paragraph number. */
  paragraph: number
  start: number
  end: number
  text: string
}

/** A numbered item (1、…) of a section. */
export interface OutlineItem {
  /** Its title as its breadcrumb names it: `1、要坚持创新发展`. */
  title: string
  /** Its first sentence: the title with its gist. */
  sentence: OutlineSpan
}

/** A top-level section: its heading and the numbered items under it. */
export interface OutlineSection {
  /** Its title as breadcrumbs name it: `五、践行五大发展理念`. */
  title: string
  /** The heading's first sentence, the title with its one-line gist: `五、践行五大发展理念,即用…全局。`. */
  heading: OutlineSpan
  /** The first sentence of the section's first body paragraph, when it has one. */
  lead?: OutlineSpan
  items: OutlineItem[]
  /** First (the heading) and last paragraph of the section. */
  firstParagraph: number
  lastParagraph: number
}

/** The title of the outline: the document's own title line, or — when it has none — the clause of the thesis that names its sections. */
export interface OutlineTitle extends OutlineSpan {
  from: 'metadata' | 'thesis'
}

/** How one introduction sentence scored as the thesis (see {@link rankThesisCandidates}). */
export interface ThesisCandidate extends OutlineSpan {
  announces: number
  headings: number
  centrality: number
  position: number
  score: number
}

export interface DocumentOutline {
  docId: string
  title?: OutlineTitle
  /** The thesis: the sentence that states what the whole document says (one; none for an empty document). */
  thesis: OutlineSpan[]
  /** What the thesis or title calls the sections as a whole (`一二三四五`, `五个方面`): a question about it is a question about the whole. */
  announces: string[]
  sections: OutlineSection[]
}

/** Weights of the thesis signals (see the module comment). Sum 1. */
export interface ThesisWeights {
  announces: number
  headings: number
  centrality: number
  position: number
}

export const defaultThesisWeights: ThesisWeights = { announces: 0.4, headings: 0.25, centrality: 0.25, position: 0.1 }

// Only words for parts of a text: 四个全面 and 五大发展理念 are names, not counts of sections.
const COUNT_WORD = '(?:个方面|方面|个部分|部分|点|条|项)'
// “一二三四五”, "1234", 「一二三」: a run of consecutive numerals in quotes.
const QUOTED = /[“"「『‘']([^”"」』’']{1,20})[”"」』’']/gu
const ANNOUNCING_PHRASE = /以下几|如下几|下列几|几个方面|几点/u

function spanOf(paragraph: Paragraph, sentence: SentenceSpan): OutlineSpan {
  return { paragraph: paragraph.number, start: sentence.start, end: sentence.end, text: sentence.text }
}

function firstSentence(paragraph: Paragraph): OutlineSpan | undefined {
  const [sentence] = splitIntoSentences(paragraph.text)
  return sentence ? spanOf(paragraph, sentence) : undefined
}

function topTitleOf(paragraph: Paragraph): string {
  return paragraph.section.split(BREADCRUMB_SEPARATOR)[0]
}

/** A quoted run of the numerals 1…n (一二三四五, 12345): a list announced by its numbers. */
function isNumeralRun(text: string, count: number): boolean {
  const digits = [...text.replace(/[、,，\s]/gu, '')]
  if (digits.length !== count || count < 2) return false
  return digits.every((digit, index) => digit === writeChineseNumeral(index + 1) || digit === String(index + 1))
}

/** Terms of a sentence that name `count` sections as a whole: “一二三四五”, 五个方面, 以下几点. */
export function announcedTermsOf(sentence: string, count: number): string[] {
  if (count < 2) return []
  const terms: string[] = []
  for (const match of sentence.matchAll(QUOTED)) if (isNumeralRun(match[1], count)) terms.push(match[1])
  const counted = new RegExp(`([一二两三四五六七八九十]{1,3}|\\d{1,2})${COUNT_WORD}`, 'gu')
  for (const match of sentence.matchAll(counted)) {
    // 五个方面, not 一二个方面: a count is never read digit by digit.
    if (parseChineseNumeral(match[1], { digitByDigit: false }) === count) terms.push(match[0])
  }
  const phrase = ANNOUNCING_PHRASE.exec(sentence)
  if (phrase) terms.push(phrase[0])
  return [...new Set(terms)]
}

function contentWords(text: string): Set<string> {
  return new Set(segmentWords(text).filter((word) => word.length >= 2 && !isStopWord(word) && !/^\d/.test(word)))
}

/** TF-IDF vectors of texts over their own words (IDF among the texts themselves). */
function tfidfVectors(texts: string[]): Map<string, number>[] {
  const bags = texts.map((text) => segmentWords(text).filter((word) => !isStopWord(word)))
  const frequency = new Map<string, number>()
  for (const bag of bags) for (const word of new Set(bag)) frequency.set(word, (frequency.get(word) ?? 0) + 1)
  return bags.map((bag) => {
    const vector = new Map<string, number>()
    for (const word of bag) vector.set(word, (vector.get(word) ?? 0) + 1)
    for (const [word, count] of vector) vector.set(word, count * Math.log(1 + texts.length / frequency.get(word)!))
    return vector
  })
}

function cosine(left: Map<string, number>, right: Map<string, number>): number {
  let dot = 0
  for (const [word, weight] of left) dot += weight * (right.get(word) ?? 0)
  const norm = (vector: Map<string, number>) => Math.sqrt([...vector.values()].reduce((sum, weight) => sum + weight * weight, 0))
  const denominator = norm(left) * norm(right)
  return denominator === 0 ? 0 : dot / denominator
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000
}

/** The paragraphs that are the document's own title or byline lines, never content. */
function metadataParagraphs(document: ArticleDocument): Set<number> {
  const { title, author, source, date } = document.metadata
  const numbers = new Set<number>()
  for (const field of [title, author, source, date]) {
    if (!field) continue
    const paragraph = document.paragraphs[field.paragraph - 1]
    // A whole short line (作者:…), not a sentence that merely ends with a byline.
    if (field === title || paragraph.text.length - (field.end - field.start) <= 12) numbers.add(field.paragraph)
  }
  return numbers
}

function sectionsOf(document: ArticleDocument, skipped: Set<number>): OutlineSection[] {
  const sections: OutlineSection[] = []
  for (const paragraph of document.paragraphs) {
    if (skipped.has(paragraph.number)) continue
    const current = sections.at(-1)
    if (paragraph.kind === 'heading') {
      const heading = firstSentence(paragraph)
      if (!heading) continue
      sections.push({ title: topTitleOf(paragraph), heading, items: [], firstParagraph: paragraph.number, lastParagraph: paragraph.number })
      continue
    }
    if (!current) continue
    current.lastParagraph = paragraph.number
    if (paragraph.kind === 'item') {
      const sentence = firstSentence(paragraph)
      if (sentence) current.items.push({ title: paragraph.section.split(BREADCRUMB_SEPARATOR).at(-1)!, sentence })
    } else if (!current.lead && current.items.length === 0) {
      current.lead = firstSentence(paragraph)
    }
  }
  return sections
}

function scoreThesisCandidates(document: ArticleDocument, sections: OutlineSection[], skipped: Set<number>, weights: ThesisWeights = defaultThesisWeights): ThesisCandidate[] {
  const body = document.paragraphs.filter((paragraph) => !skipped.has(paragraph.number) && paragraph.kind === 'body')
  const firstHeading = sections[0]?.firstParagraph ?? Infinity
  const introduction = body.filter((paragraph) => paragraph.number < firstHeading)
  // Without an introduction before the headings (or without headings), the first body paragraph opens the document.
  const opening = introduction.length > 0 && sections.length > 0 ? introduction : body.slice(0, 1)
  const candidates = opening.flatMap((paragraph) => splitIntoSentences(paragraph.text).map((sentence) => spanOf(paragraph, sentence)))
  if (candidates.length === 0) return []

  const allSentences = document.paragraphs
    .filter((paragraph) => !skipped.has(paragraph.number))
    .flatMap((paragraph) => splitIntoSentences(paragraph.text).map((sentence) => ({ paragraph: paragraph.number, start: sentence.start, text: sentence.text })))
  const vectors = tfidfVectors(allSentences.map((sentence) => sentence.text))
  const centralityOf = (candidate: OutlineSpan) => {
    const own = allSentences.findIndex((sentence) => sentence.paragraph === candidate.paragraph && sentence.start === candidate.start)
    const rest = new Map<string, number>()
    vectors.forEach((vector, index) => {
      if (index === own) return
      for (const [word, weight] of vector) rest.set(word, (rest.get(word) ?? 0) + weight)
    })
    return cosine(vectors[own], rest)
  }
  const titleWords = sections.map((section) => contentWords(section.title.replace(/^[^、.．]*[、.．]/u, '')))
  const raw = candidates.map((candidate, index) => {
    const words = contentWords(candidate.text)
    const sharing = titleWords.filter((title) => [...title].some((word) => words.has(word))).length
    return {
      ...candidate,
      announces: announcedTermsOf(candidate.text, sections.length).length > 0 ? 1 : 0,
      headings: sections.length ? sharing / sections.length : 0,
      centrality: centralityOf(candidate),
      position: index === 0 || (sections.length > 0 && index === candidates.length - 1) ? 1 : 0.5,
    }
  })
  const bestCentrality = Math.max(...raw.map((candidate) => candidate.centrality)) || 1
  // Without sections there is nothing to announce or share: their weight goes to position, so the
  // opening sentence leads (the lead of encyclopedia and news text) unless another is far more central.
  const weight = sections.length > 0 ? weights : { ...weights, announces: 0, headings: 0, position: weights.position + weights.announces + weights.headings }
  return raw
    .map((candidate) => {
      const centrality = candidate.centrality / bestCentrality
      const score = weight.announces * candidate.announces + weight.headings * candidate.headings + weight.centrality * centrality + weight.position * candidate.position
      return { ...candidate, headings: round(candidate.headings), centrality: round(centrality), score: round(score) }
    })
    .sort((left, right) => right.score - left.score || left.paragraph - right.paragraph || left.start - right.start)
}

/** Every sentence of the introduction scored as the thesis (see the module comment), best first. */
export function rankThesisCandidates(document: ArticleDocument, weights: ThesisWeights = defaultThesisWeights): ThesisCandidate[] {
  const skipped = metadataParagraphs(document)
  return scoreThesisCandidates(document, sectionsOf(document, skipped), skipped, weights)
}

/** The clause of the thesis that holds an announced term: `乡镇党委书记要牢牢把握“一二三四五”`. */
function clauseHolding(span: OutlineSpan, term: string): OutlineSpan | undefined {
  const at = span.text.indexOf(term)
  if (at === -1) return undefined
  const before = span.text.slice(0, at)
  const clauseStart = Math.max(...[',', '，', ';', '；', ':', '：', '。'].map((mark) => before.lastIndexOf(mark))) + 1
  const after = span.text.slice(at).search(/[,，;；:：。！？!?]/u)
  const clauseEnd = after === -1 ? span.text.length : at + after
  const text = span.text.slice(clauseStart, clauseEnd).trim()
  if (!text) return undefined
  const start = span.start + span.text.indexOf(text, clauseStart)
  return { paragraph: span.paragraph, start, end: start + text.length, text }
}

/** Builds the outline of one document from its paragraphs (kinds and breadcrumbs) and metadata. */
export function buildDocumentOutline(document: ArticleDocument, weights: ThesisWeights = defaultThesisWeights): DocumentOutline {
  const skipped = metadataParagraphs(document)
  const sections = sectionsOf(document, skipped)
  const thesisCandidates = scoreThesisCandidates(document, sections, skipped, weights)
  const thesis = thesisCandidates.slice(0, 1).map(({ paragraph, start, end, text }) => ({ paragraph, start, end, text }))
  const { title: metadataTitle } = document.metadata
  const announces = [...new Set([...(metadataTitle ? announcedTermsOf(metadataTitle.value, sections.length) : []), ...thesis.flatMap((span) => announcedTermsOf(span.text, sections.length))])]
  let title: OutlineTitle | undefined
  if (metadataTitle) {
    title = { paragraph: metadataTitle.paragraph, start: metadataTitle.start, end: metadataTitle.end, text: metadataTitle.value, from: 'metadata' }
  } else {
    // No title line: the thesis clause naming the sections as a whole is what the document promises (its headline, in effect).
    const quoted = announces.find((term) => thesis[0]?.text.includes(`“${term}”`)) ?? announces[0]
    const clause = quoted && thesis[0] ? clauseHolding(thesis[0], quoted) : undefined
    if (clause) title = { ...clause, from: 'thesis' }
  }
  return { docId: document.id, ...(title ? { title } : {}), thesis, announces, sections }
}
