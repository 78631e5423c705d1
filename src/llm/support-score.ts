/**
 * Units of a text for overlap: each Chinese character, each run of digits and each Latin word
 * (lower-cased); punctuation and spaces are dropped so formatting does not count as support.
 */
export function overlapUnits(text: string): string[] {
  return text.toLowerCase().match(/\p{Script=Han}|\d+(?:\.\d+)?|[\p{L}\p{M}]+/gu) ?? []
}

/** Consecutive pairs of units (a text of one unit is its own gram). */
export function characterBigrams(units: string[]): string[] {
  if (units.length < 2) return units.slice()
  return units.slice(1).map((unit, index) => `${units[index]}\u0000${unit}`)
}

/**
 * How much of a claim a passage supports, 0–1: the share of the claim's character bigrams
 * (Latin words count as one character) that occur in the passage. Works for Chinese without a
 * tokenizer; a paraphrase keeps most bigrams of the names and numbers it repeats.
 */
export function supportScore(claim: string, passage: string): number {
  const claimGrams = characterBigrams(overlapUnits(claim))
  if (claimGrams.length === 0) return 0
  const passageGrams = new Set(characterBigrams(overlapUnits(passage)))
  const found = claimGrams.filter((gram) => passageGrams.has(gram)).length
  return found / claimGrams.length
}

/**
 * Scores how well a passage supports a claim (a sentence of an answer): 0 (not at all) to 1
 * (fully). `verifyCitations` calls it for every sentence against every passage given to the model,
 * so it must be synchronous and cheap; anything slow (embeddings) is computed beforehand.
 */
export interface SupportScorer {
  score(claim: string, passage: string): number
}

/** The default scorer: {@link supportScore}, character bigrams of the claim found in the passage. */
export const bigramSupportScorer: SupportScorer = { score: supportScore }
