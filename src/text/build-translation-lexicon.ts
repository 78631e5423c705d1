import { loadGlossDictionary, type GlossDictionary } from './gloss-dictionary.ts'
import { ENGLISH_WORD, englishContentStems, stemEnglishWord } from './english-stems.ts'
import { defaultTranslatorOptions, type QueryTranslatorOptions } from './query-translator.ts'
import { isStopWord } from './stop-words.ts'
import { segmentWords } from './tokenize.ts'
import { LEXICON_FORMAT, type TranslationLexicon, type WeightedTerm } from './translation-lexicon.ts'

/**
 * English → Chinese term translation for cross-lingual retrieval: an English question is
 * searched against Chinese passages by appending Chinese terms for its English words.
 *
 * The method is a plain dictionary lookup, reversed. At index-build time every Chinese term of
 * the corpus (jieba words, single characters, and character n-grams that CC-CEDICT knows) is
 * looked up in CC-CEDICT, and each English word of its glosses is mapped back to the term. So
 * the lexicon only ever proposes terms that actually occur in the article, and it needs no model.
 */

/** Options for {@link buildTranslationLexicon}. */
export interface LexiconOptions {
  /** Longest character n-gram looked up in CC-CEDICT besides jieba's words (catches 污水处理厂, which jieba splits). */
  maxNgramLength?: number
  /** Translations kept per English key; more are never used by the translator and only bloat the saved file. */
  maxTermsPerKey?: number
  /**
   * The translator settings the lexicon is for: what they can never use is left out — translations
   * weaker than `minRelativeWeight` of a key's best, beyond `maxTermsPerWord`, and phrases whose best
   * translation is under `minPhraseWeight` (the translator falls back to their words). Default: the
   * translator's defaults, which every part of citeqa uses.
   */
  usableBy?: QueryTranslatorOptions
}

const defaultLexiconOptions: Required<LexiconOptions> = { maxNgramLength: 6, maxTermsPerKey: 8, usableBy: defaultTranslatorOptions }

/**
 * How much a translation is trusted, by where the term's glosses came from. A multi-character
 * word is usually the precise translation; a single character is ambiguous (镇 is "town" but also
 * "to suppress"); a jieba word missing from CC-CEDICT only borrows its characters' glosses (警务
 * from 警 "police"), which is a guess and often wrong for names (乾城 is not a "town").
 */
const SOURCE_WEIGHT = { word: 1, character: 0.5, composed: 0.3 } as const
type TermSource = keyof typeof SOURCE_WEIGHT

/** A two-word gloss phrase also matches in reverse order, a little less surely. */
const REVERSED_PAIR_WEIGHT = 0.8

/** Senses that are cross-references or notes rather than translations. */
const NON_TRANSLATION_SENSE =
  /^(?:(?:old |archaic |ancient |erhua )?variant of|see |used in|cl:|surname |abbr\.? (?:for|of)|also written|kangxi radical|"[^"]*" radical|radical )/i

const HAN_ONLY = /^\p{Script=Han}+$/u
const HAN_RUN = /\p{Script=Han}+/gu

/** A gloss dictionary whose words' senses are parsed once each (a corpus repeats its words). */
class SenseLookup {
  private readonly senses = new Map<string, Sense[]>()

  constructor(readonly dictionary: GlossDictionary) {}

  of(term: string): Sense[] {
    let senses = this.senses.get(term)
    if (!senses) this.senses.set(term, (senses = lookUpSenses(this.dictionary, term)))
    return senses
  }
}

/** One sense of a CC-CEDICT gloss: its stemmed content words, and for two-word senses the closed compound. */
interface Sense {
  stems: string[]
  /** "kiwi fruit" → "kiwifruit", as the compound is also written. */
  closedCompound?: string
}

