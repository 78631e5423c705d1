import { cosineSimilarity } from '@langchain/core/utils/math'
import { isNeuralEmbedder, type CiteqaEmbeddings } from '../embeddings/citeqa-embeddings.ts'
import type { Logger } from '../logger.ts'
import { findQuantities, holdsQuantity, type Quantity } from '../text/quantities.ts'
import { ENGLISH_WORD, stemEnglishWord } from '../text/english-stems.ts'
import type { QueryTranslator } from '../text/query-translator.ts'
import { RecentResults } from '../text/recent-results.ts'
import { isStopWord } from '../text/stop-words.ts'
import { supportScore, type SupportScorer } from './support-score.ts'
import { answerClaims } from './verify-citations.ts'

/**
 * Support of an answer's sentence by a passage, across languages (an English answer citing
 * Chinese passages) and with numbers checked. The score of a claim against a passage, 0–1:
 *
 * 1. **Numbers first.** Every number of the claim (877万元, 8.77 million, 8,770,000, 40,000 mu,
 *    6%, twenty-six; see `findQuantities`) must be in the passage by value, or the score is 0
 *    whatever else matches: a wrong figure is the error that matters most and the one word
 *    overlap hides best.
 * 2. **Lexical support**, the best of:
 *    - the share of the claim's character bigrams found in the passage (`supportScore`, for
 *      claims in the passage's language);
 *    - for a claim with English words, the share of its evidence units the passage shows: each
 *      English content word (stop words dropped) counts when one of its Chinese translations from
 *      the index's lexicon (`QueryTranslator.chineseTermsFor`, pinyin names included:
 *      Zhangjiaba → 张家坝), or a translation of a two- or three-word phrase it is part of, or the
 *      word itself occurs in the passage; each Chinese run of two or more characters counts when
 *      it occurs; each number counts (it passed step 1).
 * 3. **Embedding similarity**, with a neural embedder only (`transformers:…`; the offline hashing
 *    embedder's cosine is only word overlap again): the claim's cosine with the passage, mapped
 *    linearly from [similarityFloor, similarityCeiling] to [0, 1]; the score is the larger of
 *    this and the lexical support. Step 1 still applies.
 *
 * So `minSupport` keeps its meaning: the least share of the claim that the passage bears out.
 */
export interface CrossLingualSupportOptions {
  /** English → Chinese terms of the indexed corpus; without it English claims get bigram support only. */
  translator?: Pick<QueryTranslator, 'chineseTermsFor'>
  /** The index's embedder; its similarity is used only when its id starts with `transformers:`. */
  embeddings?: Pick<CiteqaEmbeddings, 'id' | 'embedQuery' | 'embedDocuments'>
  /**
   * Cosine (claim as query, passage as passage) at or below which similarity adds nothing.
   * Range −1–1, below `similarityCeiling`. Default 0.8: E5 models put most unrelated
   * query–passage pairs between 0.7 and 0.8. An estimate from the model's published behaviour,
   * not measured on this project's data (the model cannot be downloaded where it is built).
   */
  similarityFloor: number
  /** Cosine at or above which similarity alone means full support (1). Default 0.92. */
  similarityCeiling: number
}

export const defaultCrossLingualSupportOptions: Pick<CrossLingualSupportOptions, 'similarityFloor' | 'similarityCeiling'> = {
  similarityFloor: 0.8,
  similarityCeiling: 0.92,
}

// Kept importable from here: it was defined here first.
export { isNeuralEmbedder }

/**
 * Chinese for English measure words the CC-CEDICT lexicon misses: British spellings and
 * abbreviations (metres, km), and units CC-CEDICT glosses only in prose (亩 is "unit of area equal
 * to one fifteenth of a hectare", never "mu"). Keys are stemmed as the translator stems.
 */
const MEASURE_WORDS: Record<string, string[]> = Object.fromEntries(
  Object.entries({
    mu: ['亩'],
    metre: ['米'],
    meter: ['米'],
    square: ['平方'],
    kilometre: ['公里', '千米'],
    kilometer: ['公里', '千米'],
    km: ['公里', '千米'],
    hectare: ['公顷'],
    yuan: ['元'],
    rmb: ['元'],
    renminbi: ['元'],
    household: ['户'],
    ton: ['吨'],
    tonne: ['吨'],
  }).map(([word, terms]) => [stemEnglishWord(word), terms]),
)

