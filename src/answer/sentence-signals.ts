import { isHan } from '../text/tokenize.ts'
import { isKnownWord } from '../text/word-specificity.ts'
import { holdsQuantityIn, listedItemsIn, type ExpectedAnswer } from './question-cues.ts'
import { looseCoverageFrom, termCoverage, type QuestionTerm } from './question-terms.ts'
import { holdsSubject, type QuestionSubject } from './question-subject.ts'
import { combineEvidence } from './semantic-evidence.ts'
import { fillsSlot, type SlotFrame } from './question-slot.ts'
import { heldOnlyQualified } from './measured-noun.ts'
import { fitsExpectation, wordEndsOf, type IndexedSentence, type ParagraphContext } from './prepared-paragraph.ts'

// The signals a candidate sentence is scored by (see ExtractiveAnswererOptions.scoreWeights) and
// the gates on its evidence. The per-sentence functions are plain loops in term order: the same
// sums a closure per term would make, without one per term and sentence (the CPU profile of an
// answer found those closures costly: README, Benchmarks).

/** The question as every candidate paragraph is judged against it, made once a question. */
export interface AskedQuestion {
  terms: QuestionTerm[]
  expected: ExpectedAnswer
  /** What the question names, which the answering document must name (see question-subject.ts); none with the subject gate off. */
  subjects: QuestionSubject[]
  /** Whether the kind of answer asked for must be in the paragraph (see requiredKinds). */
  kindRequired: boolean
  /** The unit a quantity question names (多少万元 → 元), which must come with a number in the sentence. */
  unit: string | undefined
  /** For a quantity asked per day or month, what the sentence must hold to give it per period (see askedRateOf). */
  rate: RegExp | undefined
  /** The term naming the role a "who is the X" question asks for, or -1. */
  roleTerm: number
  /** Per term: it names the question's topic, so its characters alone are no sign of it reworded (钟成海 is no way to write 渠成). */
  topical: boolean[]
  /** What the question puts first, its leading noun phrase (see leadingTopicOf). */
  leadingTopic: string
  /** Whether that topic is followed by a locative or time word (悉尼奥运会上): a scene, not a subject. */
  topicSetsScene: boolean
  /** Per term: the frame of the slot of words no text holds it sits in (see question-slot.ts), or undefined. */
  slotFrames: (SlotFrame | undefined)[]
  /** Terms that may be the question's focus (see focusTermOf). */
  focusCandidates: number[]
  /** The question's character pairs, each with its rarity weight among the sentences. */
  pairs: [string, number][]
  /** The question, normalized as sentences are: what a measured noun's qualifier is looked up in. */
  text: string
  /** For a quantity question, the terms it measures besides its subjects (see measuredTermsOf, measuresWhatIsAsked); else none. */
  measuredTerms: number[]
}

/** What one candidate paragraph gives every sentence in it, for one question. */
export interface ParagraphSignals {
  context: ParagraphContext
  /** The best rank (0–1, relative to the top passage) of a passage from the paragraph. */
  rank: number
  /** Its document names the question's subjects. */
  subjectsHere: boolean
  /** Per term: its coverage in the paragraph's surroundings (topic and text). */
  surroundingsCoverage: Float64Array
  /** Per term: its rewording credit in the paragraph (0 where the surroundings hold it). */
  rewordedCoverage: Float64Array
  /** The terms the focus signal is taken over: those the topic does not already name (all, if it names every one). */
  focusOver: number[]
  /** The question's pairs the topic lacks, and their total weight. */
  focusPairs: [string, number][]
  focusPairWeight: number
  /** The topic signal: the share of the question's weight the title and section name. */
  topicShare: number
  /** Per term: its weight in this document (see weightsInDocument). */
  weights: number[]
  /** Per term: no anchor, or an anchor the paragraph holds (see ExtractiveAnswererOptions.documentAnchors). */
  anchorsHere: boolean[]
  /** The term that must be in the answering sentence itself or reworded there, or -1 (see focusTermOf). */
  focusTerm: number
  /** The kind of answer asked for is somewhere in the paragraph (or not required). */
  kindInParagraph: boolean
  /** Subjects the paragraph's topic (title, section) does not name: a value asked of them must be stated beside them (see ExtractiveAnswererOptions.subjectBesideValue). */
  subjectsBesideValue: QuestionSubject[]
  /** The neural embedder's evidence for the paragraph (see paragraphSemanticEvidence). */
  semantic: number | undefined
  /** Per term: the paragraph's title or section names it, or it names a subject its document is about (神山镇 in the article): every sentence here is about it. */
  topicTerms: boolean[]
}

/** The weight of each signal in a sentence's score (see ExtractiveAnswererOptions.scoreWeights). */
export interface ScoreWeights {
  focus: number
  overlap: number
  evidence: number
  fits: number
  retrieval: number
  topic: number
}

