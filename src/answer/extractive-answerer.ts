import type { ArticleDocument, Paragraph } from '../ingest/types.ts'
import { pageOf } from '../ingest/chunk-paragraphs.ts'
import { BREADCRUMB_SEPARATOR } from '../ingest/parse-paragraphs.ts'
import type { RetrievedPassage } from '../retrieval/hybrid-retriever.ts'
import type { TermStatistics } from '../retrieval/term-statistics.ts'
import type { QueryTranslator } from '../text/query-translator.ts'
import { RecentResults } from '../text/recent-results.ts'
import { isStopWord } from '../text/stop-words.ts'
import { countSentencePairs, searchableText, unitBigramsOf, type SentencePairStatistics } from '../text/sentence-pairs.ts'
import type { GlossDictionary } from '../text/gloss-dictionary.ts'
import { isHan, segmentQuestion } from '../text/tokenize.ts'
import { abstentionMessage } from './abstention.ts'
import { detectLanguage } from './detect-language.ts'
import { announcesList, askedCountOf, askedRateOf, askedUnitOf, enumerationItemOf, listedItemsIn, continuesEnumeration, endsInSemicolon, drawsConsequence, expectedAnswerOf, sentenceFitsExpectation, type ExpectedAnswer } from './question-cues.ts'
import { anchorHeld, defaultQuestionTermOptions, roleAskedFor, questionTermsOf, termCoverage, type QuestionTerm, type QuestionTermOptions } from './question-terms.ts'
import { englishSubjectsOf, holdsSubject, leadingTopicOf, subjectsOf, type QuestionSubject } from './question-subject.ts'
import { RewordingEvidence, type RewordingOptions } from './rewording-evidence.ts'
import { slotFramesOf } from './question-slot.ts'
import { measuredTermsOf } from './measured-noun.ts'
import { paragraphSemanticEvidence } from './semantic-evidence.ts'
import { bareHeadingPattern, fitsExpectation, prepareParagraph, wordsOf, type IndexedSentence, type ParagraphContext } from './prepared-paragraph.ts'
import { focusTermOf, scoreSentence, topicShareOf, weightsInDocument, type AskedQuestion, type ParagraphSignals, type ScoredSentence, type ScoreWeights } from './sentence-signals.ts'
import type { Citation, GroundedAnswer } from './types.ts'

/**
 * Tuning of extractive answering; the defaults were calibrated on every evaluation set together
 * (the article's dev set, the paraphrase, multi-document and follow-up sets, and the CMRC trial
 * set: README, Evaluation). A default chosen by a measurement says so; for the others no
 * measurement is recorded (README, git log).
 */
