import { smallTalkKindOf } from '../answer/small-talk.ts'
import type { ConversationTurn } from '../llm/follow-up.ts'
import { isStopWord } from '../text/stop-words.ts'
import { isHan, tagWords, type TaggedWord } from '../text/tokenize.ts'

/**
 * Follow-ups decided by the server. A complete question is answered as asked, whatever came
 * before it; only an elliptical one — 污水处理厂呢?, 那…, 它/他/这个 pointing back, "what about
 * …?", "and the …?", or a bare 为什么? — is read with the turn before it. The new subject then
 * replaces the old one in the earlier question's frame:
 * 污水处理厂呢? after 投资多少钱对张家坝水厂进行扩建升级? asks 投资多少钱对污水处理厂进行扩建升级?
 */
export interface FollowUpReading {
  /** The question to answer: the question itself, or the elliptical one made standalone. */
  standalone: string
  /** Whether the question needed the conversation to be understood. */
  elliptical: boolean
}

/** What an elliptical question leaves out, and what it brings. */
type Ellipsis =
  /** 污水处理厂呢? / what about the sewage plant?: a new subject in the old frame. */
  | { kind: 'new-subject'; subject: string }
  /** 它是什么时候投入使用的? / when did it open?: the old subject in a new frame. */
  | { kind: 'pointing-back'; pronoun: string }
  /** 为什么? / 具体呢? / how many?: the old question, asked further. */
  | { kind: 'bare' }

// Question words: a fragment holding one asks something of its own.
const CHINESE_QUESTION_WORD = /多少|什么|谁|哪|几|怎么|怎样|如何|为何|为什么|是否|吗|何时|多久|多长|多大|多高/u
// 那/那么/还有 open a fragment that continues the conversation; 呢 closes one.
const CHINESE_OPENER = /^(?:那么|那|还有|另外|然后|再问一下|再问|又)(?=.)/u
const CHINESE_CLOSER = /(?:呢|怎么样|如何|怎样|咋样)$/u
// Pronouns that point back into the conversation; 这篇/本文/文章 point at the document, not the conversation.
const CHINESE_POINTER = /它们|它|(?<!其)他们|她们|(?<!其)他|她|[这那][两三四五六七八九几]?[个些项]|这一项|该项|其中|此项/u
const PERSONAL_POINTER = /他|她|\b(?:he|him|his|she|her)\b/u
const DOCUMENT_POINTER = /这篇|本文|该文|此文|文章|这份|本报告|该报告/u
// Fragments that only ask the old question further.
const CHINESE_BARE = /^(?:为什么|为啥|为何|具体|具体来说|详细|详细点|详细说说|还有|还有吗|还有别的吗|然后|什么时候|何时|在哪|在哪里|哪里|多少|几个|是谁|谁|怎么做的|怎么样|如何)$/u

const ENGLISH_NEW_SUBJECT = /^(?:and |but |so )?(?:what|how) about (.+)$|^and (?:for |in |of |with )?(.+)$/
const ENGLISH_POINTER = /\b(?:it|its|they|them|their|he|him|his|she|her|this one|that one|these|those)\b/
const ENGLISH_AND_QUESTION = /^(?:and|but|so) (?=(?:who|whom|whose|what|when|where|why|which|how|is|are|was|were|did|does|do|can|could|will|would|has|have|had)\b)/
const ENGLISH_BARE = /^(?:and )?(?:why|how|when|where|who|how many|how much|what else|anything else|more|details|tell me more|and then)$/

/** Short enough to lean on the turn before: a fragment, not a question with a subject of its own. */
const FRAGMENT_HAN = 12
const FRAGMENT_WORDS = 6

function stripPunctuation(text: string): string {
  return text.normalize('NFKC').trim().replace(/^[\s\p{P}]+|[\s\p{P}]+$/gu, '')
}

/** What an elliptical question leaves to the conversation, or undefined for a complete question. */
export function ellipsisOf(question: string): Ellipsis | undefined {
  const text = stripPunctuation(question)
  if (!text) return undefined
  if (isHan(text)) {
    if (CHINESE_BARE.test(text.replace(CHINESE_OPENER, '').replace(/呢$/u, ''))) return { kind: 'bare' }
    const hanCount = text.match(/\p{Script=Han}/gu)?.length ?? 0
    const opened = CHINESE_OPENER.test(text)
    // …呢 closes a fragment; 如何/怎么样 only after 那 (那污水处理厂怎么样?): 污水处理厂的水质如何? asks a question of its own.
    const closed = /呢$/u.test(text) || (opened && CHINESE_CLOSER.test(text))
    const core = text.replace(CHINESE_OPENER, '').replace(CHINESE_CLOSER, '').replace(/^(?:的|是)|(?:的|是)$/gu, '')
    if ((opened || closed) && hanCount <= FRAGMENT_HAN && core.length > 0 && !CHINESE_QUESTION_WORD.test(core)) return { kind: 'new-subject', subject: core }
    const pointer = CHINESE_POINTER.exec(text)
    if (pointer && !DOCUMENT_POINTER.test(text)) return { kind: 'pointing-back', pronoun: pointer[0] }
    return undefined
  }
  // "And who wrote the article?" is a question of its own after its "and": read without it.
  const lower = text.toLowerCase().replace(/\s+/g, ' ').replace(ENGLISH_AND_QUESTION, '')
  if (ENGLISH_BARE.test(lower)) return { kind: 'bare' }
  const newSubject = ENGLISH_NEW_SUBJECT.exec(lower)
  if (newSubject) {
    const subject = (newSubject[1] ?? newSubject[2]).replace(/^(?:the|a|an) /, '')
    if (subject.split(' ').length <= FRAGMENT_WORDS) return { kind: 'new-subject', subject }
  }
  const pointer = ENGLISH_POINTER.exec(lower)
  if (pointer && !/\b(?:the|this) (?:article|text|document|essay|report)\b/.test(lower)) return { kind: 'pointing-back', pronoun: pointer[0] }
  return undefined
}