/** How a credit for a word's characters is given (see ExtractiveAnswererOptions). */
export interface CharacterCredits {
  characterCredit: number
  headCharacterShare: number
}

/** What scoring a sentence takes from ExtractiveAnswererOptions. */
export interface SentenceScoring extends CharacterCredits {
  scoreWeights: ScoreWeights
  outsidePassageRank: number
}

/** A candidate sentence with its score (which orders candidates) and its evidence (whether it may answer: minEvidence). */
export interface ScoredSentence {
  sentence: IndexedSentence
  score: number
  evidence: number
}

/** The lexical evidence of one sentence, before the semantic evidence and the gates. */
export interface LexicalEvidence {
  /** Share of the question's weight covered, with rewording credits: whether to answer. */
  share: number
  /** The same without the credits: which sentence answers. */
  literalShare: number
  /** An anchor, or the focus, is neither here nor reworded here. */
  anchorsMissing: boolean
}

/**
 * How much of a two-character Chinese word a sentence holds when one of its words ends in the
 * word's head (the last character: 网 of 拦网 in 围网, 虾 of 养虾 in 小龙虾): 1 with the other
 * character too, `headShare` with the head alone; 0 otherwise — 王 opening 王神爱 is no 帝王. A
 * longer word is judged by its character pairs instead (termCoverage): loose characters (人, 口)
 * say nothing about 常住人口.
 */
export function sharedCharacters(word: string, text: string, wordEnds: Set<string>, headShare: number): number {
  const characters = [...word]
  // A known word with a head added (捕鱼 + 船): a word of the sentence ending in that head (渔船) may name the same thing.
  if (characters.length >= 3 && isHan(word) && !isKnownWord(word) && isKnownWord(characters.slice(0, -1).join(''))) return wordEnds.has(characters.at(-1)!) ? headShare : 0
  if (characters.length !== 2 || !isHan(word)) return 0
  // The same two characters the other way round (厕改 for 改厕): the same compound.
  if (text.includes(characters[1] + characters[0])) return 1
  if (!wordEnds.has(characters[1])) return 0
  return text.includes(characters[0]) ? 1 : headShare
}

/** Whether a text goes on from the question's words before a two-character word with its first character (资产清理 for 资产清查): the same phrase, reworded at its end. */
export function continuesPhrase(term: QuestionTerm, text: string): boolean {
  return term.phraseLead !== undefined && text.includes(term.phraseLead)
}

/** How surely a sentence rewords a word it lacks through its characters: shared characters (sharedCharacters), or the phrase going on (continuesPhrase). */
function characterRewording(term: QuestionTerm, text: string, sentence: IndexedSentence, headShare: number): number {
  return Math.max(sharedCharacters(term.word, text, wordEndsOf(sentence), headShare), continuesPhrase(term, text) ? 1 : 0)
}

/**
 * The focus signal: the share of the weight of the terms the topic does not name that the
 * sentence holds (a word's pairs count in part).
 */
export function focusShare(terms: QuestionTerm[], over: number[], text: string, sentenceCoverage: Float64Array): number {
  let total = 0
  let covered = 0
  for (const index of over) {
    const term = terms[index]
    total += term.weight
    covered += term.weight * looseCoverageFrom(term, text, sentenceCoverage[index])
  }
  return total === 0 ? 0 : covered / total
}

/** The overlap signal: the rarity-weighted share of the question's pairs outside the topic that the sentence holds. */
export function overlapShare(bigrams: Set<string>, pairs: [string, number][], pairWeight: number): number {
  let sum = 0
  for (const [pair, weight] of pairs) sum += bigrams.has(pair) ? weight : 0
  return pairWeight === 0 ? 0 : sum / pairWeight
}

/**
 * The question's weight in and around a sentence (its paragraph and topic; a byline only in
 * itself), with and without the rewording credits, and whether an anchor or the focus is missing.
 */
