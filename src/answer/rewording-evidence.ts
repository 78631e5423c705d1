import { LRUCache } from 'lru-cache'
import type { GlossDictionary } from '../text/gloss-dictionary.ts'
import { isHan } from '../text/tokenize.ts'
import { isKnownWord } from '../text/word-specificity.ts'

/**
 * Offline evidence that a question word the text lacks is reworded there, without a neural model:
 *
 * - **a shared gloss**: CC-CEDICT gives both words the same English sense (渔船 and 捕鱼船
 *   "fishing boat"; 进驻 and 入驻 "to enter");
 * - **a shared head**: Chinese compounds put their head last, so two words ending in the same
 *   morpheme name the same kind of thing (办事大厅 / 服务大厅, 捕鱼船 / 渔船).
 *
 * Neither says the two words mean the same; each says they may, which is what lets a question in
 * other words be answered when its subject is there and its kind of answer is too.
 */
export interface RewordingOptions {
  /** Credit for a word of the text sharing a CC-CEDICT sense with the question's word. Default 0.8. */
  glossCredit: number
  /** Credit for a word sharing the last two characters (大厅). Default 0.8. */
  longHeadCredit: number
  /** Credit for a word sharing the last character (船), when neither word is that character alone. Default 0.5. */
  headCredit: number
}

export const defaultRewordingOptions: RewordingOptions = { glossCredit: 0.8, longHeadCredit: 0, headCredit: 0 }

// Last characters that make words of every kind (现代化, 重要性, 管理者, 孩子): sharing one says nothing.
const GENERIC_HEADS = new Set([...'的了性化者们子儿头上下里中内外后前时人家员方面式品物处点作业'])
// Senses too general to show two words mean the same (to be, to do, thing, a person).
const GENERIC_SENSES = new Set(['be', 'do', 'have', 'make', 'get', 'go', 'come', 'thing', 'person', 'people', 'place', 'time', 'one', 'use', 'give', 'take', 'put', 'see', 'say', 'know', 'also', 'still', 'again', 'very', 'all', 'new', 'old', 'big', 'small', 'good', 'bad'])

/** A definition's senses as comparable keys: lower case, no parentheses, no "to"/"a"/"the" in front; classifiers, variants, surnames and cross-references dropped. */
function senseKeysOf(definitions: readonly string[]): Set<string> {
  const keys = new Set<string>()
  for (const definition of definitions) {
    for (const sense of definition.split(';')) {
      const key = sense
        .toLowerCase()
        .replace(/\([^)]*\)|\[[^\]]*\]/g, ' ')
        .replace(/^\s*(?:to|a|an|the)\s+/, '')
        .replace(/\s+/g, ' ')
        .trim()
      if (key.length < 3 || GENERIC_SENSES.has(key) || /^(?:classifier|variant|surname|see |used in|old variant|abbr|cl:|also written|erhua)/.test(key) || /\p{Script=Han}/u.test(key)) continue
      keys.add(key)
    }
  }
  return keys
}

export class RewordingEvidence {
  private readonly options: RewordingOptions
  private readonly senses = new LRUCache<string, { keys: Set<string> }>({ max: 20_000 })

  private glossTable: GlossDictionary | undefined | null = null
  private readonly textSenses = new WeakMap<readonly string[], { words: Set<string>; senses: Set<string> }>()

  /**
   * @param glosses CC-CEDICT's glosses, or how to load them when first needed (the table is ~40 MB:
   * a start does not pay for it, the first question that needs it does); without them only the shared head counts
   */
  constructor(
    private readonly glossSource: GlossDictionary | (() => GlossDictionary | undefined) | undefined,
    options: Partial<RewordingOptions> = {},
  ) {
    this.options = { ...defaultRewordingOptions, ...options }
  }

  /** The words of a text and the senses of its Chinese words of two or more characters, made once per text (a paragraph is asked about by many questions). */
  private sensesOfText(words: readonly string[]): { words: Set<string>; senses: Set<string> } {
    let kept = this.textSenses.get(words)
    if (!kept) {
      kept = { words: new Set(words), senses: new Set() }
      for (const word of kept.words) if (isHan(word) && [...word].length >= 2) for (const key of this.senseKeys(word)) kept.senses.add(key)
      this.textSenses.set(words, kept)
    }
    return kept
  }

  private senseKeys(word: string): Set<string> {
    let kept = this.senses.get(word)
    if (!kept) {
      kept = { keys: senseKeysOf(this.glosses?.definitionsOf(word) ?? []) }
      this.senses.set(word, kept)
    }
    return kept.keys
  }

  private get glosses(): GlossDictionary | undefined {
    if (this.glossTable === null) this.glossTable = typeof this.glossSource === 'function' ? this.glossSource() : this.glossSource
    return this.glossTable
  }

  /** How well one word of the text rewords the question's word, 0–1. */
  private credit(asked: string, written: string): number {
    if (asked === written) return 1
    const { glossCredit, longHeadCredit, headCredit } = this.options
    const askedCharacters = [...asked]
    const writtenCharacters = [...written]
    let best = 0
    if (askedCharacters.length >= 2 && writtenCharacters.length >= 2) {
      const head = askedCharacters.at(-1)!
      if (head === writtenCharacters.at(-1) && !GENERIC_HEADS.has(head)) {
        const longHead = askedCharacters.length >= 3 && writtenCharacters.length >= 3 && askedCharacters.at(-2) === writtenCharacters.at(-2)
        best = longHead ? longHeadCredit : headCredit
      }
    }
    if (best < glossCredit && this.glosses) {
      const askedSenses = this.senseKeys(asked)
      if (askedSenses.size > 0) for (const key of this.senseKeys(written)) if (askedSenses.has(key)) return glossCredit
    }
    return best
  }

  /**
   * The best credit any word of the text gives the question's word; 0 unless it is a Chinese word
   * of two or more characters that jieba's dictionary knows — a word it does not know is most
   * often a name (潘仕成, 锦地罗), and a name is not reworded: 钟成 is no other way to write 渠成.
   */
  coverage(asked: string, writtenWords: readonly string[]): number {
    if (!isHan(asked) || [...asked].length < 2 || !isKnownWord(asked)) return 0
    const { glossCredit, longHeadCredit, headCredit } = this.options
    if (longHeadCredit === 0 && headCredit === 0) {
      // Only the glosses count (the default): the text's words are read once, into the set of their senses.
      const text = this.sensesOfText(writtenWords)
      if (text.words.has(asked)) return 1
      if (glossCredit > 0) for (const key of this.senseKeys(asked)) if (text.senses.has(key)) return glossCredit
      return 0
    }
    let best = 0
    for (const written of writtenWords) {
      if (!isHan(written) || [...written].length < 2) continue
      best = Math.max(best, this.credit(asked, written))
      if (best >= 1) break
    }
    return best
  }
}