/** Words that carry no claim of their own beyond the shared stop words. */
const CLAIM_STOP_WORDS = new Set(['also', 'not', 'no', 'all', 'each', 'other', 'some', 'more', 'most', 'very', 'just', 'only', 'own', 'same', 'both', 'per', 'total', 'up', 'out'])

// "1、", "2." or "(3)" opening a list item: numbering, not a figure to find in the passage.
const LIST_NUMBER = /^\s*(?:\d{1,2}\s*[、)）]|\d{1,2}\.(?!\d)|[(（]\d{1,2}[)）])\s*/u
const HAN_RUN = /\p{Script=Han}{2,}/gu

/** What a claim asks a passage to show. */
interface ClaimEvidence {
  quantities: Quantity[]
  /** English content words, each with the Chinese terms that would show it. */
  words: { word: string; terms: string[] }[]
  /** Chinese written inside a mostly English claim (a name in brackets). */
  chineseRuns: string[]
}

/** The support scorer of the service; see {@link CrossLingualSupportOptions} for how it scores. */
export class CrossLingualSupportScorer implements SupportScorer {
  private readonly options: CrossLingualSupportOptions
  // Claims and passages repeat within an answer, not across many: the last 256 of each are kept.
  private readonly claims = new RecentResults<ClaimEvidence>(256)
  private readonly passageQuantities = new RecentResults<Quantity[]>(256)

  constructor(options: Partial<CrossLingualSupportOptions> = {}) {
    this.options = { ...defaultCrossLingualSupportOptions, ...options }
  }

  /** Whether {@link forAnswer} adds embedding similarity. */
  get usesSimilarity(): boolean {
    return this.options.embeddings !== undefined && isNeuralEmbedder(this.options.embeddings.id)
  }

  /** Number check and lexical support (steps 1 and 2), 0–1. */
  score(claim: string, passage: string): number {
    if (!this.holdsNumbers(claim, passage)) return 0
    return Math.max(supportScore(claim, passage), this.translatedSupport(claim, passage))
  }

  /**
   * A scorer for one answer: with a neural embedder, the answer's sentences and the passages are
   * embedded once here and similarity joins the score (step 3); otherwise this scorer itself.
   * An embedding failure is logged and leaves the lexical score: it must not cost the answer.
   */
  async forAnswer(answer: string, passages: string[], logger?: Logger): Promise<SupportScorer> {
    const embeddings = this.options.embeddings
    if (!embeddings || !this.usesSimilarity) return this
    const claims = [...new Set(answerClaims(answer))]
    const uniquePassages = [...new Set(passages)]
    if (claims.length === 0 || uniquePassages.length === 0) return this
    let similarities: Map<string, Map<string, number>>
    try {
      const [claimVectors, passageVectors] = await Promise.all([
        Promise.all(claims.map((claim) => embeddings.embedQuery(claim))),
        embeddings.embedDocuments(uniquePassages),
      ])
      const matrix = cosineSimilarity(claimVectors, passageVectors)
      similarities = new Map(
        claims.map((claim, claimIndex) => [
          claim,
          // A zero vector has no direction: its similarity is 0, not NaN.
          new Map(uniquePassages.map((passage, passageIndex) => [passage, Number.isFinite(matrix[claimIndex][passageIndex]) ? matrix[claimIndex][passageIndex] : 0])),
        ]),
      )
    } catch (error) {
      logger?.warn({ err: error }, 'embedding the answer for its support scores failed; scoring it lexically')
      return this
    }
    return {
      score: (claim, passage) => {
        const lexical = this.score(claim, passage)
        const similarity = similarities.get(claim)?.get(passage)
        if (similarity === undefined || !this.holdsNumbers(claim, passage)) return lexical
        return Math.max(lexical, this.calibrate(similarity))
      },
    }
  }

