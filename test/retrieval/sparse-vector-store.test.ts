import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { OfflineEmbeddings } from '../../src/embeddings/offline-embeddings.ts'
import { SparseVectorStore } from '../../src/retrieval/sparse-vector-store.ts'

const DIMENSIONS = 16
const vector = fc.array(fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: -3, max: 3 })), { minLength: DIMENSIONS, maxLength: DIMENSIONS })

function cosine(left: number[], right: number[]): number {
  const dot = left.reduce((sum, value, index) => sum + value * right[index], 0)
  const norm = (values: number[]) => Math.sqrt(values.reduce((sum, value) => sum + value * value, 0))
  return norm(left) === 0 || norm(right) === 0 ? 0 : dot / (norm(left) * norm(right))
}

test('search is exact: the k most similar by cosine, k results whenever there are k vectors', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(vector, { minLength: 1, maxLength: 30 }), vector, fc.integer({ min: 1, max: 35 }), async (vectors, query, k) => {
      const store = new SparseVectorStore(new OfflineEmbeddings({ corpus: [] }), DIMENSIONS)
      await store.addVectors(vectors, vectors.map((_, index) => ({ pageContent: String(index), metadata: { index } })))
      const found = await store.similaritySearchVectorWithScore(query, k)
      // Rounded: a cosine of 0 computed in another order may come out as ±1e-17.
      const round = (score: number) => Math.round(score * 1e9) / 1e9 + 0
      const expected = vectors.map((candidate) => round(cosine(candidate, query))).sort((left, right) => right - left).slice(0, k)
      assert.deepEqual(found.map(([, score]) => round(score)), expected)
      for (const [document, score] of found) assert.equal(round(cosine(vectors[document.metadata.index], query)), round(score))
      assert.equal(new Set(found.map(([document]) => document.metadata.index)).size, found.length)
    }),
  )
})

test('equal similarities keep the order the vectors were added in', async () => {
  const store = new SparseVectorStore(new OfflineEmbeddings({ corpus: [] }), 4)
  await store.addVectors([[0, 0, 1, 0], [1, 0, 0, 0], [0, 0, 0, 0], [2, 0, 0, 0], [-1, 0, 0, 0]], ['a', 'b', 'c', 'd', 'e'].map((pageContent) => ({ pageContent, metadata: {} })))
  const found = await store.similaritySearchVectorWithScore([1, 0, 0, 0], 5)
  assert.deepEqual(found.map(([document, score]) => [document.pageContent, score]), [['b', 1], ['d', 1], ['a', 0], ['c', 0], ['e', -1]])
})

test('vectors added after a search are found too', async () => {
  const store = new SparseVectorStore(new OfflineEmbeddings({ corpus: [] }), 4)
  await store.addVectors([[1, 0, 0, 0]], [{ pageContent: 'a', metadata: {} }])
  assert.equal((await store.similaritySearchVectorWithScore([0, 1, 0, 0], 1))[0][0].pageContent, 'a')
  await store.addVectors([[0, 2, 0, 0]], [{ pageContent: 'b', metadata: {} }])
  const found = await store.similaritySearchVectorWithScore([0, 1, 0, 0], 2)
  assert.deepEqual(found.map(([document, score]) => [document.pageContent, score]), [['b', 1], ['a', 0]])
  await assert.rejects(store.addVectors([[1, 2]], [{ pageContent: 'c', metadata: {} }]), /vector of length 2, expected 4/)
})