export function lexicalEvidence(sentence: IndexedSentence, question: AskedQuestion, paragraph: ParagraphSignals, sentenceCoverage: Float64Array, credits: CharacterCredits): LexicalEvidence {
  const { terms, topical } = question
  const { surroundingsCoverage, rewordedCoverage, anchorsHere, focusTerm, weights } = paragraph
  const text = sentence.searchable
  let total = 0
  let covered = 0
  let literalCovered = 0
  let anchorsMissing = false
  for (let index = 0; index < terms.length; index++) {
    const literal = sentence.isMetadata ? sentenceCoverage[index] : Math.max(sentenceCoverage[index], surroundingsCoverage[index])
    let coverage = sentence.isMetadata ? literal : Math.max(literal, rewordedCoverage[index])
    // A word the text lacks whose characters the sentence holds (养虾 in …小龙虾养殖, 拦网 in 围网…) is likely reworded there.
    if (coverage === 0 && !topical[index] && credits.characterCredit > 0) coverage = credits.characterCredit * characterRewording(terms[index], text, sentence, credits.headCharacterShare)
    // A count asked for (哪两个版本) is held by a sentence listing that many things (ebXML Registry2.0版和UDDI2.0版).
    const { count } = terms[index]
    if (coverage === 0 && count !== undefined && count >= 2 && listedItemsIn(sentence.text) === count) coverage = 1
    // Words no text holds, in a slot the sentence frames as the question does (对…的干部), stand for the sentence's own.
    const frame = question.slotFrames[index]
    if (coverage === 0 && !topical[index] && frame !== undefined && fillsSlot(text, frame)) coverage = credits.characterCredit
    // A paragraph missing one of the question's anchors (a name, a rare term: 常住人口), with no sign of it reworded, is about something else.
    if (!anchorsHere[index] && coverage === 0) anchorsMissing = true
    if (index === focusTerm && Math.max(sentenceCoverage[index], coverage === literal ? 0 : coverage) === 0) anchorsMissing = true
    const weight = weights[index]
    total += weight
    covered += weight * coverage
    literalCovered += weight * literal
  }
  return { share: total === 0 ? 0 : covered / total, literalShare: total === 0 ? 0 : literalCovered / total, anchorsMissing }
}

/** "Who is the X" is answered where the text names the role X (市长 in 赤壁市的市长是谁); a name in a sentence about something else is not the answer. */
export function namesRole(roleTerm: number, sentenceCoverage: Float64Array, surroundingsCoverage: Float64Array, roleReworded = false): boolean {
  return roleTerm < 0 || sentenceCoverage[roleTerm] > 0 || surroundingsCoverage[roleTerm] >= 1 || roleReworded
}

/**
 * Whether a sentence may answer at all, whatever its evidence: no anchor or focus missing, the
 * unit asked for with a number, the role named, the subject in the document, and the kind asked
 * for in the paragraph (in a byline, in the byline itself).
 */
export function gatesHold(sentence: IndexedSentence, fits: boolean, anchorsMissing: boolean, roleNamed: boolean, question: AskedQuestion, paragraph: ParagraphSignals): boolean {
  const unitHere = (question.unit === undefined || holdsQuantityIn(sentence.text, question.unit)) && (question.rate === undefined || question.rate.test(sentence.text))
  return !anchorsMissing && unitHere && roleNamed && paragraph.subjectsHere && (!question.kindRequired || (sentence.isMetadata ? fits : paragraph.kindInParagraph)) && subjectsBeside(sentence, paragraph)
}

/**
 * Whether the subjects a value is asked of are named in the sentence or earlier in its paragraph
 * (以神山镇为例,一是…): on a page about 马来穿山甲, 重达10公斤 is its weight, not that of
 * 中华穿山甲 named in the next sentence.
 */
function subjectsBeside(sentence: IndexedSentence, paragraph: ParagraphSignals): boolean {
  if (paragraph.subjectsBesideValue.length === 0) return true
  const upTo = paragraph.context.sentences.slice(0, sentence.index + 1).map((each) => each.searchable).join('\n')
  return paragraph.subjectsBesideValue.every((subject) => holdsSubject(upTo, subject))
}

/**
 * Whether a sentence's quantities may be of what the question measures: it must hold a word of the
 * question beyond what every sentence of its paragraph is about (the document's topic, its
 * section), in itself or reworded. In the article every number is 神山镇's, and 3581人脱贫 names
 * nothing of 神山镇有多少人口? but the town. The measured noun written only as another thing's
 * measure does not count: 办公面积约20余平方米 is no answer to 神山镇面积有多大?.
 */
function measuresWhatIsAsked(sentence: IndexedSentence, question: AskedQuestion, paragraph: ParagraphSignals, sentenceCoverage: Float64Array, credits: CharacterCredits): boolean {
  const { terms } = question
  // What the paragraph is about is no measured noun (帕特纳赫峡谷有多长? measures the gorge, the page's topic, by 多长 alone).
  const measuredTerms = question.measuredTerms.filter((index) => !paragraph.topicTerms[index])
  if (measuredTerms.length === 0) return true
  const text = sentence.searchable
  return terms.some((term, index) => {
    if (paragraph.topicTerms[index] || paragraph.weights[index] === 0) return false
    if (measuredTerms.includes(index) && measuresAnotherThing(term.word, sentence, question.text)) return false
    // Its head character counts (子女 for 孩子); its first does not (3581人 is no 人口).
    return looseCoverageFrom(term, text, sentenceCoverage[index]) > 0 || paragraph.rewordedCoverage[index] > 0 || characterRewording(term, text, sentence, credits.headCharacterShare) > 0
  })
}

