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

/**
 * A gloss dictionary whose characters' senses are parsed once each: a corpus repeats its characters
 * endlessly, while most of its words and n-grams are looked up once, so caching those would only
 * hold every sense of the corpus in memory at once (700,000 terms at 100,000 poems).
 */
class SenseLookup {
  private readonly characterSenses = new Map<string, Sense[]>()

  constructor(readonly dictionary: GlossDictionary) {}

  of(term: string): Sense[] {
    if ([...term].length > 1) return lookUpSenses(this.dictionary, term)
    let senses = this.characterSenses.get(term)
    if (!senses) this.characterSenses.set(term, (senses = lookUpSenses(this.dictionary, term)))
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
 * Where a term's glosses come from, or undefined when it has none worth proposing. A term with
 * CC-CEDICT senses is a word; a character (jieba leaves it standalone) lends its own senses; a
 * jieba word missing from CC-CEDICT borrows its characters' senses, which is only plausible for
 * short words (longer ones are names or set phrases).
 */
function sourceOf(term: string, senses: Sense[]): TermSource | undefined {
  const length = [...term].length
  if (length === 1) return 'character'
  if (senses.length > 0) return 'word'
  return length <= 3 ? 'composed' : undefined
}

/**
 * Calls `visit` once with each Chinese term of the corpus that has glosses, with their source and
 * senses: jieba's words, characters that jieba leaves standalone, and longer character n-grams that
 * CC-CEDICT lists although jieba splits them (污水处理厂). Only terms a passage is indexed by are
 * useful: a character that only occurs inside words (警 in 警务) matches no passage term, so it is
 * reached through its words instead. Two-character n-grams are left to jieba: across word
 * boundaries they are mostly accidents (完成全镇 contains 成全 "to help sb succeed").
 * Terms are visited as they are met, text by text, so no table of them all is held with its senses.
 */
function forEachCorpusTerm(corpusTexts: string[], dictionary: SenseLookup, maxNgramLength: number, visit: (term: string, source: TermSource, senses: Sense[]) => void): void {
  const seen = new Set<string>()
  const meet = (term: string, senses: Sense[]) => {
    seen.add(term)
    const source = sourceOf(term, senses)
    if (source) visit(term, source, senses)
  }
  for (const text of corpusTexts) {
    for (const run of text.normalize('NFKC').match(HAN_RUN) ?? []) {
      const characters = [...run]
      for (let start = 0; start < characters.length; start++) {
        for (let length = 3; length <= maxNgramLength && start + length <= characters.length; length++) {
          const ngram = characters.slice(start, start + length).join('')
          if (seen.has(ngram) || !dictionary.dictionary.definitionsOf(ngram)) continue
          const senses = dictionary.of(ngram)
          if (senses.length > 0) meet(ngram, senses)
        }
      }
    }
    for (const word of segmentWords(text)) {
      if (!seen.has(word) && HAN_ONLY.test(word) && !isStopWord(word)) meet(word, dictionary.of(word))
    }
  }
}

const MIN_ROMANIZED_KEY_LENGTH = 6
const MAX_NAME_CHARACTERS = 4

/**
 * Calls `visit` with each 2–4 character sequence of the corpus and its toneless pinyin key
 * (`zhangjiaba`), from each character's first CC-CEDICT reading. Short keys are skipped: they
 * collide with English words. A sequence is visited at each occurrence: remembering those already
 * seen would hold every sequence of the corpus (two million at 100,000 poems) in memory.
 */
function forEachRomanizedSequence(corpusTexts: string[], dictionary: GlossDictionary, visit: (term: string, key: string) => void): void {
  const readings = new Map<string, string | undefined>()
  const readingOf = (character: string) => {
    if (!readings.has(character)) {
      const pinyin = dictionary.readingOf(character)
      readings.set(character, pinyin && /^[a-z]+[1-5]$/i.test(pinyin) ? pinyin.slice(0, -1).toLowerCase().replace('u:', 'v') : undefined)
    }
    return readings.get(character)
  }
  for (const text of corpusTexts) {
    for (const run of text.normalize('NFKC').match(HAN_RUN) ?? []) {
      const characters = [...run]
      const syllables = characters.map(readingOf)
      for (let start = 0; start < characters.length; start++) {
        if (!syllables[start]) continue
        for (let length = 2; length <= MAX_NAME_CHARACTERS && start + length <= characters.length; length++) {
          // A sequence is romanized only when every character has a reading.
          if (!syllables[start + length - 1]) break
          const key = stemEnglishWord(syllables.slice(start, start + length).join(''))
          if (key.length >= MIN_ROMANIZED_KEY_LENGTH) visit(characters.slice(start, start + length).join(''), key)
        }
      }
    }
  }
}

/** Orders translations best first: by weight, then the longer term (the more specific), then by code point order of the locale. */
function byRank(left: WeightedTerm, right: WeightedTerm): number {
  return right.weight - left.weight || [...right.term].length - [...left.term].length || left.term.localeCompare(right.term)
}

/**
 * The best few translations of each key, kept as proposals come: a term's weight is the best it is
 * proposed with, and a key keeps only the `size` best terms, so memory grows with the keys, not with
 * every proposal (a common gloss word such as "mountain" is proposed for thousands of terms).
 * Keeping the best few of each term's best weight as they come gives the same few as ranking all.
 */
class BestTranslations {
  readonly byKey = new Map<string, WeightedTerm[]>()

  constructor(private readonly size: number) {}

  propose(key: string, term: string, rawWeight: number): void {
    // Rounded as saved, so that ties are broken as the saved lexicon's order shows.
    const weight = Math.round(rawWeight * 1000) / 1000
    const kept = this.byKey.get(key)
    if (!kept) {
      this.byKey.set(key, [{ term, weight }])
      return
    }
    const known = kept.find((translation) => translation.term === term)
    if (known) {
      if (weight <= known.weight) return
      known.weight = weight
    } else if (kept.length < this.size) {
      kept.push({ term, weight })
    } else if (byRank({ term, weight }, kept[kept.length - 1]) < 0) {
      kept[kept.length - 1] = { term, weight }
    } else {
      return
    }
    kept.sort(byRank)
  }
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

  // Translations beyond what the translator takes for a word are never used (see usableBy).
  const best = new BestTranslations(Math.min(maxTermsPerKey, usable.maxTermsPerWord))
  const propose = best.propose.bind(best)

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

  forEachCorpusTerm(corpusTexts, dictionary, maxNgramLength, (term, source, senses) => {
    if (source === 'composed') {
      // Each character lends its own senses, judged by its own ambiguity.
      for (const character of new Set(term)) {
        const characterSenses = dictionary.of(character)
        proposeSenses(term, characterSenses, SOURCE_WEIGHT.composed / Math.sqrt(characterSenses.length))
      }
    } else {
      proposeSenses(term, senses, SOURCE_WEIGHT[source] / Math.sqrt(senses.length))
    }
  })

  // Names are written in pinyin in English (Zhangjiaba, Shenshan, Xiliang): romanize the corpus's
  // character sequences too, but never let a romanization take the place of an English word.
  const englishKeys = new Set(best.byKey.keys())
  forEachRomanizedSequence(corpusTexts, dictionary.dictionary, (term, key) => {
    if (!englishKeys.has(key)) propose(key, term, 1)
  })

  const translations: Record<string, WeightedTerm[]> = {}
  for (const key of [...best.byKey.keys()].sort()) {
    const ranked = best.byKey.get(key)!
    // A phrase the translator would not take in place of its words, and translations it would never pick, are left out.
    if (key.includes(' ') && ranked[0].weight < usable.minPhraseWeight) continue
    const threshold = ranked[0].weight * usable.minRelativeWeight
    translations[key] = ranked.every((translation) => translation.weight >= threshold) ? ranked : ranked.filter((translation) => translation.weight >= threshold)
  }
  return { format: LEXICON_FORMAT, translations }
}

