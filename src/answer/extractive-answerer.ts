import { splitIntoSentences } from '../ingest/split-into-sentences.ts'
import { pageOf } from '../ingest/chunk-paragraphs.ts'
import { BREADCRUMB_SEPARATOR } from '../ingest/parse-paragraphs.ts'
import type { ArticleDocument, Paragraph, SentenceSpan } from '../ingest/types.ts'
import type { RetrievedPassage } from '../retrieval/hybrid-retriever.ts'
import type { TermStatistics } from '../retrieval/term-statistics.ts'
import type { QueryTranslator } from '../text/query-translator.ts'
import { RecentResults } from '../text/recent-results.ts'
import { isStopWord } from '../text/stop-words.ts'
import { countSentencePairs, searchableText, unitBigramsOf, type SentencePairStatistics } from '../text/sentence-pairs.ts'
import type { GlossDictionary } from '../text/gloss-dictionary.ts'
import { cutWords, isHan, segmentQuestion, segmentWords } from '../text/tokenize.ts'
import { abstentionMessage } from './abstention.ts'
import { detectLanguage } from './detect-language.ts'
import { announcesList, askedCountOf, askedUnitOf, enumerationItemOf, listedItemsIn, continuesEnumeration, endsInSemicolon, drawsConsequence, expectedAnswerOf, holdsQuantityIn, sentenceFitsExpectation, type ExpectedAnswer } from './question-cues.ts'
import { anchorHeld, defaultQuestionTermOptions, looseCoverageFrom, roleAskedFor, questionTermsOf, termCoverage, type QuestionTerm, type QuestionTermOptions } from './question-terms.ts'
import { englishSubjectsOf, holdsSubject, leadingTopicOf, subjectsOf, type QuestionSubject } from './question-subject.ts'
import { RewordingEvidence, type RewordingOptions } from './rewording-evidence.ts'
import { combineEvidence, paragraphSemanticEvidence } from './semantic-evidence.ts'
import type { Citation, GroundedAnswer } from './types.ts'

/** Tuning of extractive answering; the defaults were calibrated on the article's dev set and the CMRC trial set together (README, Evaluation). */
export interface ExtractiveAnswererOptions {
  /**
   * Least evidence to answer at all: the share of the question's weight found in the chosen
   * sentence or around it (its paragraph, section and document title). Range 0–1. Default 0.4.
   */
  minEvidence: number
  /** A second sentence of the same paragraph joins a one-sentence answer when it scores at least this share of the best. Default 0.85. */
  factoidCompanionRatio: number
  /** …and when the two together are at most this many characters. Default 120. */
  factoidCompanionCharacters: number
  /** Most sentences in an answer. Range 1–3. Default 3. */
  maxSentences: number
  /** A further sentence joins an open or list answer when it scores at least this share of the best one. Default 0.8. */
  companionRatio: number
  /**
   * Most items in an outline answer: a question about each part of a section (“四个全面”分别…)
   * is answered with the titles of the section's numbered items, which may be more than
   * `maxSentences`. Default 6.
   */
  maxOutlineItems: number
  /** How question words are weighed (see QuestionTermOptions). */
  terms: Partial<QuestionTermOptions>
  /**
   * How a sentence's score is made, each part 0–1: `focus`, the question's weight it holds beyond
   * the topic its context already names; `overlap`, the rarity-weighted share of the question's
   * character pairs it holds (robust where words are segmented differently); `evidence`, the
   * weight covered in and around it; `fits`, whether it holds the kind of answer asked for;
   * `retrieval`, the rank of its passage; `topic`, the question's weight its document title and
   * section name (a page about what is asked).
   */
  scoreWeights: { focus: number; overlap: number; evidence: number; fits: number; retrieval: number; topic: number }
  /** Credits of the offline rewording evidence (shared CC-CEDICT gloss, shared head morpheme); see RewordingOptions. */
  rewording: Partial<RewordingOptions>
  /**
   * Kinds of answer a sentence must hold to answer at all: a 多少 question is not answered by a
   * sentence without a quantity, nor a 哪一年 question by one without a date, however many of its
   * words the sentence shares (杨赤明是哪一年出生的? is not answered by the byline). Default
   * quantity and date, the kinds whose presence the cues tell reliably.
   */
  requiredKinds: ExpectedAnswer[]
  /**
   * Whether a document must name the question's subject (see question-subject.ts) for its
   * paragraphs to answer. Default true: off only to measure what the check does.
   */
  subjectGate: boolean
  /**
   * Credit for a question word the paragraph lacks when the sentence holds its characters: the
   * share of them it holds, times this, when that share is at least half. Range 0–1. Default 0.5.
   */
  characterCredit: number
  /**
   * Factor on the weight of a question word that other documents hold and the paragraph's
   * document does not (at most 2): 常住人口 asked of 南岭乡 when only 青溪镇's report gives one.
   * With one document it never applies. Range ≥ 1. Default 3 (as absentTermFactor).
   */
  documentAbsentFactor: number
  /** Whether a rare term (see QuestionTermOptions.anchorSpecificity) other documents hold and the paragraph's document lacks rules the document out, as an anchor. Default true. */
  documentAnchors: boolean
  /**
   * Whether a quantity or date question's focus — its heaviest word besides its subject and what
   * the paragraph's title or section already names — must be in the answering sentence itself, or
   * reworded there: the number or date given must be the one of what is asked (占旭刚是哪一年出生的?
   * is not answered by 2003年举重世锦赛 in a sentence without 出生). Default true.
   */
  focusRequired: boolean
  /** Whether that check applies only to a focus other documents hold and this one lacks. Default true. */
  focusOnlyFromOtherDocuments: boolean
  /** Whether only anchors in the question's topic (its leading noun phrase) or Latin names rule a paragraph out; else every anchor does. Default true. */
  topicalAnchors: boolean
}