/** Senses of a term (its glosses split on `;`), without cross-references and parenthetical notes. */
function lookUpSenses(dictionary: GlossDictionary, term: string): Sense[] {
  const definitions = dictionary.definitionsOf(term)
  if (!definitions) return []
  const senses: Sense[] = []
  for (const definition of definitions) {
    for (const rawSense of definition.split(';')) {
      const sense = rawSense.trim()
      if (!sense || NON_TRANSLATION_SENSE.test(sense)) continue
      // …except an acronym in it: "China Central Television (CCTV)" is also translated by "CCTV".
      for (const [, acronym] of sense.matchAll(/\(([A-Z]{2,6})\)/g)) senses.push({ stems: [stemEnglishWord(acronym.toLowerCase())] })
      // "(industrial) plant" → "plant": the parenthesis narrows the sense, it is not a translation.
      const cleaned = sense.replace(/\([^)]*\)/g, ' ').replace(/\[[^\]]*\]/g, ' ').replace(/\p{Script=Han}|\|/gu, ' ')
      const stems = englishContentStems(cleaned)
      if (stems.length === 0) continue
      const words = cleaned.toLowerCase().match(ENGLISH_WORD) ?? []
      senses.push(stems.length === 2 && words.length === 2 ? { stems, closedCompound: stemEnglishWord(words.join('')) } : { stems })
    }
  }
  return senses
}

/**
 * Chinese terms of the corpus and where their glosses come from: jieba's words, characters that
 * jieba leaves standalone, and longer character n-grams that CC-CEDICT lists although jieba splits
 * them (污水处理厂). Only terms a passage is indexed by are useful: a character that only occurs
 * inside words (警 in 警务) matches no passage term, so it is reached through its words instead.
 * Two-character n-grams are left to jieba: across word boundaries they are mostly accidents
 * (完成全镇 contains 成全 "to help sb succeed").
 */
function collectCorpusTerms(corpusTexts: string[], dictionary: SenseLookup, maxNgramLength: number): Map<string, TermSource> {
  const terms = new Map<string, TermSource>()
  const jiebaWords = new Set<string>()
  for (const text of corpusTexts) {
    for (const word of segmentWords(text)) if (HAN_ONLY.test(word) && !isStopWord(word)) jiebaWords.add(word)
    for (const run of text.normalize('NFKC').match(HAN_RUN) ?? []) {
      const characters = [...run]
      for (let start = 0; start < characters.length; start++) {
        for (let length = 3; length <= maxNgramLength && start + length <= characters.length; length++) {
          const ngram = characters.slice(start, start + length).join('')
          if (!terms.has(ngram) && dictionary.dictionary.definitionsOf(ngram) && dictionary.of(ngram).length > 0) terms.set(ngram, 'word')
        }
      }
    }
  }
  for (const word of jiebaWords) {
    const length = [...word].length
    if (terms.has(word)) continue
    if (length === 1) terms.set(word, 'character')
    else if (dictionary.of(word).length > 0) terms.set(word, 'word')
    // Borrowing characters' glosses is only plausible for short words; longer ones are names or set phrases.
    else if (length <= 3) terms.set(word, 'composed')
  }
  return terms
}

const MIN_ROMANIZED_KEY_LENGTH = 6
const MAX_NAME_CHARACTERS = 4

/**
 * Toneless pinyin keys (`zhangjiaba`) of the corpus's 2–4 character sequences, from each
 * character's first CC-CEDICT reading. Short keys are skipped: they collide with English words.
 */
function romanizeCorpusNames(corpusTexts: string[], dictionary: GlossDictionary): Map<string, string> {
  const readings = new Map<string, string | undefined>()
  const readingOf = (character: string) => {
    if (!readings.has(character)) {
      const pinyin = dictionary.readingOf(character)
      readings.set(character, pinyin && /^[a-z]+[1-5]$/i.test(pinyin) ? pinyin.slice(0, -1).toLowerCase().replace('u:', 'v') : undefined)
    }
    return readings.get(character)
  }
  const keys = new Map<string, string>()
  for (const text of corpusTexts) {
    for (const run of text.normalize('NFKC').match(HAN_RUN) ?? []) {
      const characters = [...run]
      for (let start = 0; start < characters.length; start++) {
        for (let length = 2; length <= MAX_NAME_CHARACTERS && start + length <= characters.length; length++) {
          const term = characters.slice(start, start + length).join('')
          if (keys.has(term)) continue
          const syllables = [...term].map(readingOf)
          if (syllables.some((syllable) => !syllable)) continue
          const key = stemEnglishWord(syllables.join(''))
          if (key.length >= MIN_ROMANIZED_KEY_LENGTH) keys.set(term, key)
        }
      }
    }
  }
  return keys
}

