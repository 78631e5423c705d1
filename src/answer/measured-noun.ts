import { isStopWord } from '../text/stop-words.ts'
import { isHan, tagWords, type TaggedWord } from '../text/tokenize.ts'
import type { QuestionTerm } from './question-terms.ts'

// What a quantity question measures sits next to its cue: before it (面积有多大, 人口是多少) or
// after it (多少人口, 多大面积, 几个村民小组). Linking words between them are allowed (有, 是, 约).
const CUE = '(?:多少|多大|多高|多长|多重|多宽|多深|多远|几)'
const LINK = '(?:有|是|为|约|大约|共|一共|总共|达|的)?'
// A counter or unit between the cue and the noun (几个村, 多少公里沟渠, 多少万元资金): no noun itself.
const MEASURE = '(?:万|亿|千|百)?(?:个|名|位|种|项|条|座|家|户|口|人|次|年|天|元|吨|公斤|千克|亩|公顷|米|公里|千米|平方米|平方公里)'
const MEASURE_ONLY = new RegExp(`^${MEASURE}$`, 'u')

// jieba's tags of words that name no other thing: time words, adverbs, pronouns, prepositions, conjunctions, particles, locatives.
// (Its tagger is loose with the rest — 整顿 comes out a numeral — so only these are ruled out.)
const NAMES_NO_THING = /^[tdrpcuf]/

/**
 * The question terms a quantity question measures (面积 in 神山镇面积有多大?, 人口 in 神山镇有多少
 * 人口?): Chinese words of two characters or more written just after the cue, else just before it
 * (神山镇 of 神山镇有多少人口? is what has the population); none for 珠穆朗玛峰有多高?, which measures
 * nothing the cue does not say.
 */
export function measuredTermsOf(question: string, terms: QuestionTerm[]): number[] {
  const text = question.normalize('NFKC').toLowerCase()
  const written = (pattern: (word: string) => string) =>
    terms.flatMap(({ word }, index) => (isHan(word) && [...word].length >= 2 && !MEASURE_ONLY.test(word) && new RegExp(pattern(word), 'u').test(text) ? [index] : []))
  const after = written((word) => `${CUE}${MEASURE}?${word}`)
  return after.length > 0 ? after : written((word) => `${word}${LINK}${CUE}`)
}

/**
 * Whether every place a text writes `word` it writes it as the head of another thing's measure:
 * right after a word of its own the question does not hold (办公面积, 养殖面积 when 神山镇面积 is
 * asked). Such a value is the office's or the farm's, not the question's subject's. A one-character
 * qualifier (总面积) says how much of it, not of what; a stop word (其) qualifies nothing.
 * False when the text does not hold the word at all.
 */
export function heldOnlyQualified(word: string, text: string, question: string): boolean {
  const asked = question.normalize('NFKC').toLowerCase()
  let held = false
  let previous: TaggedWord | undefined
  for (const each of tagWords(text)) {
    const at = each.word.indexOf(word)
    if (at !== -1) {
      held = true
      // The word glued to what comes before it in one cut (大面积) is qualified by that part.
      const qualifier = at > 0 ? { word: each.word.slice(0, at), tag: 'n' } : previous
      if (!qualifier || !qualifies(qualifier, asked)) return false
    }
    previous = each
  }
  return held
}

/**
 * Whether a word before a measured noun names another thing than the question asks of: not a word
 * of the question, nor one ending in a character of it (全镇 is the 神山镇 asked of, by its head 镇),
 * and not a time word, an adverb or a pronoun (现在有效期 is the treaty's own).
 */
function qualifies({ word, tag }: TaggedWord, asked: string): boolean {
  return !NAMES_NO_THING.test(tag) && isHan(word) && [...word].length >= 2 && !isStopWord(word) && !asked.includes(word) && !asked.includes([...word].at(-1)!)
}