  /** Cosine → 0–1 between the floor and the ceiling. */
  calibrate(similarity: number): number {
    const { similarityFloor, similarityCeiling } = this.options
    return Math.min(1, Math.max(0, (similarity - similarityFloor) / (similarityCeiling - similarityFloor)))
  }

  private holdsNumbers(claim: string, passage: string): boolean {
    const claimed = this.evidenceOf(claim).quantities
    if (claimed.length === 0) return true
    const held = this.passageQuantities.get(passage, () => findQuantities(passage, { generous: true }))
    return claimed.every((quantity) => holdsQuantity(held, quantity))
  }

  private translatedSupport(claim: string, passage: string): number {
    const { quantities, words, chineseRuns } = this.evidenceOf(claim)
    if (words.length === 0) return 0
    const lowerPassage = passage.normalize('NFKC').toLowerCase()
    const shownWords = words.filter(({ word, terms }) => terms.some((term) => lowerPassage.includes(term)) || (word.length > 2 && new RegExp(`\\b${word}`).test(lowerPassage)))
    const shownRuns = chineseRuns.filter((run) => lowerPassage.includes(run))
    // The numbers all hold here (holdsNumbers ran first), so each counts as shown. Every unit
    // weighs the same: IDF weights (by the corpus passages holding a word's translations) were
    // tried and separated right from wrong claims no better on this article.
    return (shownWords.length + shownRuns.length + quantities.length) / (words.length + chineseRuns.length + quantities.length)
  }

  private evidenceOf(claim: string): ClaimEvidence {
    return this.claims.get(claim, () => {
      const normalized = claim.normalize('NFKC').replace(LIST_NUMBER, (numbering) => ' '.repeat(numbering.length))
      const quantities = findQuantities(normalized)
      // Blank the numbers out so "million" or "percent" are not words to translate too.
      let prose = normalized
      for (const { start, end } of quantities) prose = `${prose.slice(0, start)}${' '.repeat(end - start)}${prose.slice(end)}`
      const contentWords = (prose.toLowerCase().replace(/[’‘]/g, "'").match(ENGLISH_WORD) ?? [])
        .map((word) => word.replace(/'s$/, ''))
        .filter((word) => word.length > 1 && !isStopWord(word) && !CLAIM_STOP_WORDS.has(word))
      return { quantities, words: this.translateWords(contentWords), chineseRuns: prose.match(HAN_RUN) ?? [] }
    })
  }

  /**
   * Each word's own translations, its measure-word Chinese, and the translations of the two- and
   * three-word phrases it is part of. A phrase counts only for what it adds beyond its words'
   * own translations (the translator falls back to word by word when the phrase is unknown, and
   * that must not let "expand" borrow the 升级 of "upgrade").
   */
  private translateWords(words: string[]): { word: string; terms: string[] }[] {
    const translator = this.options.translator
    const own = words.map((word) => [...(translator?.chineseTermsFor(word) ?? []), ...(MEASURE_WORDS[stemEnglishWord(word)] ?? [])])
    const terms = own.map((translations) => new Set(translations))
    if (translator) {
      for (let start = 0; start < words.length; start++) {
        for (let length = 2; length <= 3 && start + length <= words.length; length++) {
          const parts = own.slice(start, start + length).flat()
          const added = translator.chineseTermsFor(words.slice(start, start + length).join(' ')).filter((term) => !parts.includes(term))
          for (let index = start; index < start + length; index++) added.forEach((term) => terms[index].add(term))
        }
      }
    }
    return words.map((word, index) => ({ word, terms: [...terms[index]] }))
  }
}

const scorersByIndex = new WeakMap<object, CrossLingualSupportScorer>()

/** The scorer of an index (its translator and embedder), made once so its caches serve every answer. */
export function supportScorerFor(index: { translator: Pick<QueryTranslator, 'chineseTermsFor'>; embeddings: CrossLingualSupportOptions['embeddings'] }): CrossLingualSupportScorer {
  let scorer = scorersByIndex.get(index)
  if (!scorer) {
    scorer = new CrossLingualSupportScorer({ translator: index.translator, embeddings: index.embeddings })
    scorersByIndex.set(index, scorer)
  }
  return scorer
}
