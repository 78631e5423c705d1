import { loadGlossDictionary, type GlossDictionary } from './gloss-dictionary.ts'
import { segmentWords } from './tokenize.ts'
import { isStopWord } from './stop-words.ts'

/**
 * English → Chinese term translation for cross-lingual retrieval: an English question is
 * searched against Chinese passages by appending Chinese terms for its English words.
 *
 * The method is a plain dictionary lookup, reversed. At index-build time every Chinese term of
 * the corpus (jieba words, single characters, and character n-grams that CC-CEDICT knows) is
 * looked up in CC-CEDICT, and each English word of its glosses is mapped back to the term. So
 * the lexicon only ever proposes terms that actually occur in the article, and it needs no model.
 */

/** A Chinese corpus term proposed as a translation, with how good a translation it is (0–1]. */
export interface WeightedTerm {
  term: string
  weight: number
}

/**
 * English → Chinese translations of one corpus, saved next to the search index (see
 * serializeLexicon) and used at query time without CC-CEDICT.
 */
export interface TranslationLexicon {
  format: typeof LEXICON_FORMAT
  /**
   * Key: a stemmed English content word (`invest`), or 2–3 stemmed content words joined by a space
   * for phrases of multi-word glosses (`treatment plant`). Value: corpus terms, best first.
   */
  translations: Record<string, WeightedTerm[]>
}

const LEXICON_FORMAT = 'citeqa-translation-lexicon-v1'

/**
 * The lexicon as saved with the index: a header line, then one line a key — the key, then each
 * translation as `term weight`, tab-separated. A third of the size of its JSON form, and read only
 * on the first English question (see {@link QueryTranslator}).
 */
export function serializeLexicon(lexicon: TranslationLexicon): string {
  const lines: string[] = [lexicon.format]
  // Keys in order, so that a saved lexicon is searched where it lies (see savedLexiconLookup).
  for (const [key, translations] of Object.entries(lexicon.translations).sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0))) {
    if (/[\t\n]/.test(key)) throw new Error(`Lexicon: the key "${key}" holds a tab or line break`)
    if (/[\t\n ]/.test(translations.map((translation) => translation.term).join(''))) throw new Error(`Lexicon: a translation of "${key}" holds a tab, space or line break`)
    lines.push([key, ...translations.map(({ term, weight }) => `${term} ${weight}`)].join('\t'))
  }
  return `${lines.join('\n')}\n`
}

/** Translations by English key: a lexicon object, or a saved lexicon searched in place. */
export interface LexiconLookup {
  translationsOf(key: string): WeightedTerm[]
}

/**
 * A saved lexicon searched where it lies: its lines are sorted by key, so a key is found by binary
 * search and only its own line is parsed. At a thousand documents (130,000 keys) parsing the whole
 * lexicon took ~0.4 s and 30 MB on the first English question; this needs the text and its line starts.
 */
export function savedLexiconLookup(text: string): LexiconLookup {
  if (!text.startsWith(`${LEXICON_FORMAT}\n`)) throw new Error(`Lexicon: format "${text.slice(0, Math.max(0, text.indexOf('\n'))).slice(0, 60)}", expected "${LEXICON_FORMAT}"`)
  const starts: number[] = []
  for (let start = LEXICON_FORMAT.length + 1; start < text.length; ) {
    const end = text.indexOf('\n', start)
    if (end !== start) starts.push(start)
    start = end === -1 ? text.length : end + 1
  }
  const lineStarts = Uint32Array.from(starts)
  const keyAt = (line: number) => text.slice(lineStarts[line], text.indexOf('\t', lineStarts[line]))
  return {
    translationsOf(key) {
      let low = 0
      let high = lineStarts.length - 1
      while (low <= high) {
        const middle = (low + high) >>> 1
        const candidate = keyAt(middle)
        if (candidate === key) {
          const end = text.indexOf('\n', lineStarts[middle])
          return parseTranslations(text.slice(lineStarts[middle], end === -1 ? text.length : end), middle + 2)
        }
        if (candidate < key) low = middle + 1
        else high = middle - 1
      }
      return []
    },
  }
}

/** The translations on one line of a saved lexicon (`key`, then `term weight` entries, tab-separated). */
function parseTranslations(line: string, number: number): WeightedTerm[] {
  const [key, ...entries] = line.split('\t')
  return entries.map((entry) => {
    const space = entry.lastIndexOf(' ')
    const weight = Number(entry.slice(space + 1))
    if (space <= 0 || !(weight > 0)) throw new Error(`Lexicon: line ${number} ("${key}") has a malformed translation "${entry}"`)
    return { term: entry.slice(0, space), weight }
  })
}