// The head of a Chinese noun: its last two characters (面积 of 耕地面积, 人口 of 常住人口).
const HEAD_CHARACTERS = 2

/**
 * Whether a sentence writes a measured noun only as another thing's measure: the word itself, or,
 * for a longer word it lacks (耕地面积), its head (面积 of 办公面积).
 */
function measuresAnotherThing(word: string, sentence: IndexedSentence, question: string): boolean {
  const written = sentence.searchable.includes(word) || [...word].length <= HEAD_CHARACTERS ? word : [...word].slice(-HEAD_CHARACTERS).join('')
  return heldOnlyQualified(written, sentence.text, question)
}

/**
 * The focus of a quantity or date question here: the heaviest candidate the paragraph's title or
 * section does not already name, and, with `onlyFromOtherDocuments`, only where other documents
 * hold it and this one does not (the fact asked is another document's); -1 for none.
 */
export function focusTermOf(terms: QuestionTerm[], candidates: number[], topicCoverage: Float64Array, absentFromDocument: boolean[], onlyFromOtherDocuments: boolean): number {
  let focusTerm = -1
  for (const index of candidates) if (topicCoverage[index] < 1 && (focusTerm < 0 || terms[index].weight > terms[focusTerm].weight)) focusTerm = index
  if (focusTerm >= 0 && onlyFromOtherDocuments && !absentFromDocument[focusTerm]) return -1
  return focusTerm
}

/**
 * Each term's weight in a document: its weight on a page about the question's subject, else its
 * weight elsewhere; a word other documents hold but this one lacks weighs `absentFactor` times
 * as much (at most `absentCap`), as a word no document holds: asked of this document, it is
 * missing here.
 */
export function weightsInDocument(terms: QuestionTerm[], aboutSubject: boolean, absentFromDocument: boolean[], absentFactor: number, absentCap: number): number[] {
  return terms.map((term, index) => {
    const weight = aboutSubject ? term.weight : (term.weightElsewhere ?? term.weight)
    return absentFromDocument[index] && absentFactor > 1 ? Math.min(absentCap, weight * absentFactor) : weight
  })
}

/** The topic signal: the share of the question's weight the paragraph's title and section name. */
export function topicShareOf(terms: QuestionTerm[], topicCoverage: Float64Array): number {
  let total = 0
  let covered = 0
  for (let index = 0; index < terms.length; index++) {
    const weight = terms[index].weight
    total += weight
    covered += weight * topicCoverage[index]
  }
  return total === 0 ? 0 : covered / total
}

/**
 * A sentence's score, the weighted sum of its signals, and its evidence (0 where a gate does not
 * hold). `passageRank` is the rank of the best passage holding it, if any; `sentenceCoverage` is
 * scratch space, a slot per term.
 */
export function scoreSentence(sentence: IndexedSentence, question: AskedQuestion, paragraph: ParagraphSignals, passageRank: number | undefined, sentenceCoverage: Float64Array, scoring: SentenceScoring): ScoredSentence {
  const { terms } = question
  const text = sentence.searchable
  for (let index = 0; index < terms.length; index++) sentenceCoverage[index] = termCoverage(terms[index], text)
  const overlap = overlapShare(sentence.bigrams, paragraph.focusPairs, paragraph.focusPairWeight)
  const focus = focusShare(terms, paragraph.focusOver, text, sentenceCoverage)
  const fits = fitsExpectation(sentence, question.expected)
  // A role the sentence names by its head (从师 for 老师) is named.
  const roleReworded = question.roleTerm >= 0 && sharedCharacters(terms[question.roleTerm].word, text, wordEndsOf(sentence), scoring.headCharacterShare) > 0
  const roleNamed = namesRole(question.roleTerm, sentenceCoverage, paragraph.surroundingsCoverage, roleReworded)
  const lexical = lexicalEvidence(sentence, question, paragraph, sentenceCoverage, scoring)
  const gates = gatesHold(sentence, fits, lexical.anchorsMissing, roleNamed, question, paragraph) && measuresWhatIsAsked(sentence, question, paragraph, sentenceCoverage, scoring)
  // A neural embedder's calibrated similarity may lift the words' evidence, never lower it; gates still hold.
  const evidence = gates ? combineEvidence(lexical.share, paragraph.semantic) : 0
  // The rewording credits let a sentence answer, never make it the one chosen: the score takes the literal share.
  const scoredEvidence = gates ? combineEvidence(lexical.literalShare, paragraph.semantic) : 0
  const retrieval = passageRank ?? paragraph.rank * scoring.outsidePassageRank
  const weights = scoring.scoreWeights
  const score = weights.focus * focus + weights.overlap * overlap + weights.evidence * scoredEvidence + weights.fits * (fits ? 1 : 0) + weights.retrieval * retrieval + weights.topic * paragraph.topicShare
  return { sentence, evidence, score }
}
