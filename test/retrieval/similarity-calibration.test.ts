import assert from 'node:assert/strict'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { createCiteqa } from '../../src/citeqa.ts'
import { parseConfig } from '../../src/config.ts'
import type { Chunk } from '../../src/ingest/types.ts'
import { silentLogger } from '../../src/logger.ts'
import { MANIFEST_FILE, type IndexManifest } from '../../src/retrieval/index-manifest.ts'
import { calibrateSimilarity, quantile } from '../../src/retrieval/similarity-calibration.ts'
import { writeTinyModel } from '../fixtures/tiny-model.ts'

const chunk = (paragraph: number, text: string): Chunk => ({ id: `c${paragraph}-${text.length}`, docId: 'article', paragraph, section: '', text, start: 0, end: text.length })

/** Embeds a query as one-hot on the paragraph whose text holds it, so related and unrelated cosines are known. */
function paragraphEmbedder(chunks: Chunk[]) {
  const queries: string[] = []
  return {
    queries,
    id: 'transformers:scripted:q8',
    embedQuery: async (text: string) => {
      queries.push(text)
      return chunks.map((candidate) => (candidate.text.includes(text) ? 1 : 0))
    },
  }
}

test('quantile interpolates between ranks', () => {
  assert.equal(quantile([1, 2, 3, 4, 5], 0.5), 3)
  assert.equal(quantile([1, 2, 3, 4], 0.5), 2.5)
  assert.equal(quantile([0, 10], 0.95), 9.5)
  assert.equal(quantile([7], 0.95), 7)
})

test('calibration: half-sentence queries against their own chunk and chunks of other paragraphs, bounded and repeatable', async () => {
  // Each half of each sentence holds its paragraph's tag, so a query is found in its own chunk only.
  const tag = (index: number) => `〈${String(index).padStart(2, '0')}〉`
  const chunks = Array.from({ length: 40 }, (_, index) => chunk(index + 1, `${tag(index)}甲${tag(index)}乙${tag(index)}丙。${tag(index)}丁${tag(index)}戊${tag(index)}己。`))
  const vectors = chunks.map((_, index) => chunks.map((__, other) => (other === index ? 1 : 0)))
  const embedder = paragraphEmbedder(chunks)
  const calibration = await calibrateSimilarity(embedder, chunks, vectors, { maxQueries: 16, unrelatedPerQuery: 3 })
  assert.ok(calibration)
  assert.equal(embedder.queries.length, 16, 'one embedding per query, no more than maxQueries')
  assert.ok(embedder.queries.every((query) => [...query].length >= 6 && [...query].length < 20), 'queries are sentence halves')
  assert.deepEqual(calibration, {
    embedderId: 'transformers:scripted:q8',
    related: { p25: 1, p50: 1 },
    unrelated: { p50: 0, p95: 0 },
    samples: { related: 16, unrelated: 48 },
  })
  const again = await calibrateSimilarity(paragraphEmbedder(chunks), chunks, vectors, { maxQueries: 16, unrelatedPerQuery: 3 })
  assert.deepEqual(again, calibration)
})

test('calibration needs two paragraphs and sentences long enough to halve', async () => {
  const one = [chunk(1, '只有一段话而且说得很长很长。'), chunk(1, '这一段还有第二个很长的句子。')]
  assert.equal(await calibrateSimilarity(paragraphEmbedder(one), one, [[1, 0], [0, 1]]), undefined)
  const short = [chunk(1, '短句。'), chunk(2, '也短。')]
  assert.equal(await calibrateSimilarity(paragraphEmbedder(short), short, [[1, 0], [0, 1]]), undefined)
})