export const defaultExtractiveAnswererOptions: ExtractiveAnswererOptions = {
  minEvidence: 0.4,
  factoidCompanionRatio: 0.85,
  factoidCompanionCharacters: 120,
  maxSentences: 3,
  companionRatio: 0.8,
  maxOutlineItems: 6,
  terms: {},
  scoreWeights: { focus: 0.5, overlap: 0.3, evidence: 0.25, fits: 0.2, retrieval: 0.1, topic: 0.15 },
  rewording: {},
  requiredKinds: ['quantity', 'date'],
  subjectGate: true,
  topicalAnchors: true,
  characterCredit: 0.5,
  documentAbsentFactor: 2,
  focusRequired: true,
  focusOnlyFromOtherDocuments: true,
  documentAnchors: false,
}

// Least specificity of a word to be the question's focus: 电话号码, 有机茶, 便民服务 — not 情况 or 工作.
const FOCUS_SPECIFICITY = 0.6

/**
 * How much of a two-character Chinese word a sentence holds when one of its words ends in the
 * word's head (the last character: 网 of 拦网 in 围网, 虾 of 养虾 in 小龙虾): 1 with the other
 * character too, 0.5 with the head alone; 0 otherwise — 王 opening 王神爱 is no 帝王. A longer
 * word is judged by its character pairs instead (termCoverage): loose characters (人, 口) say
 * nothing about 常住人口.
 */
function sharedCharacters(word: string, text: string, wordEnds: Set<string>): number {
  const characters = [...word]
  if (characters.length !== 2 || !isHan(word)) return 0
  // The same two characters the other way round (厕改 for 改厕): the same compound.
  if (text.includes(characters[1] + characters[0])) return 1
  if (!wordEnds.has(characters[1])) return 0
  return text.includes(characters[0]) ? 1 : 0.5
}