/**
 * Builds the English → Chinese lexicon of a corpus from CC-CEDICT's glosses (see gloss-dictionary.ts).
 * Seconds for a large corpus, so run it when the index is built and save the result; queries use
 * {@link QueryTranslator}.
 *
 * Weight of term T for English key K, best over T's senses containing K:
 *   (words of K / content words of the sense)² × source factor (SOURCE_WEIGHT) / √(senses of T)
 * (for a word missing from CC-CEDICT, the senses are those of the character that lends them).
 * So a term whose whole gloss is "police" beats one whose gloss merely mentions police ("new" is
 * 新, not 新时代 "new era"), and a term with one meaning beats a character with eight.
 */
export async function buildTranslationLexicon(corpusTexts: string[], options: LexiconOptions = {}): Promise<TranslationLexicon> {
  const { maxNgramLength, maxTermsPerKey, usableBy } = { ...defaultLexiconOptions, ...options }
  const usable = { ...defaultTranslatorOptions, ...usableBy }
  const dictionary = new SenseLookup(await loadGlossDictionary())

  const candidates = new Map<string, Map<string, number>>()
  const propose = (key: string, term: string, weight: number) => {
    let termWeights = candidates.get(key)
    if (!termWeights) candidates.set(key, (termWeights = new Map()))
    if (weight > (termWeights.get(term) ?? 0)) termWeights.set(term, weight)
  }

  const proposeSenses = (term: string, senses: Sense[], termWeight: number) => {
    for (const { stems, closedCompound } of senses) {
      for (let start = 0; start < stems.length; start++) {
        for (let length = 1; length <= 3 && start + length <= stems.length; length++) {
          const phrase = stems.slice(start, start + length)
          const weight = (length / stems.length) ** 2 * termWeight
          propose(phrase.join(' '), term, weight)
          // Verb glosses read the other way round from noun questions: "to supply water" ↔ "water supply".
          if (length === 2) propose(`${phrase[1]} ${phrase[0]}`, term, weight * REVERSED_PAIR_WEIGHT)
        }
      }
      if (closedCompound) propose(closedCompound, term, termWeight)
    }
  }

  for (const [term, source] of collectCorpusTerms(corpusTexts, dictionary, maxNgramLength)) {
    if (source === 'composed') {
      // Each character lends its own senses, judged by its own ambiguity.
      for (const character of new Set(term)) {
        const senses = dictionary.of(character)
        proposeSenses(term, senses, SOURCE_WEIGHT.composed / Math.sqrt(senses.length))
      }
    } else {
      const senses = dictionary.of(term)
      proposeSenses(term, senses, SOURCE_WEIGHT[source] / Math.sqrt(senses.length))
    }
  }

  // Names are written in pinyin in English (Zhangjiaba, Shenshan, Xiliang): romanize the corpus's
  // character sequences too, but never let a romanization take the place of an English word.
  const englishKeys = new Set(candidates.keys())
  for (const [term, key] of romanizeCorpusNames(corpusTexts, dictionary.dictionary)) {
    if (!englishKeys.has(key)) propose(key, term, 1)
  }

  const translations: Record<string, WeightedTerm[]> = {}
  for (const key of [...candidates.keys()].sort()) {
    const ranked = [...candidates.get(key)!]
      .map(([term, weight]) => ({ term, weight: Math.round(weight * 1000) / 1000 }))
      .sort((left, right) => right.weight - left.weight || [...right.term].length - [...left.term].length || left.term.localeCompare(right.term))
    // A phrase the translator would not take in place of its words, and translations it would never pick, are left out.
    if (key.includes(' ') && ranked[0].weight < usable.minPhraseWeight) continue
    const threshold = ranked[0].weight * usable.minRelativeWeight
    translations[key] = ranked.filter((translation) => translation.weight >= threshold).slice(0, Math.min(maxTermsPerKey, usable.maxTermsPerWord))
  }
  return { format: LEXICON_FORMAT, translations }
}