const NOUN_TAG = /^(?:n|nr|nrt|nrfg|ns|nt|nz|ng|vn|an|eng|j|l|s)$/
const NAME_TAG = /^(?:nr|nrt|nrfg|ns|nt|nz|j)$/
// jieba's tag of a place word (湖里, 村里, 镇上 as a noun).
const PLACE_WORD_TAG = 's'

/**
 * Runs of nouns in a Chinese question (张家坝 + 水厂 → 张家坝水厂): whether one holds a name, and
 * whether it is only a place word (湖里, 村里 of 湖里的渔船): where the thing asked of is, not the thing.
 */
function nounPhrasesOf(question: string): { text: string; named: boolean; placeOnly: boolean }[] {
  const phrases: { text: string; named: boolean; placeOnly: boolean }[] = []
  let current: TaggedWord[] = []
  const close = () => {
    if (current.length > 0) {
      phrases.push({ text: current.map(({ word }) => word).join(''), named: current.some(({ tag }) => NAME_TAG.test(tag)), placeOnly: current.every(({ tag }) => tag === PLACE_WORD_TAG) })
    }
    current = []
  }
  for (const tagged of tagWords(question)) {
    if (NOUN_TAG.test(tagged.tag) && !isStopWord(tagged.word) && !CHINESE_POINTER.test(tagged.word)) current.push(tagged)
    else close()
  }
  close()
  return phrases.filter(({ text }) => isHan(text) || /[a-z]/i.test(text))
}

/** How alike two noun phrases are as things (the head — the last character or word — counts most): 污水处理厂 ~ 张家坝水厂. */
function kinship(a: string, b: string): number {
  if (a.at(-1) === b.at(-1)) return 3
  for (let index = 0; index + 1 < a.length; index++) if (b.includes(a.slice(index, index + 2))) return 2
  return [...a].some((character) => b.includes(character)) ? 1 : 0
}

/** The previous question with its subject replaced by the new one, in Chinese. */
function replaceChineseSubject(asked: string, frame: string): string {
  // The new subject is what the question is now about: quoted, so the answerer holds it to that
  // (a document that does not name 水稻 cannot answer 那水稻呢?; see question-subject.ts). The
  // frame's own quotes go: in a chain of follow-ups the old subject was quoted the same way.
  const subject = quoteSubject(asked)
  const previous = frame.replace(/[“”]/gu, '')
  const phrases = nounPhrasesOf(previous)
  let best: { text: string; score: number } | undefined
  for (const phrase of phrases) {
    const score = kinship(asked, phrase.text) + (phrase.named ? 0.5 : 0)
    if (!best || score > best.score) best = { text: phrase.text, score }
  }
  if (!phrases.length) return `${subject} ${previous}`
  // Nothing alike: the new subject takes the place of the old question's subject (its first named
  // phrase, else its first one that is more than a place word: 渔船 of 湖里的渔船).
  if (!best || best.score < 1) return previous.replace((phrases.find((phrase) => phrase.named) ?? phrases.find((phrase) => !phrase.placeOnly) ?? phrases[0]).text, subject)
  return previous.replace(best.text, subject)
}

/** A subject with its head noun phrase quoted: 村里的便民服务室 → 村里的“便民服务室”. */
function quoteSubject(subject: string): string {
  const head = subject.lastIndexOf('的')
  const core = subject.slice(head + 1)
  return core.length >= 2 && !/[“”]/u.test(subject) ? `${subject.slice(0, head + 1)}“${core}”` : subject
}

// English words that are not part of a noun phrase's modifiers.
const ENGLISH_FUNCTION_WORD = /^(?:the|a|an|in|on|of|for|to|at|by|with|from|into|was|were|is|are|did|does|do|has|have|had|how|what|when|where|who|which|why|many|much|been|be|and|or)$/