/** Reads what {@link serializeLexicon} wrote; throws naming the line that is wrong. */
export function parseLexicon(text: string): TranslationLexicon {
  const lines = text.split('\n')
  if (lines[0] !== LEXICON_FORMAT) throw new Error(`Lexicon: format "${lines[0].slice(0, 60)}", expected "${LEXICON_FORMAT}"`)
  const translations: Record<string, WeightedTerm[]> = {}
  for (let number = 1; number < lines.length; number++) {
    if (lines[number] === '') continue
    const key = lines[number].slice(0, lines[number].indexOf('\t'))
    // Stems are lower-case letters; a key that could reach the prototype is never written.
    if (key === '__proto__') continue
    translations[key] = parseTranslations(lines[number], number + 1)
  }
  return { format: LEXICON_FORMAT, translations }
}

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

/** Options for {@link QueryTranslator}. */
export interface QueryTranslatorOptions {
  /** At most this many Chinese terms are added per English word or phrase. */
  maxTermsPerWord?: number
  /** Terms weaker than this fraction of the best translation of the same word are left out. */
  minRelativeWeight?: number
  /**
   * A multi-word English phrase is used instead of its single words only when its best translation
   * weighs at least this much, so a phrase that is only a small part of some long gloss does not
   * displace good word-by-word translations.
   */
  minPhraseWeight?: number
}

