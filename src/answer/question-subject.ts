import { isStopWord } from '../text/stop-words.ts'
import { cutWords, isHan, tagWords, type TaggedWord } from '../text/tokenize.ts'
import { ownLanguage } from './detect-language.ts'
import { isKnownWord, wordSpecificity } from '../text/word-specificity.ts'

/**
 * What a question is about — the town, the person, the work, the thing it names — apart from how
 * it asks about it. 虫纹阿南鱼分布在哪里? is about 虫纹阿南鱼; 神山镇的常住人口有多少? about 神山镇.
 * A document that does not name the subject cannot answer the question, however many of its
 * other words it shares; a document that does may answer a question worded differently from it.
 */
export interface QuestionSubject {
  /**
   * The subject as the question writes it, NFKC and lower case: the whole name with what stands
   * before it (虫纹阿南鱼, never just 阿南鱼), up to its last name-like word — what follows a name
   * in the same run of nouns is mostly what is asked of it (冰雪皇后 in 冰雪皇后冰淇淋).
   */
  text: string
  /** Where it starts in the normalized question. */
  start: number
  /** Other ways the documents may write it: the Chinese of an English name (Qingxi → 青溪). */
  alternatives?: string[]
  /** Quoted by the asker (“关键少数”): the text may write it with a word or two between (“关键的少数”). */
  quoted?: boolean
}

// Tags of the words a name is made of: nouns, names (nr person, ns place, nt organisation, nz other), abbreviations (j), fixed phrases (l), Latin (eng).
const NAME_PART = /^(?:n|nr|nrt|nrfg|ns|nt|nz|ng|nl|j|l|eng)$/
// Tags that make a word name-like on their own.
// Places (ns) and organisations (nt) only: jieba's dictionary tags many common words as persons
// (冰淇淋/nr, 英文名/nr, 武艺超群/nr) or other proper nouns (nz), and the words its HMM guesses
// (x) are as often pieces of a clause (叫佐顿, 剑学) as names. Names of persons still count through
// the anchors (question-terms.ts): a name no passage holds must be in the paragraph that answers.
const NAME_TAG = /^(?:ns|nt)$/
// Least specificity (jieba's IDF, 0–1) of a word tagged as a name for it to count as one: 神山 0.86, 长度 0.46.
const NAME_SPECIFICITY = 0.5
// Words naming an institution (中学, 公司, 银行, 医院, 图书馆…): after a place they continue its name.
const INSTITUTION = /^\p{Script=Han}*(?:学校|中学|小学|大学|学院|公司|银行|医院|图书馆|博物馆|美术馆|研究所|研究院|委员会|协会|集团|工厂)$/u
const LEADING_PREPOSITION = /^[距在从于对向给被把将与和跟]/u
// A place or an organisation by its last character: 神山镇, 青溪镇, 西凉湖, 赤壁市.
const PLACE_SUFFIX = /[镇村乡县市省州湖河江岛洲]$/u

function normalize(text: string): string {
  return text.normalize('NFKC').toLowerCase()
}

// What jieba's guesses glue to a new word (忠是 in 松平康忠是…, 那趟 in 那趟飞机): a particle behind, a demonstrative in front.
const GLUED_PARTICLE = /^[此该这那哪本]|[是有为在的了和与对从于把被]$/u

/** A word jieba guessed (tag x) without what it glued to it. */
function withoutGluedParticles(word: string): string {
  return word.replace(GLUED_PARTICLE, '')
}

/**
 * Whether a word is a name by its form: jieba tags it as one, a place or organisation by its
 * suffix, or a Latin word in a Chinese question. A word jieba merely does not know (捕鱼船) may be
 * a paraphrase as well as a name, so it does not make a subject by itself.
 */