/** The previous question with its subject replaced by the new one, in English: the phrase ending in the same head noun. */
function replaceEnglishSubject(previous: string, subject: string): string {
  const words = previous.split(/\s+/)
  const head = subject.split(' ').at(-1)!
  const end = words.findIndex((word) => word.toLowerCase().replace(/[^a-z0-9-]/g, '') === head)
  if (end === -1) return `${previous.replace(/[?？.!]+$/, '')} — ${subject}?`
  let start = end
  while (start > 0 && !ENGLISH_FUNCTION_WORD.test(words[start - 1].toLowerCase())) start--
  const trailing = words[end].replace(/^[A-Za-z0-9-]+/, '')
  return [...words.slice(0, start), subject + trailing, ...words.slice(end + 1)].join(' ')
}

/** The subject of a question: its first named noun phrase, else its longest one. */
function subjectOf(question: string): string | undefined {
  if (!isHan(question)) return undefined
  const phrases = nounPhrasesOf(question)
  return (phrases.find((phrase) => phrase.named) ?? [...phrases].sort((a, b) => b.text.length - a.text.length)[0])?.text
}

/** The first person a text names (jieba's `nr`, two characters or more): who 他/她 point back to. */
function personNamedIn(text: string): string | undefined {
  return tagWords(text).find(({ word, tag }) => /^nr/.test(tag) && [...word].length >= 2)?.word
}

/** What a pronoun points back to: a person for 他/她/he/she (named in the question or its answer), else the question's subject. */
function referentOf(pronoun: string, previous: { question: string; answer?: string }): string | undefined {
  if (PERSONAL_POINTER.test(pronoun)) return personNamedIn(previous.question) ?? (previous.answer ? personNamedIn(previous.answer.replace(/\[\d+\]/g, '')) : undefined)
  return subjectOf(previous.question)
}

/**
 * A pronoun followed by a noun (这些项目, 这个大厅) that an earlier noun phrase ends in (矿产深加工项目):
 * the words to replace and the phrase they stand for.
 */
function phraseNamedAgain(question: string, pronoun: string, previous: string): { pointed: string; phrase: string } | undefined {
  const after = question.slice(question.indexOf(pronoun) + pronoun.length).match(/^\p{Script=Han}{1,4}/u)?.[0]
  if (!after) return undefined
  for (let length = after.length; length >= 1; length--) {
    const noun = after.slice(0, length)
    const phrase = nounPhrasesOf(previous).find(({ text }) => text.endsWith(noun) && text.length > noun.length)
    if (phrase) return { pointed: pronoun + noun, phrase: phrase.text }
  }
  return undefined
}

/** One elliptical question read against the (standalone) question before it and that question's answer. */
function resolveAgainst(question: string, ellipsis: Ellipsis, previous: string, previousAnswer?: string, earlier: string[] = []): string {
  switch (ellipsis.kind) {
    case 'new-subject':
      return isHan(previous) && isHan(ellipsis.subject) ? replaceChineseSubject(ellipsis.subject, previous) : isHan(previous) ? `${ellipsis.subject} ${previous}` : replaceEnglishSubject(previous, ellipsis.subject)
    case 'pointing-back': {
      // 这些项目 after 神山镇引进了哪些矿产深加工项目?: the phrase of the earlier question ending in the same noun.
      // …in the question before, or in one before that (其中哪一个… then 这些项目…).
      const named = isHan(question) ? [previous, ...earlier].map((asked) => phraseNamedAgain(question, ellipsis.pronoun, asked)).find(Boolean) : undefined
      if (named) return question.replace(named.pointed, named.phrase)
      const referent = referentOf(ellipsis.pronoun, { question: previous, answer: previousAnswer })
      if (referent && isHan(question)) return question.replace(ellipsis.pronoun, referent)
      return `${previous} ${question}`
    }
    case 'bare':
      return `${previous} ${question}`
  }
}

/**
 * Reads a question with the conversation before it. The user turns are read in order, each
 * elliptical one made standalone against the one before it (small talk skipped), so a chain of
 * follow-ups (那污水处理厂呢? … 什么时候建成的?) keeps its subject.
 */
export function readFollowUp(question: string, history: ConversationTurn[]): FollowUpReading {
  const ellipsis = ellipsisOf(question)
  if (!ellipsis) return { standalone: question, elliptical: false }
  let previous: string | undefined
  let previousAnswer: string | undefined
  let answerFollows = false
  // The user's earlier questions as asked, most recent first.
  const earlier: string[] = []
  for (const turn of history) {
    if (turn.role === 'assistant') {
      if (answerFollows) previousAnswer = turn.content
      answerFollows = false
      continue
    }
    if (smallTalkKindOf(turn.content)) continue
    const earlierEllipsis = ellipsisOf(turn.content)
    previous = earlierEllipsis && previous ? resolveAgainst(turn.content, earlierEllipsis, previous, previousAnswer, earlier) : turn.content.trim()
    earlier.unshift(turn.content.trim())
    previousAnswer = undefined
    answerFollows = true
  }
  if (!previous) return { standalone: question, elliptical: false }
  return { standalone: resolveAgainst(question, ellipsis, previous, previousAnswer, earlier), elliptical: true }
}