export interface ExtractiveAnswererOptions {
  /**
   * Least evidence to answer at all: the share of the question's weight found in the chosen
   * sentence or around it (its paragraph, section and document title). Range 0–1. Default 0.4:
   * swept on every set (README, the abstention trade-off), 0.35 refuses fewer CMRC out-of-corpus
   * questions (88.6% against 92.2%) and multi-document traps (90.5% against 95.2%), 0.45 refuses
   * more answerable CMRC questions (18 against 13) and paraphrases (50.0% answered against 56.3%).
   */
  minEvidence: number
  /** A second sentence of the same paragraph joins a one-sentence answer when it scores at least this share of the best. Range 0–1. Default 0.85. */
  factoidCompanionRatio: number
  /** …and when the two together are at most this many characters. Default 120. */
  factoidCompanionCharacters: number
  /** Most sentences in an answer. Range 1–3. Default 3. */
  maxSentences: number
  /** A further sentence joins an open or list answer when it scores at least this share of the best one. Range 0–1. Default 0.8. */
  companionRatio: number
  /**
   * A further sentence joins an answer about each of several parts (分别, each: the best sentence
   * of each other paragraph) when it scores at least this share of the best one; lower than
   * `companionRatio`, since each part is worded differently. Range 0–1. Default 0.5.
   */
  spreadCompanionRatio: number
  /**
   * Most items in an outline answer: a question about each part of a section (“四个全面”分别…)
   * is answered with the titles of the section's numbered items, which may be more than
   * `maxSentences`. Default 6.
   */
  maxOutlineItems: number
  /** How question words are weighed (see QuestionTermOptions). */
  terms: Partial<QuestionTermOptions>
  /**
   * How a sentence's score is made, each part 0–1 (see sentence-signals.ts): `focus`, the
   * question's weight it holds beyond the topic its context already names; `overlap`, the
   * rarity-weighted share of the question's character pairs it holds (robust where words are
   * segmented differently); `evidence`, the weight covered in and around it; `fits`, whether it
   * holds the kind of answer asked for; `retrieval`, the rank of its passage; `topic`, the
   * question's weight its document title and section name (a page about what is asked). The score
   * orders sentences and picks companions; whether to answer is `minEvidence`'s. Default focus 0.5, overlap 0.3,
   * evidence 0.25, fits 0.2, retrieval 0.1, topic 0.15.
   */
  scoreWeights: ScoreWeights
  /**
   * Retrieval signal of a sentence of a candidate paragraph outside every retrieved passage, as a
   * share of the paragraph's best passage rank: the passage found the place, and the answer may
   * sit in the sentence after it. Range 0–1. Default 0.5.
   */
  outsidePassageRank: number
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
   * Least weight of a question word that the paragraph's title or section names for the page to
   * be about the question's subject (a name, not 问题 or 方面): there a word the page lacks may be
   * a paraphrase, and weighs its `weight` rather than its `weightElsewhere` (see
   * QuestionTermOptions.absentTermCapElsewhere). Range 0–1, as word weights. Default 0.3.
   */
  subjectWeight: number
  /**
   * Credit for a question word the text lacks (and not the question's topic) when the sentence
   * holds its characters (see sharedCharacters): this times the share of the word held. Range
   * 0–1, 0 for none. Default 0.5.
   */
  characterCredit: number
  /**
   * Share of a two-character word a sentence holds through one of its words ending in the word's
   * head alone (网 of 拦网 in 围网), before `characterCredit`; with the other character too it is 1.
   * Range 0–1. Default 0.5.
   */
  headCharacterShare: number
  /**
   * Factor on the weight of a question word that other documents hold and the paragraph's
   * document does not: 常住人口 asked of 南岭乡 when only 青溪镇's report gives one. With one
   * document it never applies; 1 or less turns it off. Range ≥ 1. Default 2 (such a word weighs double).
   */
  documentAbsentFactor: number
  /** Most weight of such a word after `documentAbsentFactor`. Default 2, as QuestionTermOptions.absentTermCapElsewhere. */
  documentAbsentCap: number
  /**
   * Whether a rare term (see QuestionTermOptions.anchorSpecificity) other documents hold and the
   * paragraph's document lacks rules the document out, as an anchor. Default false: measured on
   * every set, it cost CMRC false refusals or out-of-corpus refusals.
   */
  documentAnchors: boolean
  /**
   * Whether a quantity or date question's focus — its heaviest word besides its subject and what
   * the paragraph's title or section already names — must be in the answering sentence itself, or
   * reworded there: the number or date given must be the one of what is asked (占旭刚是哪一年出生的?
   * is not answered by 2003年举重世锦赛 in a sentence without 出生). Default true: with it (and
   * focusFromOtherParagraphs) every cross-document trap is refused, and the CMRC figures stay as they were.
   */
  focusRequired: boolean
  /** Whether that check applies only to a focus other documents hold and this one lacks. Default true. */
  focusOnlyFromOtherDocuments: boolean
  /**
   * Whether, with `focusOnlyFromOtherDocuments`, the check applies too to a focus the paragraph
   * lacks and another paragraph of its own document holds: the fact asked is stated there
   * (南岭乡's 便民服务中心 in its own paragraph), and the paragraph's number is about something else.
   */
  focusFromOtherParagraphs: boolean
  /**
   * Whether a quantity or date asked of a subject the paragraph's title and section do not name
   * must be stated after it is named (in the sentence or earlier in the paragraph), unless the
   * document names it again and again (its topic): a page's numbers are about its own topic
   * unless the text says otherwise. Default true.
   */
  subjectBesideValue: boolean
  /**
   * Whether, with `subjectBesideValue`, the question's topic (its leading noun phrase: 中华穿山甲 in
   * 中华穿山甲一般有多重?) counts as such a subject where the document writes it whole: a page about
   * 马来穿山甲 that names 中华穿山甲 as a relative gives the weight of its own animal. Default true.
   */
  topicBesideValue: boolean
  /**
   * Whether a quantity question naming what it measures (面积 in 神山镇面积有多大?, 人口 in 神山镇有多少
   * 人口?) is answered only by a sentence holding a word of it beyond what the whole paragraph is
   * about (the document's topic, its section), and not only the measured noun as another thing's
   * measure (办公面积): see measuresWhatIsAsked. Default true: measured on every set and at every
   * threshold of the sweep, it moves no figure, and refuses questions the article does not answer
   * that were answered with another thing's figure (3581人脱贫 for 神山镇有多少人口?).
   */
  measuredNounBeyondTopic: boolean
  /** Whether a date question needs a date in a clause beside a word of the question (see datesBesideQuestion). Default true. */
  dateBesideQuestion: boolean
  /** Least specificity of a word to be that focus: 电话号码, 有机茶, 便民服务 — not 情况 or 工作. Range 0–1, as jieba's IDF scaled. Default 0.6. */
  focusSpecificity: number
  /**
   * The same for a date question, whose focus is the event dated, often a plain word (出生 0.44 in
   * 占旭刚是哪一年出生的?): a date on a page that never says 出生 is the date of something else.
   * Default 0.4: measured on every set, it refuses that question and costs nothing; 0.4 for
   * quantities too (focusSpecificity) made plain measure words (长度, 改造), which texts reword,
   * cost a multi-document answer, a conversation and a CMRC answer, and answered a paraphrase trap.
   */
  dateFocusSpecificity: number
  /** Whether only anchors in the question's topic (its leading noun phrase) or Latin names rule a paragraph out; else every anchor does. Default true. */
  topicalAnchors: boolean
  /**
   * Longest heading, in characters, that is a bare title when it holds no sentence punctuation
   * (a Markdown title): it names a topic and never answers. Default 40.
   */
  bareHeadingCharacters: number
}