test('the index keeps a calibration per neural embedder in its manifest; the offline embedder gets none', async () => {
  const folder = await mkdtemp(join(tmpdir(), 'citeqa-calibration-'))
  await writeTinyModel(join(folder, 'models'), 'test/tiny-bert')
  const indexDirectory = join(folder, 'index')
  const configWith = (settings: Record<string, string>) =>
    parseConfig({
      INDEX_DIR: indexDirectory,
      EMBEDDING_MODEL: 'test/tiny-bert',
      LOCAL_MODEL_PATH: join(folder, 'models'),
      MODEL_CACHE_DIR: join(folder, 'cache'),
      ALLOW_REMOTE_MODELS: 'false',
      LOG_LEVEL: 'silent',
      ...settings,
    })
  const open = (settings: Record<string, string>) => createCiteqa(configWith(settings), { logger: silentLogger })
  const manifestOnDisk = async (): Promise<IndexManifest> => JSON.parse(await readFile(join(indexDirectory, 'current', MANIFEST_FILE), 'utf8'))
  const question = '维修了多少公里沟渠?'

  const offline = await open({ EMBEDDINGS: 'offline' })
  assert.equal(offline.index.similarityCalibration, undefined)
  assert.equal((await manifestOnDisk()).similarityCalibration, undefined)
  assert.ok((await offline.retrieve(question)).every((passage) => passage.semanticEvidence === undefined), 'offline similarity is not semantic evidence')

  const neural = await open({ EMBEDDINGS: 'transformers' })
  assert.equal(neural.index.origin, 'built')
  assert.match(neural.index.rebuildReason ?? '', /embedder changed/)
  const calibration = neural.index.similarityCalibration
  assert.ok(calibration)
  assert.equal(calibration.embedderId, 'transformers:test/tiny-bert:q8')
  assert.deepEqual((await manifestOnDisk()).similarityCalibration, calibration)
  assert.ok(calibration.samples.related > 0 && calibration.samples.related <= 64)
  for (const value of [calibration.related.p25, calibration.related.p50, calibration.unrelated.p50, calibration.unrelated.p95]) {
    assert.ok(value >= -1 - 1e-6 && value <= 1 + 1e-6, `cosine ${value}`)
  }
  const passages = await neural.retrieve(question)
  const found = passages.filter((passage) => passage.denseRank > 0)
  assert.ok(found.length > 0)
  assert.ok(found.every((passage) => passage.semanticEvidence! >= 0 && passage.semanticEvidence! <= 1))

  const reopened = await open({ EMBEDDINGS: 'transformers' })
  assert.equal(reopened.index.origin, 'loaded')
  assert.deepEqual(reopened.index.similarityCalibration, calibration)

  const otherModel = await open({ EMBEDDINGS: 'transformers', EMBEDDING_DTYPE: 'fp32' })
  assert.equal(otherModel.index.origin, 'built')
  assert.match(otherModel.index.rebuildReason ?? '', /embedder changed .*:q8\/16 → transformers:test\/tiny-bert:fp32\/16/)
  assert.equal(otherModel.index.similarityCalibration?.embedderId, 'transformers:test/tiny-bert:fp32')

  // An index written before calibrations (or whose calibration is another embedder's) is rebuilt.
  const manifest = await manifestOnDisk()
  await writeFile(join(indexDirectory, 'current', MANIFEST_FILE), JSON.stringify({ ...manifest, similarityCalibration: undefined }))
  const uncalibrated = await open({ EMBEDDINGS: 'transformers', EMBEDDING_DTYPE: 'fp32' })
  assert.equal(uncalibrated.index.origin, 'built')
  assert.equal(uncalibrated.index.rebuildReason, 'the index has no similarity calibration for transformers:test/tiny-bert:fp32')
  assert.equal(uncalibrated.index.similarityCalibration?.embedderId, 'transformers:test/tiny-bert:fp32')

  const offlineAgain = await open({ EMBEDDINGS: 'offline' })
  assert.equal(offlineAgain.index.origin, 'built')
  assert.equal(offlineAgain.index.similarityCalibration, undefined)
  assert.equal((await manifestOnDisk()).similarityCalibration, undefined)
})
