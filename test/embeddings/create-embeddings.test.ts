import assert from 'node:assert/strict'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { answerQuestion } from '../../src/ask/answer-question.ts'
import { createCiteqa } from '../../src/citeqa.ts'
import { parseConfig } from '../../src/config.ts'
import type { Logger } from '../../src/logger.ts'
import { writeTinyModel } from '../fixtures/tiny-model.ts'

function recordingLogger() {
  const warnings: string[] = []
  const logger: Logger = { info() {}, error() {}, warn: (object, message) => void warnings.push(typeof object === 'string' ? object : String(message)) }
  return { logger, warnings }
}

test('EMBEDDINGS=auto without a model falls back to the offline embedder with one warning', async () => {
  const folder = await mkdtemp(join(tmpdir(), 'citeqa-auto-'))
  const { logger, warnings } = recordingLogger()
  const config = parseConfig({ EMBEDDINGS: 'auto', INDEX_DIR: join(folder, 'index'), LOCAL_MODEL_PATH: join(folder, 'models'), ALLOW_REMOTE_MODELS: 'false' })
  const citeqa = await createCiteqa(config, { logger })
  assert.equal(citeqa.embedderId, 'offline-hashing-v1:1024')
  assert.equal(warnings.length, 1)
  assert.match(warnings[0], /^embedding model Xenova\/multilingual-e5-small is unavailable \(not in .*models, and ALLOW_REMOTE_MODELS=false forbids downloads\); using the offline embedder/)
})

test('EMBEDDINGS=transformers runs the whole service on a local model through transformers.js', async () => {
  const folder = await mkdtemp(join(tmpdir(), 'citeqa-model-'))
  await writeTinyModel(join(folder, 'models'), 'test/tiny-bert')
  const config = parseConfig({
    EMBEDDINGS: 'transformers',
    EMBEDDING_MODEL: 'test/tiny-bert',
    INDEX_DIR: join(folder, 'index'),
    LOCAL_MODEL_PATH: join(folder, 'models'),
    MODEL_CACHE_DIR: join(folder, 'cache'),
    ALLOW_REMOTE_MODELS: 'false',
  })
  const { logger } = recordingLogger()
  const citeqa = await createCiteqa(config, { logger })
  assert.equal(citeqa.embedderId, 'transformers:test/tiny-bert:q8')
  assert.equal(citeqa.index.manifest.embedder.dimensions, 16)
  // The toy model knows little, but BM25 still finds the answer through the hybrid retriever.
  const result = await answerQuestion(citeqa, { question: '维修了多少公里沟渠?' })
  assert.equal(result.embedder, 'transformers:test/tiny-bert:q8')
  assert.match(result.answer, /7公里/)
  // The second start loads the index the first one built.
  assert.equal((await createCiteqa(config, { logger })).index.origin, 'loaded')
})

test('EMBEDDINGS=transformers with no model available fails instead of silently falling back', async () => {
  const folder = await mkdtemp(join(tmpdir(), 'citeqa-strict-'))
  const config = parseConfig({ EMBEDDINGS: 'transformers', INDEX_DIR: join(folder, 'index'), LOCAL_MODEL_PATH: join(folder, 'models'), ALLOW_REMOTE_MODELS: 'false' })
  await assert.rejects(createCiteqa(config, { logger: recordingLogger().logger }), /cannot load model Xenova\/multilingual-e5-small/)
})

test('a wrong setting stops start-up naming the variable', () => {
  assert.throws(() => parseConfig({ EMBEDDINGS: 'gpu' }), /EMBEDDINGS/)
  assert.throws(() => parseConfig({ PORT: 'eighty' }), /PORT/)
  assert.throws(() => parseConfig({ ALLOW_REMOTE_MODELS: 'maybe' }), /ALLOW_REMOTE_MODELS/)
})