export const defaultExtractiveAnswererOptions: ExtractiveAnswererOptions = {
  minEvidence: 0.4,
  factoidCompanionRatio: 0.85,
  factoidCompanionCharacters: 120,
  maxSentences: 3,
  companionRatio: 0.8,
  spreadCompanionRatio: 0.5,
  maxOutlineItems: 6,
  terms: {},
  scoreWeights: { focus: 0.5, overlap: 0.3, evidence: 0.25, fits: 0.2, retrieval: 0.1, topic: 0.15 },
  outsidePassageRank: 0.5,
  rewording: {},
  requiredKinds: ['quantity', 'date'],
  subjectGate: true,
  subjectWeight: 0.3,
  topicalAnchors: true,
  characterCredit: 0.5,
  headCharacterShare: 0.5,
  documentAbsentFactor: 2,
  documentAbsentCap: 2,
  focusRequired: true,
  focusOnlyFromOtherDocuments: true,
  focusFromOtherParagraphs: true,
  subjectBesideValue: true,
  topicBesideValue: true,
  dateBesideQuestion: true,
  measuredNounBeyondTopic: true,
  focusSpecificity: 0.6,
  dateFocusSpecificity: 0.4,
  documentAnchors: false,
  bareHeadingCharacters: 40,
}

// Characters of a word at least, for a rare term other documents hold to rule a document out (as an anchor must have: see questionTermsOf).
const DOCUMENT_ANCHOR_CHARACTERS = 2

// Least characters of a question's topic for it to name a thing a value may be asked of (中华穿山甲; not 面积).
const TOPIC_SUBJECT_CHARACTERS = 3

// Characters at the end of the question's topic that name its head (the last word of a noun phrase, two characters in most Chinese nouns).
const TOPIC_HEAD_CHARACTERS = 2
// Any number: in figures, or in words before a measure word (三个, 十余万, 数百名; 一是 enumerates, it counts nothing). Looser than question-cues' QUANTITY on purpose.
const ANY_NUMBER = /[\d０-９]|[一二两三四五六七八九十百千万亿半数几][余多]?[个名人年岁种类区级批代家座亩米吨元次位条件项所只头户间本部册倍成半届期场块天月周分秒层份辆艘架枚张台首篇章集十百千万亿]/u