function isNameByForm({ word, tag }: TaggedWord): boolean {
  // 镇里, 湖上: a place word with a locative ending says "in the town", it names none.
  if (isStopWord(word) || /^\p{Script=Han}[上里内中外边]$/u.test(word)) return false
  // jieba's tags are guesses: a common word tagged as a place (长度/ns) is no name, nor is a single character.
  if (NAME_TAG.test(tag)) return [...word].length >= 2 && wordSpecificity(word) >= NAME_SPECIFICITY
  if (isHan(word)) return [...word].length >= 2 && PLACE_SUFFIX.test(word) && tag !== 'x'
  return /^[a-z][a-z0-9-]*$/i.test(word) && tag === 'eng' && word.length >= 2
}

/** Whether a word names something on its own: a name by jieba's tag, a word jieba does not know (most names), a place by its suffix, a Latin name. */
function isNameLike({ word, tag }: TaggedWord): boolean {
  if (isStopWord(word)) return false
  if (NAME_TAG.test(tag)) return true
  if (isHan(word)) {
    const core = tag === 'x' ? withoutGluedParticles(word) : word
    return [...core].length >= 2 && (tag === 'x' || !isKnownWord(core) || PLACE_SUFFIX.test(core))
  }
  return /^[a-z][a-z0-9-]*$/i.test(word) && tag === 'eng' && word.length >= 2
}

/** Whether a word may continue a name: a noun, a number inside it (358号, 第三), one character before a name part (长 in 长谷川町子). */
function continuesName(words: TaggedWord[], index: number, run: TaggedWord[]): boolean {
  const { word, tag } = words[index]
  if (isStopWord(word) && !/^第/.test(word)) return false
  if (NAME_PART.test(tag) || (tag === 'x' && isHan(word) && withoutGluedParticles(word) === word)) return true
  if (tag === 'm' && /\d|^第/.test(word)) return true
  if (tag === 'm' && word === '号' && run.length > 0) return true
  const next = words[index + 1]
  return tag === 'a' && [...word].length === 1 && next !== undefined && NAME_TAG.test(next.tag)
}

/**
 * The subjects of a question: runs of name parts that hold at least one name-like word, and
 * titles in 《》. A Chinese question's Latin names (GDP, Nexon) count; an English question's
 * subjects are found by the answerer through its translations, not here.
 */
export function subjectsOf(question: string): QuestionSubject[] {
  const normalized = normalize(question)
  const subjects: QuestionSubject[] = []
  // Titles (《》) and quoted names (“乡里制”, 「碧草如茵」): the question writes them as one thing.
  for (const match of normalized.matchAll(/《([^》]+)》|“([^”]{2,12})”|「([^」]{2,12})」/gu)) subjects.push({ text: match[1] ?? match[2] ?? match[3], start: match.index + 1, quoted: match[1] === undefined })
  if (ownLanguage(normalized) !== 'zh') return subjects
  const words = tagWords(normalized)
  let run: TaggedWord[] = []
  let cursor = 0
  let runStart = 0
  const close = () => {
    const insideTitle = subjects.some((subject) => runStart >= subject.start - 1 && runStart < subject.start + subject.text.length)
    let lastName = -1
    run.forEach((word, index) => {
      // An institution after a place is part of its name: 南宁市第三中学, 神山兴农科技公司.
      if (isNameByForm(word) || (lastName >= 0 && INSTITUTION.test(word.word))) lastName = index
    })
    const name = run
      .slice(0, lastName + 1)
      .map(({ word }) => word)
      .join('')
      // A preposition jieba glued in front (距莫扎伊斯克) is not part of the name.
      .replace(LEADING_PREPOSITION, '')
    if (lastName !== -1 && [...name].length >= 2 && !insideTitle) subjects.push({ text: name, start: runStart })
    run = []
  }
  words.forEach((tagged, index) => {
    const position = normalized.indexOf(tagged.word, cursor)
    if (position !== -1) cursor = position + tagged.word.length
    if (continuesName(words, index, run)) {
      if (run.length === 0) runStart = position
      run.push(tagged)
    } else {
      close()
    }
  })
  close()
  return subjects
}

/**
 * The subjects of an English question: its words written as names (capitalized after the first
 * word: Qingxi, Nanling, Shenshan) that translate into the documents' vocabulary. A name with no
 * translation is left to the anchors.
 */