/** A sentence of a document with its context, prepared when its paragraph is first a candidate. */
interface IndexedSentence extends SentenceSpan {
  paragraph: Paragraph
  /** Position of the sentence in its paragraph. */
  index: number
  /** Normalized for matching (NFKC, lower case). */
  searchable: string
  /** Its character pairs (see unitBigramsOf). */
  bigrams: Set<string>
  /** Whether it holds each kind of answer, as far as questions have asked (see fits). */
  fitsKind: Partial<Record<ExpectedAnswer, boolean>>
  /** The last characters of its words (jieba's cut), made when a question first needs them (see sharedCharacters). */
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
interface ParagraphContext {
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

interface ScoredSentence {
  sentence: IndexedSentence
  score: number
  evidence: number
}

/** The character pairs of a question inside runs of topical words: a stop word (多少, 什么, the) breaks the run. */
function questionPairsOf(question: string): Set<string> {
  const runs = segmentQuestion(question)
    .map((word) => (isStopWord(word) ? '\n' : word))
    .join('')
    .split('\n')
  return new Set(runs.flatMap((run) => [...unitBigramsOf(run)]))
}

function topSectionOf(paragraph: Paragraph): string {
  return paragraph.section.split(BREADCRUMB_SEPARATOR)[0]
}

// Least weight of a question word that names its subject (a name, not 问题 or 方面).
const SUBJECT_WEIGHT = 0.3

// Paragraphs whose sentences are kept prepared; the least recently used go first beyond it.
const PREPARED_PARAGRAPHS = 1024

// Questions about each of several parts: 分别 / 各 / respectively.
const ASKS_FOR_EACH_PART = /分别|各自|各个|各方面|哪几个方面|\beach\b|\brespectively\b/i
// A heading line without a sentence in it (a Markdown title): it names a topic, it answers nothing.
const BARE_HEADING = /^[^。！？!?；;，,]{1,40}$/

function paragraphKey(docId: string, paragraph: number): string {
  return `${docId}\u0000${paragraph}`
}

function weightedShare(terms: QuestionTerm[], coverage: (term: QuestionTerm, index: number) => number, weightOf = (term: QuestionTerm) => term.weight): number {
  let total = 0
  let covered = 0
  for (let index = 0; index < terms.length; index++) {
    const term = terms[index]
    const weight = weightOf(term)
    total += weight
    covered += weight * coverage(term, index)
  }
  return total === 0 ? 0 : covered / total
}

/**
 * Answers with 1–3 verbatim sentences of the retrieved passages, each cited, or abstains.
 *
 * Question words are weighed by how specific they are in the language (a name, 常住人口) rather
 * than in these documents, so the same evidence threshold holds on any text. A sentence is
 * chosen for the question words it holds beyond the topic its context already names — on a page
 * about 黄鳍紫鱼 every sentence is about the fish, and the answer to 黄鳍紫鱼以什么为食 is the one
 * holding 为食 — and for holding the kind of answer asked for (a quantity, a date, a place, an
 * alias, a reason). The service abstains when the question's weight found in and around the
 * best sentence is below `minEvidence`: a name that no document holds, or the one word that
 * carries the question (市长 in 赤壁市的市长是谁), leaves too much uncovered.
 */
export class ExtractiveAnswerer {
  /** Paragraphs' sentences and context, prepared on first use (a thousand documents hold ~30,000 sentences; a question needs a few). */
  private readonly contexts = new RecentResults<ParagraphContext | undefined>(PREPARED_PARAGRAPHS)
  private readonly documents = new Map<string, ArticleDocument>()
  /** The numbered items (1、…) under each top section, by the section's title. */
  private readonly itemsBySection = new Map<string, Paragraph[]>()
  private readonly options: ExtractiveAnswererOptions
  /** In how many sentences each character pair occurs, for its rarity. */
  private readonly pairs: SentencePairStatistics
  private readonly rewording: RewordingEvidence
  /** Each document's text, normalized, for the subject check. */
  private readonly documentTexts = new Map<string, string>()

  /**
   * @param pairs the documents' sentence-pair counts, as the index stores them; counted from the
   * documents when not given
   */
  constructor(
    documents: ArticleDocument[],
    private readonly statistics: TermStatistics,
    private readonly translator: QueryTranslator,
    options: Partial<ExtractiveAnswererOptions> = {},
    pairs?: SentencePairStatistics,
    glosses?: GlossDictionary,
  ) {
    this.options = { ...defaultExtractiveAnswererOptions, ...options }
    this.rewording = new RewordingEvidence(glosses, this.options.rewording)
    for (const document of documents) {
      this.documents.set(document.id, document)
      for (const paragraph of document.paragraphs) {
        if (paragraph.kind === 'item') {
          const sectionKey = paragraphKey(paragraph.docId, 0) + topSectionOf(paragraph)
          this.itemsBySection.set(sectionKey, [...(this.itemsBySection.get(sectionKey) ?? []), paragraph])
        }
      }
    }
    if (pairs) {
      this.pairs = pairs
    } else {
      const { sentenceCount, frequencies } = countSentencePairs(documents)
      this.pairs = { sentenceCount, frequency: (pair) => frequencies.get(pair) }
    }
  }

