import type { Paragraph } from '../ingest/types.ts'
import type { RetrievedPassage } from '../retrieval/hybrid-retriever.ts'
import type { SimilarityCalibration } from '../retrieval/similarity-calibration.ts'

/** Weight of semantic evidence in {@link combineEvidence}. */
export const SEMANTIC_EVIDENCE_WEIGHT = 0.5

/**
 * How strongly a neural embedder's cosine (a passage's `denseScore`) says the passage is about
 * the question, 0–1, read against the embedder's own calibration on this corpus:
 * 0 at or below `unrelated.p95` (no more similar than 95% of unrelated query–chunk pairs),
 * 1 at or above `related.p50` (as similar as half a sentence is to its own chunk, typically),
 * linear between. A calibration whose related median does not exceed its unrelated p95 shows an
 * embedder that cannot tell the two apart on this corpus, and then similarity is worth nothing (0).
 */
export function semanticEvidence(denseScore: number, calibration: SimilarityCalibration): number {
  const floor = calibration.unrelated.p95
  const ceiling = calibration.related.p50
  if (!(ceiling > floor) || !Number.isFinite(denseScore)) return 0
  return Math.min(1, Math.max(0, (denseScore - floor) / (ceiling - floor)))
}

/**
 * The evidence that decides whether to answer, from the lexical evidence (share of the question's
 * weight covered, 0–1) and the semantic evidence (see {@link semanticEvidence}; undefined without
 * a neural embedder, or for a passage the dense search did not find): the lexical evidence, raised
 * to the average of the two when that is higher.
 *
 * - It never lowers the lexical evidence: similarity may rescue a paraphrase, never veto an
 *   answer the words already support; with the offline embedder nothing changes.
 * - An unrelated passage (semantic 0) keeps its lexical evidence, so it gains nothing.
 * - Similarity counts for half, since it cannot check the details that words can: at the default
 *   `minEvidence` of 0.5, a sentence covering 30% of the question needs semantic evidence 0.7, and
 *   one covering none needs 1 — a passage as close to the question as a sentence is to its own chunk.
 */
export function combineEvidence(lexical: number, semantic: number | undefined, semanticWeight = SEMANTIC_EVIDENCE_WEIGHT): number {
  if (semantic === undefined) return lexical
  return Math.max(lexical, (1 - semanticWeight) * lexical + semanticWeight * semantic)
}

/**
 * The semantic evidence for a paragraph: the best of the retrieved passages taken from it, or
 * undefined when none has any (offline embedder, or found by keywords only). Per paragraph, like
 * the lexical evidence, which counts what the sentence and its paragraph cover.
 */
export function paragraphSemanticEvidence(passages: RetrievedPassage[], paragraph: Pick<Paragraph, 'docId' | 'number'>): number | undefined {
  let best: number | undefined
  for (const { chunk, semanticEvidence } of passages) {
    if (semanticEvidence === undefined || chunk.docId !== paragraph.docId || chunk.paragraph !== paragraph.number) continue
    best = Math.max(best ?? 0, semanticEvidence)
  }
  return best
}