// The least weight of a question word that ties a date to the question (not 年, 是).
const DATE_WORD_WEIGHT = 0.01

// How often a document names a subject for it to be one of its topics (神山镇 six times in the article).
const TOPIC_MENTIONS = 3

// What follows a noun phrase that sets a scene rather than names a subject: 悉尼奥运会上, 比赛中, 战争期间.
const SCENE_AFTER_TOPIC = /^(?:上|中|里|内|时|期间|之后|之前|以后|以前|后|前)/u

/** Whether a question's topic is followed by a locative or time word (悉尼奥运会上): the scene of what is asked, not its subject. */
function setsScene(question: string, topic: string): boolean {
  const normalized = question.normalize('NFKC').toLowerCase()
  const at = normalized.indexOf(topic)
  return at !== -1 && SCENE_AFTER_TOPIC.test(normalized.slice(at + topic.length))
}

/** The character pairs of a question inside runs of topical words: a stop word (多少, 什么, the) breaks the run. */
function questionPairsOf(question: string): Set<string> {
  const runs = segmentQuestion(question)
    .map((word) => (isStopWord(word) ? '\n' : word))
    .join('')
    .split('\n')
  return new Set(runs.flatMap((run) => [...unitBigramsOf(run)]))
}

/** Whether a question word is (part of) one of its subjects, or holds one: 神山镇 of 神山镇, 神山 of 神山镇. */
function namesSubject(term: QuestionTerm, subject: QuestionSubject): boolean {
  return subject.text.includes(term.word) || term.word.includes(subject.text)
}

function topSectionOf(paragraph: Paragraph): string {
  return paragraph.section.split(BREADCRUMB_SEPARATOR)[0]
}

// Paragraphs whose sentences are kept prepared; the least recently used go first beyond it.
const PREPARED_PARAGRAPHS = 1024

// Questions about each of several parts: 分别 / 各 / respectively.
const ASKS_FOR_EACH_PART = /分别|各自|各个|各方面|哪几个方面|\beach\b|\brespectively\b/i

// A sentence opening with a pointer back (在此背景下, 他在…, 这…) says why or how only with the sentence before it.
const POINTS_BACK = /^(?:在此|在这|此|这|他|她|它|其)/u

function paragraphKey(docId: string, paragraph: number): string {
  return `${docId}\u0000${paragraph}`
}