  /** A paragraph's sentences and what surrounds them, prepared once and kept while used. */
  private contextOf(docId: string, number: number): ParagraphContext | undefined {
    return this.contexts.get(paragraphKey(docId, number), () => this.prepareContext(docId, number))
  }

  private prepareContext(docId: string, number: number): ParagraphContext | undefined {
    const document = this.documents.get(docId)
    const paragraph = document?.paragraphs[number - 1]
    if (!document || !paragraph) return undefined
    const titleParagraph = document.metadata?.title?.paragraph
    const title = titleParagraph ? document.paragraphs[titleParagraph - 1].text : ''
    const topic = searchableText(`${title}\n${paragraph.section}`)
    const isTitle = paragraph.number === titleParagraph || (paragraph.kind === 'heading' && BARE_HEADING.test(paragraph.text))
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

  /** A document's whole text (its paragraphs), normalized as questions are: what the subject check reads. */
  private documentText(docId: string): string {
    let text = this.documentTexts.get(docId)
    if (text === undefined) {
      text = searchableText(this.documents.get(docId)?.paragraphs.map((paragraph) => paragraph.text).join('\n') ?? '')
      this.documentTexts.set(docId, text)
    }
    return text
  }

  private wordsOf(context: ParagraphContext): string[] {
    return (context.words ??= segmentWords(context.surroundings))
  }

  answer(question: string, passages: RetrievedPassage[]): GroundedAnswer & { evidence: number } {
    const language = detectLanguage(question)
    const abstain = (evidence: number) => ({ answer: abstentionMessage(language), answerable: false, citations: [], evidence })
    if (passages.length === 0) return abstain(0)

    const expected = expectedAnswerOf(question)
    const candidates = this.scoreSentences(question, expected, passages)
    // Only sentences with enough of the question in and around them may answer; none, and the service abstains.
    const scored = candidates.filter((candidate) => candidate.evidence >= this.options.minEvidence)
    const best = scored[0]
    if (!best) return abstain(Math.max(0, ...candidates.map((candidate) => candidate.evidence)))

    const chosen = this.chooseSentences(question, expected, scored)
    const citations: Citation[] = chosen.map(({ sentence, score }, index) => ({
      n: index + 1,
      docId: sentence.paragraph.docId,
      paragraph: sentence.paragraph.number,
      section: sentence.paragraph.section,
      text: sentence.text,
      start: sentence.start,
      end: sentence.end,
      ...pageOf(sentence.paragraph),
      score: Number(score.toFixed(4)),
    }))
    const separator = language === 'en' ? ' ' : ''
    const answer = citations.map((citation) => `${citation.text}[${citation.n}]`).join(separator)
    return { answer, answerable: true, citations, evidence: best.evidence }
  }

  private scoreSentences(question: string, expected: ExpectedAnswer, passages: RetrievedPassage[]): ScoredSentence[] {
    const terms = questionTermsOf(question, this.statistics, this.translator, this.options.terms)
    const subjects = this.options.subjectGate ? [...subjectsOf(question), ...englishSubjectsOf(question, (word) => this.translator.chineseTermsFor(word).filter((term) => this.statistics.has(term)))] : []
    // An anchor rules a paragraph out where it names what the question is about (its topic, a
    // Latin name); an anchor elsewhere in the question is weighed like any word the text lacks.
    const topic = this.options.topicalAnchors ? leadingTopicOf(question) : undefined
    // Candidates for the question's focus: words that are not its subject (电话号码 in 刘德厚的电话号码是多少?).
    const focusCandidates = this.options.focusRequired && this.options.requiredKinds.includes(expected) ? terms.flatMap((term, index) => (isHan(term.word) && term.specificity >= FOCUS_SPECIFICITY && !subjects.some((subject) => subject.text.includes(term.word) || term.word.includes(subject.text)) ? [index] : [])) : []
    const topical = terms.map((term) => term.anchor && (topic === undefined || !isHan(term.word) || topic.includes(term.word) || term.word.includes(topic.slice(-2))))
    const weights = this.options.scoreWeights
    const kindRequired = this.options.requiredKinds.includes(expected)
    // 多少万元, 几公里: the unit asked for must come with a number in the sentence.
    const unit = expected === 'quantity' ? askedUnitOf(question) : undefined
    const roleAsked = roleAskedFor(question, terms)
    // The question's character pairs, each weighed by its rarity among the sentences; pairs no sentence has say nothing here.
    const questionPairs = [...questionPairsOf(question)].flatMap((pair): [string, number][] => {
      const frequency = this.pairs.frequency(pair)
      return frequency === undefined ? [] : [[pair, Math.log(1 + this.pairs.sentenceCount / frequency)]]
    })
    const topPassageScore = passages[0].score
    // Every sentence of a paragraph a passage came from is a candidate: the passage found the
    // place, and the answer may sit in the sentence after it. A sentence inside a passage keeps
    // that passage's rank; the others get half of their best paragraph's.
    const paragraphRank = new Map<string, number>()
    const paragraphContexts = new Map<string, ParagraphContext>()
    const sentenceRank = new Map<IndexedSentence, number>()
    for (const { chunk, score } of passages) {
      const key = paragraphKey(chunk.docId, chunk.paragraph)
      const context = this.contextOf(chunk.docId, chunk.paragraph)
      if (!context) continue
      paragraphContexts.set(key, context)
      const rank = score / topPassageScore
      paragraphRank.set(key, Math.max(paragraphRank.get(key) ?? 0, rank))
      for (const sentence of context.sentences) {
        if (sentence.end > chunk.start && sentence.start < chunk.end) sentenceRank.set(sentence, Math.max(sentenceRank.get(sentence) ?? 0, rank))
      }
    }
    const scored: ScoredSentence[] = []
    // Each term is checked against a paragraph's topic and surroundings once, and against each sentence once.
    const topicCoverage = new Float64Array(terms.length)
    const surroundingsCoverage = new Float64Array(terms.length)
    const sentenceCoverage = new Float64Array(terms.length)
    const rewordedCoverage = new Float64Array(terms.length)
    const subjectHeld = new Map<string, boolean>()
    const holdsSubjects = (docId: string) => {
      let held = subjectHeld.get(docId)
      if (held === undefined) {
        const text = this.documentText(docId)
        held = subjects.every((subject: QuestionSubject) => holdsSubject(text, subject))
        subjectHeld.set(docId, held)
      }
      return held
    }
    // roleAskedFor gives one of the terms, or none.
    const roleTerm = roleAsked ? terms.indexOf(roleAsked) : -1
    for (const [key, rank] of paragraphRank) {
      const context = paragraphContexts.get(key)!
      if (context.isTitle) continue
      // A subject the document does not name rules the whole document out: its facts are about something else.
      const subjectsHere = holdsSubjects(context.paragraph.docId)
      terms.forEach((term, index) => {
        topicCoverage[index] = termCoverage(term, context.topic)
        surroundingsCoverage[index] = termCoverage(term, context.surroundings)
        // A word the paragraph lacks may be reworded there (a shared gloss or head); only asked when the subject is there.
        rewordedCoverage[index] = surroundingsCoverage[index] < 1 && subjectsHere ? this.rewording.coverage(term.word, this.wordsOf(context)) : 0
      })
      // Terms the topic (section, title) names are given for every sentence here; the rest choose between them.
      const focusIndices = terms.flatMap((_, index) => (topicCoverage[index] < 1 ? [index] : []))
      const focusOver = focusIndices.length > 0 ? focusIndices : terms.map((_, index) => index)
      const topicShare = weightedShare(terms, (_, index) => topicCoverage[index])
      // Is this page (or section) about what the question names? Then a word it lacks may be a paraphrase.
      const aboutSubject = terms.some((term, index) => term.inCorpus && term.weight >= SUBJECT_WEIGHT && topicCoverage[index] >= 1)
      const weightHere = (term: QuestionTerm) => (aboutSubject ? term.weight : (term.weightElsewhere ?? term.weight))
      // A paragraph missing one of the question's anchors (a name, a rare term) is about something else.
      // (An anchor outside the topic may also be reworded in the sentence itself: see below.)
      const anchorsHere = terms.map((term) => !term.anchor || anchorHeld(term, context.surroundings))
      const semantic = paragraphSemanticEvidence(passages, context.paragraph)
      // A quantity or a date asked for must be somewhere in the paragraph (the sentence that holds it is chosen by score).
      const kindInParagraph = !kindRequired || context.sentences.some((sentence) => this.fits(sentence, expected))
      const focusPairs = questionPairs.filter(([pair]) => !context.topicPairs.has(pair))
      const focusPairWeight = focusPairs.reduce((sum, [, weight]) => sum + weight, 0)
      // A word other documents hold but this one lacks weighs as a word no document holds: asked of this document, it is missing here.
      const documentText = this.documentText(context.paragraph.docId)
      const absentFromDocument = terms.map((term) => term.inCorpus && isHan(term.word) && termCoverage(term, documentText) === 0)
      // The focus here: the heaviest candidate the paragraph's title or section does not already name.
      let focusTerm = -1
      for (const index of focusCandidates) if (topicCoverage[index] < 1 && (focusTerm < 0 || terms[index].weight > terms[focusTerm].weight)) focusTerm = index
      // …asked of it only where other documents hold it and this one does not: the fact asked is another document's.
      if (focusTerm >= 0 && this.options.focusOnlyFromOtherDocuments && !absentFromDocument[focusTerm]) focusTerm = -1
      const weightsHere = terms.map((term, index) => (absentFromDocument[index] && this.options.documentAbsentFactor > 1 ? Math.min(2, weightHere(term) * this.options.documentAbsentFactor) : weightHere(term)))
      // A rare term other documents hold and this one lacks (常住人口 asked of 南岭乡) rules the document out, as an anchor no document holds rules out any.
      const anchorSpecificity = this.options.terms.anchorSpecificity ?? defaultQuestionTermOptions.anchorSpecificity
      const anchorsHereInDocument = terms.map((term, index) => anchorsHere[index] && !(this.options.documentAnchors && absentFromDocument[index] && [...term.word].length >= 2 && term.specificity >= anchorSpecificity))
      // The per-sentence sums below are plain loops in term order: the same sums weightedShare makes, without a closure per term and sentence.
      for (const sentence of context.sentences) {
        const text = sentence.searchable
        for (let index = 0; index < terms.length; index++) sentenceCoverage[index] = termCoverage(terms[index], text)
        let overlapSum = 0
        for (const [pair, weight] of focusPairs) overlapSum += sentence.bigrams.has(pair) ? weight : 0
        const overlap = focusPairWeight === 0 ? 0 : overlapSum / focusPairWeight
        let focusTotal = 0
        let focusCovered = 0
        for (const index of focusOver) {
          const term = terms[index]
          focusTotal += term.weight
          focusCovered += term.weight * looseCoverageFrom(term, text, sentenceCoverage[index])
        }
        const focus = focusTotal === 0 ? 0 : focusCovered / focusTotal
        const fits = this.fits(sentence, expected) ? 1 : 0
        // "Who is the X" is answered where the text names the role X (市长 in 赤壁市的市长是谁); a name
        // in a sentence about something else is not the answer.
        const namesRole = roleTerm < 0 || sentenceCoverage[roleTerm] > 0 || surroundingsCoverage[roleTerm] >= 1
        let lexicalTotal = 0
        let lexicalCovered = 0
        // The same share without the rewording credits: what chooses between sentences (a credit may let a sentence answer, never make it the one chosen).
        let literalCovered = 0
        // A paragraph missing one of the question's anchors (a name, a rare term: 常住人口), with no sign of it reworded, is about something else.
        let anchorsMissing = false
        for (let index = 0; index < terms.length; index++) {
          const term = terms[index]
          const literal = sentence.isMetadata ? sentenceCoverage[index] : Math.max(sentenceCoverage[index], surroundingsCoverage[index])
          let coverage = sentence.isMetadata ? literal : Math.max(literal, rewordedCoverage[index])
          // A word the text lacks whose characters the sentence holds (养虾 in …小龙虾养殖, 拦网 in 围网…) is likely reworded there;
          // not the question's topic, though: 钟成海 is no way to write 渠成.
          if (coverage === 0 && !topical[index] && this.options.characterCredit > 0) coverage = this.options.characterCredit * sharedCharacters(term.word, text, (sentence.wordEnds ??= new Set(cutWords(sentence.text).map((word) => word.at(-1)!))))
          if (!anchorsHereInDocument[index] && coverage === 0) anchorsMissing = true
          if (index === focusTerm && Math.max(sentenceCoverage[index], coverage === literal ? 0 : coverage) === 0) anchorsMissing = true
          const weight = weightsHere[index]
          lexicalTotal += weight
          lexicalCovered += weight * coverage
          literalCovered += weight * literal
        }
        const lexical = lexicalTotal === 0 ? 0 : lexicalCovered / lexicalTotal
        const literalShare = lexicalTotal === 0 ? 0 : literalCovered / lexicalTotal
        // A neural embedder's calibrated similarity may lift the words' evidence, never lower it; gates still hold.
        const unitHere = unit === undefined || holdsQuantityIn(sentence.text, unit)
        const gatesHold = !anchorsMissing && unitHere && namesRole && subjectsHere && (!kindRequired || (sentence.isMetadata ? fits === 1 : kindInParagraph))
        const evidence = gatesHold ? combineEvidence(lexical, semantic) : 0
        const retrieval = sentenceRank.get(sentence) ?? rank / 2
        const scoredEvidence = gatesHold ? combineEvidence(literalShare, semantic) : 0
        const score = weights.focus * focus + weights.overlap * overlap + weights.evidence * scoredEvidence + weights.fits * fits + weights.retrieval * retrieval + weights.topic * topicShare
        scored.push({ sentence, evidence, score })
      }
    }
    return scored.sort((a, b) => b.score - a.score)
  }

  /** Whether a sentence holds the kind of answer asked for; a definition is what opens a paragraph. */
  private fits(sentence: IndexedSentence, expected: ExpectedAnswer): boolean {
    if (expected === 'definition') return sentence.index === 0
    // Kept with the prepared sentence: the same paragraphs are candidates for many questions.
    return (sentence.fitsKind[expected] ??= sentenceFitsExpectation(sentence.text, expected))
  }

  /**
   * The first sentence (the title) of every numbered item in the section the paragraph belongs
   * to, in order: the answer to “how was each part of X done” is the list of X's parts.
   */
  private outlineOf(paragraph: Paragraph, scored: ScoredSentence[]): ScoredSentence[] {
    const items = this.itemsBySection.get(paragraphKey(paragraph.docId, 0) + topSectionOf(paragraph)) ?? []
    return items.slice(0, this.options.maxOutlineItems).map((item) => {
      const title = this.contextOf(item.docId, item.number)!.sentences[0]
      return scored.find((candidate) => candidate.sentence === title) ?? { sentence: title, score: 0, evidence: 0 }
    })
  }

  /**
   * The whole list a question asks for N things of (哪三个, 哪几种): the 一是/二是/三是 sentences
   * of the best sentence's paragraph when it enumerates that many (or, for 哪几, two or more), else
   * a well-scored sentence listing that many with 、 (即提高政治判断力、政治领悟力、政治执行力).
   * Undefined when the text lists none: the ordinary answer stands.
   */
  private wholeList(asked: number | 'several', best: ScoredSentence, scored: ScoredSentence[]): ScoredSentence[] | undefined {
    const enough = (count: number) => (asked === 'several' ? count >= 2 : count === asked)
    const siblings = this.contextOf(best.sentence.paragraph.docId, best.sentence.paragraph.number)!.sentences
    const items: IndexedSentence[] = []
    for (const sentence of siblings) {
      const item = enumerationItemOf(sentence.text)
      if (item === items.length + 1) items.push(sentence)
    }
    const asScored = (sentence: IndexedSentence) => scored.find((candidate) => candidate.sentence === sentence) ?? { sentence, score: 0, evidence: best.evidence }
    if (enough(items.length) && items.some((item) => item.index >= best.sentence.index - 1)) return items.map(asScored)
    // A sentence listing them: the best one, or its neighbours, else the heading of its section (三、提高三种能力,即…).
    if (enough(listedItemsIn(best.sentence.text))) return undefined
    const nearby = [1, -1].map((offset) => siblings[best.sentence.index + offset]).filter((sentence) => sentence !== undefined)
    const heading = this.headingOf(best.sentence.paragraph)
    const listing = [...nearby, ...(heading ? this.contextOf(heading.docId, heading.number)!.sentences : [])].find((sentence) => enough(listedItemsIn(sentence.text)))
    return listing ? [asScored(listing)] : undefined
  }

  /** The heading paragraph of the top section a paragraph belongs to (一、…), or undefined. */
  private headingOf(paragraph: Paragraph): Paragraph | undefined {
    const section = topSectionOf(paragraph)
    if (!section) return undefined
    return this.documents.get(paragraph.docId)?.paragraphs.find((candidate) => candidate.kind === 'heading' && candidate.section === section && candidate.number !== paragraph.number)
  }

  private chooseSentences(question: string, expected: ExpectedAnswer, scored: ScoredSentence[]): ScoredSentence[] {
    const { maxSentences, companionRatio } = this.options
    const [best] = scored
    const chosen = [best]
    const isChosen = (sentence: IndexedSentence) => chosen.some((item) => item.sentence === sentence)
    const asScored = (sentence: IndexedSentence) => scored.find((item) => item.sentence === sentence) ?? { sentence, score: 0, evidence: 0 }
    const siblings = this.contextOf(best.sentence.paragraph.docId, best.sentence.paragraph.number)!.sentences

    // 哪三个 / which three: all of them, as the text enumerates them.
    const asked = askedCountOf(question)
    if (asked !== undefined) {
      const whole = this.wholeList(asked, best, scored)
      if (whole) return whole
    }
    // "分别" / "each" asks about several places in the text: the section's parts, or the best sentence of each paragraph.
    const spread = ASKS_FOR_EACH_PART.test(question)
    if (spread) {
      const outline = this.outlineOf(best.sentence.paragraph, scored)
      if (outline.length >= 2) return outline
    }
    // 因此… answers "why" only with the sentence before it, which holds the cause; so does a
    // sentence that merely restates what a why-question asks.
    const needsCause = drawsConsequence(best.sentence.text) || (expected === 'reason' && !sentenceFitsExpectation(best.sentence.text, 'reason'))
    if (needsCause && best.sentence.index > 0) chosen.unshift(asScored(siblings[best.sentence.index - 1]))
    // A sentence that announces a list (…分为以下三类：) or begins an enumeration (一是…) brings the list with it.
    const listAnswer = expected === 'list' || expected === 'open' || announcesList(best.sentence.text)
    if (listAnswer) {
      for (let index = best.sentence.index + 1; index < siblings.length && chosen.length < maxSentences; index++) {
        const listGoesOn = announcesList(best.sentence.text) && (index === best.sentence.index + 1 || endsInSemicolon(siblings[index - 1].text))
        if (!continuesEnumeration(siblings[index].text) && !listGoesOn) break
        chosen.push(asScored(siblings[index]))
      }
    }
    // A close second from the same paragraph joins a short answer: the two often state one fact between them.
    if (!listAnswer && !spread && chosen.length === 1) {
      const second = scored.find((candidate) => candidate !== best && candidate.sentence.paragraph === best.sentence.paragraph)
      if (second && second.score >= best.score * this.options.factoidCompanionRatio && best.sentence.text.length + second.sentence.text.length <= this.options.factoidCompanionCharacters) chosen.push(second)
    }
    if (listAnswer || spread) {
      for (const candidate of scored) {
        if (chosen.length >= maxSentences) break
        if (isChosen(candidate.sentence)) continue
        if (candidate.score < best.score * (spread ? 0.5 : companionRatio)) break
        if (spread && chosen.some((item) => item.sentence.paragraph === candidate.sentence.paragraph)) continue
        chosen.push(candidate)
      }
    }
    return chosen.sort(
      (a, b) => a.sentence.paragraph.docId.localeCompare(b.sentence.paragraph.docId) || a.sentence.paragraph.number - b.sentence.paragraph.number || a.sentence.start - b.sentence.start,
    )
  }
}
