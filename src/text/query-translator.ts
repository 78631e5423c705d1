import { englishContentStems } from './english-stems.ts'
import type { LexiconLookup, TranslationLexicon, WeightedTerm } from './translation-lexicon.ts'

// Translation at query time, through the lexicon built with the index (build-translation-lexicon.ts).

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

export const defaultTranslatorOptions: Required<QueryTranslatorOptions> = {
  maxTermsPerWord: 3,
  minRelativeWeight: 0.5,
  minPhraseWeight: 0.3,
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