/** A paragraph a passage came from, with the best rank (0–1, relative to the top passage) of the passages from it. */
interface CandidateParagraph {
  context: ParagraphContext
  rank: number
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
  private readonly bareHeading: RegExp

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
    glosses?: GlossDictionary | (() => GlossDictionary | undefined),
  ) {
    this.options = { ...defaultExtractiveAnswererOptions, ...options }
    this.rewording = new RewordingEvidence(glosses, this.options.rewording)
    this.bareHeading = bareHeadingPattern(this.options.bareHeadingCharacters)
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
    return this.contexts.get(paragraphKey(docId, number), () => {
      const document = this.documents.get(docId)
      return document && prepareParagraph(document, number, this.bareHeading)
    })
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

  /**
   * Whether a sentence gives a date in a clause that, with the clauses either side, holds a word
   * of the question: in …在新加坡上市,打响…品牌,2020年央视…拍摄采访, 2020年 dates the filming,
   * not the listing three clauses before it. The question's words and subjects are read once, for
   * every sentence the test is then asked of.
   */
  private datesBesideQuestion(question: string): (sentence: string) => boolean {
    const terms = questionTermsOf(question, this.statistics, this.translator, this.options.terms).filter((term) => term.inCorpus && term.weight >= DATE_WORD_WEIGHT)
    // A word of a subject ties the date to the question only with the whole subject beside it: 神山 of
    // 神山兴农科技公司 in 打响“神山果农”品牌 names another thing.
    const subjects = subjectsOf(question)
    const subjectOf = (term: QuestionTerm) => subjects.find((subject) => subject.text.includes(term.word))
    return (sentence) => {
      if (terms.length === 0) return true
      const clauses = sentence.split(/[,，;；:：]/u)
      const dated = clauses.flatMap((clause, index) => (sentenceFitsExpectation(clause, 'date') ? [index] : []))
      // A date the patterns do not know (公元前25年, 夏至当日正午) is not judged.
      if (dated.length === 0) return true
      return dated.some((index) => {
        const window = searchableText(clauses.slice(Math.max(0, index - 1), index + 2).join(","))
        return terms.some((term) => {
          const subject = subjectOf(term)
          return subject ? holdsSubject(window, subject) : termCoverage(term, window) >= 1
        })
      })
    }
  }

  /** Whether a document names a subject often enough (TOPIC_MENTIONS times) for it to be what the document is about: 神山镇 in the article. */
  private isDocumentTopic(docId: string, subject: QuestionSubject): boolean {
    const text = this.documentText(docId)
    const names = [subject.text, ...(subject.alternatives ?? [])]
    let mentions = 0
    for (const name of names) for (let at = text.indexOf(name); at !== -1 && mentions < TOPIC_MENTIONS; at = text.indexOf(name, at + name.length)) mentions++
    return mentions >= TOPIC_MENTIONS
  }

  answer(question: string, passages: RetrievedPassage[]): GroundedAnswer & { evidence: number } {
    const language = detectLanguage(question)
    const abstain = (evidence: number) => ({ answer: abstentionMessage(language, this.documents.size), answerable: false, citations: [], evidence })
    if (passages.length === 0) return abstain(0)

    const expected = expectedAnswerOf(question)
    const candidates = this.scoreSentences(question, expected, passages)
    // Only sentences with enough of the question in and around them may answer; none, and the service abstains.
    const scored = candidates.filter((candidate) => candidate.evidence >= this.options.minEvidence)
    const best = scored[0]
    if (!best) return abstain(Math.max(0, ...candidates.map((candidate) => candidate.evidence)))

    const chosen = this.chooseSentences(question, expected, scored)
    // A quantity asked for needs a number in what is cited (in figures or in words): an answer with none answers something else.
    // A list of things counts them (几家骑士团: 圣乔治…、圣斐迪南…和…).
    const counts = (text: string) => ANY_NUMBER.test(text) || listedItemsIn(text) >= 2
    if (expected === 'quantity' && this.options.requiredKinds.includes(expected) && !chosen.some(({ sentence }) => counts(sentence.text))) return abstain(best.evidence)
    if (expected === 'date' && this.options.dateBesideQuestion) {
      const datedBeside = this.datesBesideQuestion(question)
      if (!chosen.some(({ sentence }) => datedBeside(sentence.text))) return abstain(best.evidence)
    }
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
    const asked = this.askedQuestion(question, expected)
    const { paragraphs, sentenceRank } = this.candidatesOf(passages)
    const subjectHeld = new Map<string, boolean>()
    // Each term is checked against each sentence once, into this.
    const sentenceCoverage = new Float64Array(asked.terms.length)
    const scored: ScoredSentence[] = []
    for (const { context, rank } of paragraphs.values()) {
      if (context.isTitle) continue
      // A subject the document does not name rules the whole document out: its facts are about something else.
      const docId = context.paragraph.docId
      let subjectsHere = subjectHeld.get(docId)
      if (subjectsHere === undefined) {
        const text = this.documentText(docId)
        subjectsHere = asked.subjects.every((subject) => holdsSubject(text, subject))
        subjectHeld.set(docId, subjectsHere)
      }
      const paragraph = this.paragraphSignals(asked, context, rank, subjectsHere, passages)
      for (const sentence of context.sentences) scored.push(scoreSentence(sentence, asked, paragraph, sentenceRank.get(sentence), sentenceCoverage, this.options))
    }
    return scored.sort((a, b) => b.score - a.score)
  }

  /** What every candidate paragraph is judged against: the question's terms, subjects, focus candidates, unit, role and pairs. */
  private askedQuestion(question: string, expected: ExpectedAnswer): AskedQuestion {
    const { options } = this
    const terms = questionTermsOf(question, this.statistics, this.translator, options.terms)
    const subjects: QuestionSubject[] = options.subjectGate ? [...subjectsOf(question), ...englishSubjectsOf(question, (word) => this.translator.chineseTermsFor(word).filter((term) => this.statistics.has(term)))] : []
    // An anchor rules a paragraph out where it names what the question is about (its topic, a
    // Latin name); an anchor elsewhere in the question is weighed like any word the text lacks.
    const leadingTopic = leadingTopicOf(question)
    const topic = options.topicalAnchors ? leadingTopic : undefined
    const kindRequired = options.requiredKinds.includes(expected)
    // Candidates for the question's focus: words that are not its subject (电话号码 in 刘德厚的电话号码是多少?).
    const focusCandidates = options.focusRequired && kindRequired ? terms.flatMap((term, index) => (isHan(term.word) && term.specificity >= (expected === 'date' ? options.dateFocusSpecificity : options.focusSpecificity) && !subjects.some((subject) => namesSubject(term, subject)) ? [index] : [])) : []
    const topical = terms.map((term) => term.anchor && (topic === undefined || !isHan(term.word) || topic.includes(term.word) || term.word.includes(topic.slice(-TOPIC_HEAD_CHARACTERS))))
    // roleAskedFor gives one of the terms, or none.
    const roleAsked = roleAskedFor(question, terms)
    // The question's character pairs, each weighed by its rarity among the sentences; pairs no sentence has say nothing here.
    const pairs = [...questionPairsOf(question)].flatMap((pair): [string, number][] => {
      const frequency = this.pairs.frequency(pair)
      return frequency === undefined ? [] : [[pair, Math.log(1 + this.pairs.sentenceCount / frequency)]]
    })
    return {
      terms,
      expected,
      subjects,
      kindRequired,
      // 多少万元, 几公里: the unit asked for must come with a number in the sentence.
      unit: expected === 'quantity' ? askedUnitOf(question) : undefined,
      rate: expected === 'quantity' ? askedRateOf(question) : undefined,
      roleTerm: roleAsked ? terms.indexOf(roleAsked) : -1,
      topical,
      leadingTopic,
      topicSetsScene: setsScene(question, leadingTopic),
      slotFrames: slotFramesOf(question, terms),
      focusCandidates,
      pairs,
      text: searchableText(question),
      // A subject is what is measured, not a measure (林永康 of 林永康有几个孩子?).
      measuredTerms: options.measuredNounBeyondTopic && kindRequired && expected === 'quantity' ? measuredTermsOf(question, terms).filter((index) => !subjects.some((subject) => namesSubject(terms[index], subject))) : [],
    }
  }

  /**
   * Every sentence of a paragraph a passage came from is a candidate: the passage found the
   * place, and the answer may sit in the sentence after it. The paragraphs, in the order of their
   * first passage, with their best passage's rank; and the rank of each sentence inside a passage.
   */
  private candidatesOf(passages: RetrievedPassage[]): { paragraphs: Map<string, CandidateParagraph>; sentenceRank: Map<IndexedSentence, number> } {
    const topPassageScore = passages[0].score
    const paragraphs = new Map<string, CandidateParagraph>()
    const sentenceRank = new Map<IndexedSentence, number>()
    for (const { chunk, score } of passages) {
      const context = this.contextOf(chunk.docId, chunk.paragraph)
      if (!context) continue
      const key = paragraphKey(chunk.docId, chunk.paragraph)
      const rank = score / topPassageScore
      const candidate = paragraphs.get(key)
      paragraphs.set(key, { context, rank: Math.max(candidate?.rank ?? 0, rank) })
      for (const sentence of context.sentences) {
        if (sentence.end > chunk.start && sentence.start < chunk.end) sentenceRank.set(sentence, Math.max(sentenceRank.get(sentence) ?? 0, rank))
      }
    }
    return { paragraphs, sentenceRank }
  }

  /** What a candidate paragraph gives each of its sentences: the terms' coverage around them, their weights here, the gates that hold for the whole paragraph. */
  private paragraphSignals(asked: AskedQuestion, context: ParagraphContext, rank: number, subjectsHere: boolean, passages: RetrievedPassage[]): ParagraphSignals {
    const { options } = this
    const { terms } = asked
    // Each term is checked against the paragraph's topic and surroundings once.
    const topicCoverage = new Float64Array(terms.length)
    const surroundingsCoverage = new Float64Array(terms.length)
    const rewordedCoverage = new Float64Array(terms.length)
    for (let index = 0; index < terms.length; index++) {
      const term = terms[index]
      topicCoverage[index] = termCoverage(term, context.topic)
      surroundingsCoverage[index] = termCoverage(term, context.surroundings)
      // A word the paragraph lacks may be reworded there (a shared gloss or head); only asked when the subject is there.
      rewordedCoverage[index] = surroundingsCoverage[index] < 1 && subjectsHere ? this.rewording.coverage(term.word, wordsOf(context)) : 0
    }
    // Terms the topic (section, title) names are given for every sentence here; the rest choose between them.
    const focusIndices = terms.flatMap((_, index) => (topicCoverage[index] < 1 ? [index] : []))
    // Is this page (or section) about what the question names? Then a word it lacks may be a paraphrase.
    const aboutSubject = terms.some((term, index) => term.inCorpus && term.weight >= options.subjectWeight && topicCoverage[index] >= 1)
    // A word other documents hold but this one lacks weighs as a word no document holds: asked of this document, it is missing here.
    const documentText = this.documentText(context.paragraph.docId)
    const absentFromDocument = terms.map((term) => term.inCorpus && isHan(term.word) && termCoverage(term, documentText) === 0)
    // A paragraph missing one of the question's anchors (a name, a rare term) is about something else,
    // unless the sentence rewords it (see lexicalEvidence). With documentAnchors, a rare term other
    // documents hold and this one lacks (常住人口 asked of 南岭乡) rules it out too, as an anchor no document holds rules out any.
    const anchorSpecificity = options.terms.anchorSpecificity ?? defaultQuestionTermOptions.anchorSpecificity
    const anchorsHere = terms.map((term, index) => (!term.anchor || anchorHeld(term, context.surroundings)) && !(options.documentAnchors && absentFromDocument[index] && [...term.word].length >= DOCUMENT_ANCHOR_CHARACTERS && term.specificity >= anchorSpecificity))
    const focusPairs = asked.pairs.filter(([pair]) => !context.topicPairs.has(pair))
    // Where the question's focus is stated: in other documents only, or (focusFromOtherParagraphs) in another paragraph of this one.
    const statedElsewhere = terms.map((term, index) => absentFromDocument[index] || (options.focusFromOtherParagraphs && asked.focusCandidates.includes(index) && surroundingsCoverage[index] === 0 && termCoverage(term, documentText) >= 1))
    return {
      context,
      rank,
      subjectsHere,
      surroundingsCoverage,
      rewordedCoverage,
      focusOver: focusIndices.length > 0 ? focusIndices : terms.map((_, index) => index),
      focusPairs,
      focusPairWeight: focusPairs.reduce((sum, [, weight]) => sum + weight, 0),
      topicShare: topicShareOf(terms, topicCoverage),
      weights: weightsInDocument(terms, aboutSubject, absentFromDocument, options.documentAbsentFactor, options.documentAbsentCap),
      anchorsHere,
      // The focus here must be in the answering sentence, or reworded there.
      focusTerm: focusTermOf(terms, asked.focusCandidates, topicCoverage, statedElsewhere, options.focusOnlyFromOtherDocuments),
      // A quantity or a date asked for must be somewhere in the paragraph (the sentence that holds it is chosen by score).
      kindInParagraph: !asked.kindRequired || context.sentences.some((sentence) => fitsExpectation(sentence, asked.expected)),
      subjectsBesideValue: options.subjectBesideValue && asked.kindRequired ? this.besideValueCandidates(asked, documentText).filter((subject) => !holdsSubject(context.topic, subject) && !this.isDocumentTopic(context.paragraph.docId, subject)) : [],
      semantic: paragraphSemanticEvidence(passages, context.paragraph),
      topicTerms: asked.measuredTerms.length === 0 ? [] : terms.map((term, index) => topicCoverage[index] >= 1 || asked.subjects.some((subject) => namesSubject(term, subject) && this.isDocumentTopic(context.paragraph.docId, subject))),
    }
  }

  /**
   * The subjects a value may be asked of: the question's subjects, and (topicBesideValue) its
   * leading noun phrase when the document writes it whole and no subject already names it.
   */
  private besideValueCandidates(asked: AskedQuestion, documentText: string): QuestionSubject[] {
    const topic = asked.leadingTopic
    if (!this.options.topicBesideValue || [...topic].length < TOPIC_SUBJECT_CHARACTERS || !isHan(topic)) return asked.subjects
    if (asked.subjects.some((subject) => subject.text.includes(topic) || topic.includes(subject.text)) || !documentText.includes(topic)) return asked.subjects
    // 悉尼奥运会上, 比赛中: a topic with a locative after it sets the scene; it is not what is measured.
    if (asked.topicSetsScene) return asked.subjects
    return [...asked.subjects, { text: topic, start: 0 }]
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
   * The whole list a question asks for N things of (哪三个, 哪几种): the best sentence when it
   * lists that many with 、 itself (or, for 哪几, two or more), else the 一是/二是/三是 sentences
   * of its paragraph when they enumerate that many, else a neighbour or the section heading
   * listing that many (即提高政治判断力、政治领悟力、政治执行力).
   * `best` when the best sentence lists them, undefined when the text lists none: the ordinary answer stands.
   */
  private wholeList(asked: number | 'several', best: ScoredSentence, scored: ScoredSentence[]): ScoredSentence[] | 'best' | undefined {
    const enough = (count: number) => (asked === 'several' ? count >= 2 : count === asked)
    // The best sentence listing them itself answers (副科级以上干部、各村党支部书记、镇直各单位负责人), as any best sentence does.
    if (enough(listedItemsIn(best.sentence.text))) return 'best'
    const siblings = this.contextOf(best.sentence.paragraph.docId, best.sentence.paragraph.number)!.sentences
    const items: IndexedSentence[] = []
    for (const sentence of siblings) {
      const item = enumerationItemOf(sentence.text)
      if (item === items.length + 1) items.push(sentence)
    }
    const asScored = (sentence: IndexedSentence) => scored.find((candidate) => candidate.sentence === sentence) ?? { sentence, score: 0, evidence: best.evidence }
    if (enough(items.length) && items.some((item) => item.index >= best.sentence.index - 1)) return items.map(asScored)
    // Else a sentence listing them: the best one's neighbours, else the heading of its section (三、提高三种能力,即…).
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
    const whole = asked === undefined ? undefined : this.wholeList(asked, best, scored)
    if (Array.isArray(whole)) return whole
    // "分别" / "each" asks about several places in the text: the section's parts, or the best sentence of each paragraph (not when it lists them itself).
    const spread = ASKS_FOR_EACH_PART.test(question) && whole !== 'best'
    if (spread) {
      const outline = this.outlineOf(best.sentence.paragraph, scored)
      if (outline.length >= 2) return outline
    }
    // 因此… answers "why" only with the sentence before it, which holds the cause; so does a
    // sentence that merely restates what a why-question asks.
    const needsCause = drawsConsequence(best.sentence.text) || (expected === 'reason' && !sentenceFitsExpectation(best.sentence.text, 'reason')) || ((expected === 'reason' || expected === 'open') && POINTS_BACK.test(best.sentence.text))
    if (needsCause && best.sentence.index > 0) chosen.unshift(asScored(siblings[best.sentence.index - 1]))
    // A sentence that announces a list (…分为以下三类：) or begins an enumeration (一是…) brings the list with it;
    // one stopping at a semicolon brings the clauses after it (…作为食物来源；木材可制成猎鸟的矛；…): one statement.
    const listAnswer = expected === 'list' || expected === 'open' || announcesList(best.sentence.text)
    if (listAnswer) {
      for (let index = best.sentence.index + 1; index < siblings.length && chosen.length < maxSentences; index++) {
        const listGoesOn = (announcesList(best.sentence.text) && index === best.sentence.index + 1) || endsInSemicolon(siblings[index - 1].text)
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
        if (candidate.score < best.score * (spread ? this.options.spreadCompanionRatio : companionRatio)) break
        if (spread && chosen.some((item) => item.sentence.paragraph === candidate.sentence.paragraph)) continue
        chosen.push(candidate)
      }
    }
    return chosen.sort(
      (a, b) => a.sentence.paragraph.docId.localeCompare(b.sentence.paragraph.docId) || a.sentence.paragraph.number - b.sentence.paragraph.number || a.sentence.start - b.sentence.start,
    )
  }
}
