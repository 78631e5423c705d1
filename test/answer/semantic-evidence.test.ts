import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { combineEvidence, paragraphSemanticEvidence } from '../../src/answer/semantic-evidence.ts'
import { semanticEvidence } from '../../src/retrieval/similarity-calibration.ts'
import type { Chunk } from '../../src/ingest/types.ts'
import type { RetrievedPassage } from '../../src/retrieval/hybrid-retriever.ts'
import type { SimilarityCalibration } from '../../src/retrieval/similarity-calibration.ts'

// E5-like: every cosine sits high, and only the calibration says which ones mean something.
const calibration: SimilarityCalibration = {
  embedderId: 'transformers:test/e5-like:q8',
  related: { p25: 0.86, p50: 0.88 },
  unrelated: { p50: 0.76, p95: 0.8 },
  samples: { related: 64, unrelated: 256 },
}

const close = (actual: number, expected: number) => assert.ok(Math.abs(actual - expected) < 1e-9, `${actual} ≠ ${expected}`)

test('semanticEvidence is 0 up to the unrelated p95, 1 from the related median, linear between', () => {
  assert.equal(semanticEvidence(0.2, calibration), 0)
  assert.equal(semanticEvidence(0.8, calibration), 0)
  close(semanticEvidence(0.82, calibration), 0.25)
  close(semanticEvidence(0.84, calibration), 0.5)
  assert.equal(semanticEvidence(0.88, calibration), 1)
  assert.equal(semanticEvidence(0.99, calibration), 1)
})

test('semanticEvidence is 0 when the calibration cannot tell related from unrelated, or the score is not a number', () => {
  const inseparable = { ...calibration, related: { p25: 0.7, p50: 0.79 } }
  assert.equal(semanticEvidence(0.95, inseparable), 0)
  assert.equal(semanticEvidence(0.95, { ...calibration, related: { p25: 0.8, p50: 0.8 } }), 0)
  assert.equal(semanticEvidence(Number.NaN, calibration), 0)
})

test('semanticEvidence stays within 0–1 and never decreases with the score', () => {
  fc.assert(
    fc.property(fc.double({ min: -1, max: 1, noNaN: true }), fc.double({ min: -1, max: 1, noNaN: true }), (a, b) => {
      const [low, high] = a <= b ? [a, b] : [b, a]
      const [atLow, atHigh] = [semanticEvidence(low, calibration), semanticEvidence(high, calibration)]
      return atLow >= 0 && atHigh <= 1 && atLow <= atHigh
    }),
  )
})

test('combineEvidence: lexical alone without semantic evidence; similarity rescues paraphrases, never an unrelated passage', () => {
  assert.equal(combineEvidence(0.3, undefined), 0.3)
  assert.equal(combineEvidence(0.3, 0), 0.3, 'an unrelated passage gains nothing')
  assert.equal(combineEvidence(0.8, 0.1), 0.8, 'similarity never vetoes what the words support')
  close(combineEvidence(0.3, 0.7), 0.5)
  assert.ok(combineEvidence(0.3, 0.6) < 0.5, 'a weak paraphrase stays below the default minEvidence')
  assert.equal(combineEvidence(0, 1), 0.5, 'no word at all needs the full semantic evidence')
  close(combineEvidence(0.2, 1, 0.25), 0.4)
})

test('combineEvidence is within 0–1, never below the lexical evidence, and monotone in both', () => {
  const share = fc.double({ min: 0, max: 1, noNaN: true })
  fc.assert(
    fc.property(share, share, share, (lexical, semantic, more) => {
      const combined = combineEvidence(lexical, semantic)
      return (
        combined >= lexical &&
        combined <= 1 &&
        combineEvidence(lexical, Math.max(semantic, more)) >= combined &&
        combineEvidence(Math.max(lexical, more), semantic) >= combined
      )
    }),
  )
})

test('paragraphSemanticEvidence takes the best passage of the paragraph, undefined when none has any', () => {
  const passage = (docId: string, paragraph: number, semantic?: number): RetrievedPassage => ({
    chunk: { id: `${docId}-${paragraph}-${semantic}`, docId, paragraph, section: '', text: '', start: 0, end: 0 } satisfies Chunk,
    score: 1,
    denseRank: semantic === undefined ? 0 : 1,
    denseScore: 0,
    keywordRank: 1,
    keywordScore: 1,
    ...(semantic !== undefined && { semanticEvidence: semantic }),
  })
  const passages = [passage('article', 3, 0.2), passage('article', 3, 0.6), passage('article', 4), passage('other', 3, 0.9)]
  assert.equal(paragraphSemanticEvidence(passages, { docId: 'article', number: 3 }), 0.6)
  assert.equal(paragraphSemanticEvidence(passages, { docId: 'article', number: 4 }), undefined)
  assert.equal(paragraphSemanticEvidence(passages, { docId: 'article', number: 5 }), undefined)
  assert.equal(paragraphSemanticEvidence([passage('article', 3, 0)], { docId: 'article', number: 3 }), 0)
})