const defaultTranslatorOptions: Required<QueryTranslatorOptions> = {
  maxTermsPerWord: 3,
  minRelativeWeight: 0.5,
  minPhraseWeight: 0.3,
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

/** Gloss words that are grammar or dictionary shorthand, not meaning (beyond the shared stop words). */
const GLOSS_STOP_WORDS = new Set([
  'sb', 'sth', 'etc', 'one', "one's", 'oneself', 'someone', 'somebody', 'something', 'also', 'lit', 'fig', 'esp',
  'abbr', 'e', 'g', 'i', 'not', 'no', 'very', 'some', 'any', 'all', 'each', 'every', 'other', 'up', 'out', 'off',
  'own', 'used', 'form', 'bound', 'variant', 'our', 'your', 'his', 'her', 'my', 'we', 'you', 'he', 'she', 'us',
  'them', 'but', 'if', 'more', 'most', 'just',
])

/** Senses that are cross-references or notes rather than translations. */
const NON_TRANSLATION_SENSE =
  /^(?:(?:old |archaic |ancient |erhua )?variant of|see |used in|cl:|surname |abbr\.? (?:for|of)|also written|kangxi radical|"[^"]*" radical|radical )/i

const HAN_ONLY = /^\p{Script=Han}+$/u
const HAN_RUN = /\p{Script=Han}+/gu
const ENGLISH_WORD = /[a-z]+(?:'[a-z]+)*/g

/**
 * Light English stemming, the same for glosses and questions so that "invested" meets "to
 * invest" and "households" meets "household". Rules, in order: possessive `'s` dropped; `-ies`/
 * `-ied` → `-y`; `-sses` → `-ss`; `-es` after s/x/z/ch/sh dropped; other plural `-s` dropped
 * (not `-ss`, `-us`, `-is`); `-ing`/`-ed` dropped with a doubled final consonant undone; a final
 * `-e` dropped ("complete"/"completed" → "complet"). Stems need not be words, only consistent.
 *
 * Hand-written on purpose, measured against the npm stemmers: Porter (`stemmer`) and Porter2
 * (`porter2`) also strip derivational suffixes, which merges glosses that differ in meaning
 * (organic/organ, national/nation, cooperative/cooper). On 32 English questions about the article
 * Porter2 answered two more (71.9% vs 65.6%) but retrieved worse (hit@1 62.5% vs 65.6%, hit@3
 * 90.6% vs 93.8%, MRR@10 0.765 vs 0.791), Porter the same with 68.8%; the dev set did not change.
 * Swap it for a package only when it is at least as good on every figure.
 */
export function stemEnglishWord(word: string): string {
  let stem = americanSpelling(word.toLowerCase().replace(/'s$/, '').replace(/'/g, ''))
  if (stem.length <= 3) return stem
  if (/(?:ies|ied)$/.test(stem) && stem.length > 4) stem = `${stem.slice(0, -3)}y`
  else if (stem.endsWith('sses')) stem = stem.slice(0, -2)
  else if (/(?:[sxz]|ch|sh)es$/.test(stem)) stem = stem.slice(0, -2)
  else if (/[^sui]s$/.test(stem)) stem = stem.slice(0, -1)
  else if (stem.endsWith('ing') && stem.length > 5) stem = undoubleFinalConsonant(stem.slice(0, -3))
  else if (stem.endsWith('ed') && stem.length > 4) stem = undoubleFinalConsonant(stem.slice(0, -2))
  if (stem.endsWith('e') && stem.length > 3) stem = stem.slice(0, -1)
  return stem
}

/**
 * CC-CEDICT glosses are in American spelling; questions may be British: kilometre(s) → kilometer(s),
 * honour → honor, organised → organized, centre → center. Applied before stemming, on both sides.
 */
function americanSpelling(word: string): string {
  if (word.length <= 5) return word
  let spelled = word.replace(/([bt])re(s|d)?$/, '$1er$2')
  if (!/(?:four|tour|pour|your|hour|flour|sour)/.test(spelled)) spelled = spelled.replace(/our(s|ed|ing|able)?$/, 'or$1')
  const ise = /^(\w{3,})is(e|ed|es|ing|ation|ations)$/.exec(spelled)
  if (ise && !BRITISH_ISE_EXCEPTIONS.test(`${ise[1]}ise`)) spelled = `${ise[1]}iz${ise[2]}`
  return spelled
}

// Words that end in -ise in American English too.
const BRITISH_ISE_EXCEPTIONS = /(?:advertise|exercise|promise|compromise|surprise|revise|supervise|advise|devise|comprise|despise|disguise|enterprise|franchise|merchandise|premise|treatise|expertise|wise|rise|noise|praise|raise|cruise|concise|precise|paradise|otherwise|likewise|clockwise)$/

/** "planned" → "plann" → "plan"; l, s and z stay doubled ("filled", "passed", "buzzed"). */
function undoubleFinalConsonant(stem: string): string {
  return /([b-df-hj-km-npqrtv-xy])\1$/.test(stem) && !/(?:ll|ss|zz)$/.test(stem) ? stem.slice(0, -1) : stem
}

function isEnglishStopWord(word: string): boolean {
  return isStopWord(word) || GLOSS_STOP_WORDS.has(word)
}

/** Content words of an English text, in order, lower-cased and stemmed. */
function englishContentStems(text: string): string[] {
  const words = text.toLowerCase().replace(/[’‘]/g, "'").match(ENGLISH_WORD) ?? []
  return words
    .map((word) => word.replace(/'s$/, ''))
    .filter((word) => !isEnglishStopWord(word))
    .map(stemEnglishWord)
    .filter((stem) => stem.length > 1 && !isEnglishStopWord(stem))
}

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

/** Appends Chinese terms for the English words of a question, using a prebuilt {@link TranslationLexicon}. */
export class QueryTranslator {
  private readonly options: Required<QueryTranslatorOptions>
  private loaded?: LexiconLookup

  /**
   * @param lexicon the lexicon (or a lookup in a saved one), or a function that gives it: called on
   * the first English word to translate, so a service asked only in Chinese never reads it
   */
  constructor(
    private readonly lexicon: TranslationLexicon | LexiconLookup | (() => TranslationLexicon | LexiconLookup),
    options: QueryTranslatorOptions = {},
  ) {
    this.options = { ...defaultTranslatorOptions, ...options }
  }

  private get lookup(): LexiconLookup {
    if (!this.loaded) {
      const given = typeof this.lexicon === 'function' ? this.lexicon() : this.lexicon
      // Own properties only: a question word such as "constructor" must not find Object.prototype's.
      this.loaded = 'translations' in given ? { translationsOf: (key) => (Object.hasOwn(given.translations, key) ? given.translations[key] : []) } : given
    }
    return this.loaded
  }

  /** Chinese terms for the English words of a question; longest phrases (3, then 2 words) first. */
  chineseTermsFor(question: string): string[] {
    const stems = englishContentStems(question)
    const terms = new Set<string>()
    for (let start = 0; start < stems.length; ) {
      let consumed = 1
      for (let length = Math.min(3, stems.length - start); length >= 2; length--) {
        const phraseTranslations = this.lookUp(stems.slice(start, start + length).join(' '))
        if (phraseTranslations.length > 0 && phraseTranslations[0].weight >= this.options.minPhraseWeight) {
          this.pickBest(phraseTranslations).forEach((term) => terms.add(term))
          consumed = length
          break
        }
      }
      if (consumed === 1) this.pickBest(this.lookUp(stems[start])).forEach((term) => terms.add(term))
      start += consumed
    }
    return [...terms]
  }

  /** The question with Chinese terms for its English words appended; Chinese questions come back unchanged. */
  translate(question: string): string {
    const terms = this.chineseTermsFor(question)
    return terms.length > 0 ? `${question} ${terms.join(' ')}` : question
  }

  private lookUp(key: string): WeightedTerm[] {
    return this.lookup.translationsOf(key)
  }

  private pickBest(translations: WeightedTerm[]): string[] {
    if (translations.length === 0) return []
    const threshold = translations[0].weight * this.options.minRelativeWeight
    return translations
      .filter((translation) => translation.weight >= threshold)
      .slice(0, this.options.maxTermsPerWord)
      .map((translation) => translation.term)
  }
}