export function englishSubjectsOf(question: string, chineseTermsFor: (word: string) => string[]): QuestionSubject[] {
  // An English question may quote a Chinese name (Why is Chinatown called "牛车水"?): it is still English.
  if (ownLanguage(question) === 'zh') return []
  const subjects: QuestionSubject[] = []
  for (const match of question.matchAll(/(?<=\s)[A-Z][a-z]{2,}/g)) {
    // The second word of a name (River of Lhasa River, Town of Qingxi Town) names its kind: the text writes it as part of the name (拉萨河), rarely as a word.
    if (/[A-Z][a-z]*\s+$/.test(question.slice(0, match.index))) continue
    const word = match[0].toLowerCase()
    const alternatives = chineseTermsFor(word).filter((term) => isHan(term) && [...term].length >= 2)
    if (alternatives.length > 0) subjects.push({ text: word, start: match.index, alternatives })
  }
  return subjects
}

/**
 * Whether a text names the subject: the whole of it, or — for a short one — its characters in
 * order close together, as an abbreviation (加航 for 加拿大航空). Part of a name is not the name:
 * 北斗阿南鱼 does not name 虫纹阿南鱼.
 */
export function holdsSubject(text: string, { text: subject, alternatives, quoted }: QuestionSubject): boolean {
  if (text.includes(subject) || alternatives?.some((alternative) => text.includes(alternative))) return true
  if (quoted) return inOrderNearby(text, [...subject], [...subject].length * 2)
  // A subject the text writes in full where the question abbreviates part of it (北京奥运会 for
  // 北京……奥林匹克运动会): each of its words, in full or abbreviated.
  const pieces = cutWords(subject)
  return pieces.length > 1 ? pieces.every((piece) => namesWord(text, piece)) : namesWord(text, subject)
}

/** Whether a text holds a word: whole, or — for a short one — its characters in order close together, as an abbreviation (加航 for 加拿大航空). */
function namesWord(text: string, subject: string): boolean {
  if (text.includes(subject)) return true
  const characters = [...subject]
  if (characters.length < 2 || characters.length > 3 || !isHan(subject)) return false
  // An abbreviation keeps its first character and the order of the rest within a short window.
  return inOrderNearby(text, characters, characters.length * 3)
}

/** Whether a text holds the characters in order, the last within `window` characters of the first. */
function inOrderNearby(text: string, characters: string[], window: number): boolean {
  for (let start = text.indexOf(characters[0]); start !== -1; start = text.indexOf(characters[0], start + 1)) {
    let position = start
    let found = true
    for (const character of characters.slice(1)) {
      position = text.indexOf(character, position + 1)
      if (position === -1 || position - start >= window) {
        found = false
        break
      }
    }
    if (found) return true
  }
  return false
}

// Tags that end a question's topic: verbs, prepositions, question words, 的, adverbs.
const ENDS_TOPIC = /^(?:v|vd|vn|vg|p|r|uj|ul|uz|d|c|y|e|zg)$/
// Tags of what may stand in front of the topic: times, numbers, punctuation (2007年, 1842年，…).
const BEFORE_TOPIC = /^(?:t|m|q|x|f)$/

/**
 * What a Chinese question puts first, before its first verb, preposition, question word or 的:
 * its topic (潘仕成 in 潘仕成的祖籍在哪里?, 宋河 in 宋河那一片新弄的高效养虾基地…). A name no
 * document holds there means the question is about something else; the same word later in the
 * question (养虾) is more often the asker's own wording. Times and numbers in front are skipped.
 */
export function leadingTopicOf(question: string): string {
  const words = tagWords(question.normalize('NFKC').toLowerCase())
  let topic = ''
  let started = false
  for (const { word, tag } of words) {
    if (!started && (BEFORE_TOPIC.test(tag) && !(tag === 'x' && isHan(word)))) continue
    // An adjective ends a topic begun (镇上 | 新盖的…) and may open one (长谷川町子).
    if (ENDS_TOPIC.test(tag) || isStopWord(word) || (started && tag === 'a')) break
    started = true
    topic += word
  }
  return topic
}
