import type { Paragraph } from '../ingest/types.ts'
import type { RetrievedPassage } from '../retrieval/hybrid-retriever.ts'

/** Weight of semantic evidence in {@link combineEvidence}. */
export const SEMANTIC_EVIDENCE_WEIGHT = 0.5

/**
 * The evidence that decides whether to answer, from the lexical evidence (share of the question's
 * weight covered, 0–1) and the semantic evidence (see semanticEvidence in retrieval/similarity-calibration.ts; undefined without
 * a neural embedder, or for a passage the dense search did not find): the lexical evidence, raised
 * to the average of the two when that is higher.
 *
 * - It never lowers the lexical evidence: similarity may rescue a paraphrase, never veto an
 *   answer the words already support; with the offline embedder nothing changes.
 * - An unrelated passage (semantic 0) keeps its lexical evidence, so it gains nothing.
 * - Similarity counts for half, since it cannot check the details that words can: at the default
 *   `minEvidence` of 0.4, a sentence covering 30% of the question needs semantic evidence 0.5, and
 *   one covering none needs 0.8 — nearly as close to the question as a sentence is to its own chunk.
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
