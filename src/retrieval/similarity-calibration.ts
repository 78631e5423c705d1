import { cosineSimilarity } from '@langchain/core/utils/math'
import type { CiteqaEmbeddings } from '../embeddings/citeqa-embeddings.ts'
import { splitIntoSentences } from '../ingest/split-into-sentences.ts'
import type { Chunk } from '../ingest/types.ts'
import { seededRandom } from '../seeded-random.ts'

/**
 * What a cosine similarity of one embedder means on one corpus, measured at index build time
 * without any question (see {@link calibrateSimilarity}). Raw cosines are not comparable across
 * models — E5 puts almost every query–passage pair between 0.7 and 0.9 — so the dense score is
 * read against these quantiles of the embedder that produced it. Kept in the index manifest.
 */
export interface SimilarityCalibration {
  /** The embedder whose cosines these are (its `CiteqaEmbeddings.id`); another embedder needs its own. */
  embedderId: string
  /** Cosine of a query (half a sentence of the corpus) with the chunk it was taken from. */
  related: { p25: number; p50: number }
  /** Cosine of such a query with a chunk of another paragraph: the level an unanswerable question reaches. */
  unrelated: { p50: number; p95: number }
  /** How many cosines each side's quantiles are taken over. */
  samples: { related: number; unrelated: number }
}

/** How {@link calibrateSimilarity} samples the corpus. */
export interface SimilarityCalibrationOptions {
  /** Most queries embedded (one `embedQuery` each), which bounds the build-time cost. Range ≥ 1. Default 64. */
  maxQueries: number
  /** Chunks of other paragraphs compared with each query; free, as their vectors exist already. Range ≥ 1. Default 4. */
  unrelatedPerQuery: number
  /** Shortest query in characters: a sentence is sampled when both its halves are at least this long. Default 6 (questions are rarely shorter). */
  minQueryCharacters: number
  /** Seed of the choice of unrelated chunks, so rebuilding the same index calibrates it the same way. Default 1. */
  seed: number
}

export const defaultSimilarityCalibrationOptions: SimilarityCalibrationOptions = {
  maxQueries: 64,
  unrelatedPerQuery: 4,
  minQueryCharacters: 6,
  seed: 1,
}

/**
 * Measures what the embedder's cosines mean on this corpus, from the corpus alone. Sentences are
 * sampled evenly across the chunks, and half of each (the first or second, alternately) is embedded
 * as a query — question-sized, and only part of its chunk, as a question is. Its cosine with its
 * own chunk is a "related" sample; its cosines with random chunks of other paragraphs are
 * "unrelated" ones (same article, so same topic: exactly the background an unanswerable question
 * about the article scores against). Chunk vectors are the ones just built, so the cost is
 * `maxQueries` query embeddings.
 *
 * Returns undefined when the corpus cannot give both kinds of sample (one paragraph only, or no
 * sentence long enough).
 */
export async function calibrateSimilarity(
  embeddings: Pick<CiteqaEmbeddings, 'id' | 'embedQuery'>,
  chunks: Chunk[],
  chunkVectors: number[][],
  options: Partial<SimilarityCalibrationOptions> = {},
): Promise<SimilarityCalibration | undefined> {
  const { maxQueries, unrelatedPerQuery, minQueryCharacters, seed } = { ...defaultSimilarityCalibrationOptions, ...options }
  const paragraphOf = (chunk: Chunk) => `${chunk.docId}\u0000${chunk.paragraph}`
  const candidates = chunks.flatMap((chunk, chunkIndex) =>
    splitIntoSentences(chunk.text)
      .map((sentence) => [...sentence.text])
      .filter((characters) => characters.length >= 2 * minQueryCharacters)
      .map((characters) => ({ chunkIndex, characters })),
  )
  if (candidates.length === 0 || new Set(chunks.map(paragraphOf)).size < 2) return undefined

  const count = Math.min(maxQueries, candidates.length)
  const random = seededRandom(seed)
  const related: number[] = []
  const unrelated: number[] = []
  for (let sample = 0; sample < count; sample++) {
    const { chunkIndex, characters } = candidates[Math.floor((sample * candidates.length) / count)]
    const middle = Math.ceil(characters.length / 2)
    const query = (sample % 2 === 0 ? characters.slice(0, middle) : characters.slice(middle)).join('')
    const queryVector = await embeddings.embedQuery(query)
    related.push(cosine(queryVector, chunkVectors[chunkIndex]))
    const own = paragraphOf(chunks[chunkIndex])
    const others = chunks.flatMap((chunk, index) => (paragraphOf(chunk) === own ? [] : [index]))
    for (let draw = 0; draw < unrelatedPerQuery; draw++) {
      unrelated.push(cosine(queryVector, chunkVectors[others[Math.floor(random() * others.length)]]))
    }
  }
  related.sort((a, b) => a - b)
  unrelated.sort((a, b) => a - b)
  return {
    embedderId: embeddings.id,
    related: { p25: quantile(related, 0.25), p50: quantile(related, 0.5) },
    unrelated: { p50: quantile(unrelated, 0.5), p95: quantile(unrelated, 0.95) },
    samples: { related: related.length, unrelated: unrelated.length },
  }
}

/** Whether a manifest's calibration (possibly absent or from an older build) is a usable one of this embedder. */
export function isCalibrationOf(calibration: SimilarityCalibration | undefined, embedderId: string): calibration is SimilarityCalibration {
  return (
    calibration?.embedderId === embedderId &&
    [calibration.related?.p50, calibration.unrelated?.p95].every((value) => typeof value === 'number' && Number.isFinite(value))
  )
}

/** Cosine of two vectors (LangChain's), 0 when either has no direction. */
function cosine(left: number[], right: number[]): number {
  const [[similarity]] = cosineSimilarity([left], [right])
  return Number.isFinite(similarity) ? similarity : 0
}

/** Quantile of sorted values, interpolating linearly between the two nearest ranks. */
export function quantile(sorted: number[], probability: number): number {
  const position = (sorted.length - 1) * probability
  const below = Math.floor(position)
  const above = Math.min(below + 1, sorted.length - 1)
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below)
}

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
