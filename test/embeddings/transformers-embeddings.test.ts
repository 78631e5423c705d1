import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { after, before, test } from 'node:test'
import { CiteqaError } from '../../src/errors.ts'
import { TransformersEmbeddings } from '../../src/embeddings/transformers-embeddings.ts'
import { writeTinyModel } from '../fixtures/tiny-model.ts'

const TINY_MODEL_ID = 'test/tiny-bert'

let modelsFolder: string
let tableWidth: number

before(async () => {
  modelsFolder = await mkdtemp(path.join(os.tmpdir(), 'citeqa-tiny-model-'))
  ;({ dimensions: tableWidth } = await writeTinyModel(modelsFolder, TINY_MODEL_ID))
})

after(async () => {
  await rm(modelsFolder, { recursive: true, force: true })
})

/** An embedder over the generated models, fully offline; its download cache stays in the temp folder too. */
function offlineEmbeddings(options: ConstructorParameters<typeof TransformersEmbeddings>[0] = {}): TransformersEmbeddings {
  return new TransformersEmbeddings({
    model: TINY_MODEL_ID,
    localModelPath: modelsFolder,
    cacheDir: path.join(modelsFolder, '.cache'),
    allowRemoteModels: false,
    ...options,
  })
}

function dot(left: number[], right: number[]): number {
  return left.reduce((sum, value, index) => sum + value * right[index], 0)
}

function assertVectorsClose(actual: number[], expected: number[]): void {
  assert.equal(actual.length, expected.length)
  actual.forEach((value, index) => assert.ok(Math.abs(value - expected[index]) < 1e-6, `component ${index}: ${value} vs ${expected[index]}`))
}

test('id names the model and dtype', () => {
  assert.equal(offlineEmbeddings().id, 'transformers:test/tiny-bert:q8')
  assert.equal(new TransformersEmbeddings().id, 'transformers:Xenova/multilingual-e5-small:q8')
})

test('dimensions() is the width of the embedding table', async () => {
  assert.equal(await offlineEmbeddings().dimensions(), tableWidth)
})

test('embedDocuments returns one unit-length vector per text', async () => {
  const texts = ['猫喜欢吃鱼', 'the cat likes fish', '今天天气很好']
  const vectors = await offlineEmbeddings().embedDocuments(texts)
  assert.equal(vectors.length, texts.length)
  for (const vector of vectors) {
    assert.equal(vector.length, tableWidth)
    assert.ok(Math.abs(Math.hypot(...vector) - 1) < 1e-5, `norm ${Math.hypot(...vector)}`)
  }
  assert.deepEqual(await offlineEmbeddings().embedDocuments([]), [])
})

test('batching (batchSize 2 over 5 texts, padded) gives the same vectors as one text at a time', async () => {
  const texts = ['猫', '狗喜欢吃鱼', 'hello world', '我们在北京', '今天下大雨了']
  const batched = await offlineEmbeddings({ batchSize: 2 }).embedDocuments(texts)
  const oneByOne = offlineEmbeddings({ batchSize: 1 })
  assert.equal(batched.length, texts.length)
  for (const [index, text] of texts.entries()) {
    const [alone] = await oneByOne.embedDocuments([text])
    assertVectorsClose(batched[index], alone)
  }
})

test('queries and passages are embedded with different prefixes; equal texts embed identically', async () => {
  const embeddings = offlineEmbeddings()
  const [passage] = await embeddings.embedDocuments(['x'])
  const query = await embeddings.embedQuery('x')
  assert.notDeepEqual(query, passage)
  assert.deepEqual(await embeddings.embedQuery('x'), query)
  const [first, second] = await embeddings.embedDocuments(['猫喜欢吃鱼', '猫喜欢吃鱼'])
  assert.deepEqual(first, second)
})

test('texts sharing characters are more similar than unrelated ones', async () => {
  const [text, similar, unrelated] = await offlineEmbeddings().embedDocuments(['猫喜欢吃鱼', '猫很喜欢吃鱼', '今天北京大雨'])
  assert.ok(dot(text, similar) > dot(text, unrelated), `similar ${dot(text, similar)} vs unrelated ${dot(text, unrelated)}`)
})

test('a model missing from the local folder rejects clearly, without touching the network', async (context) => {
  const fetchCalls: unknown[] = []
  context.mock.method(globalThis, 'fetch', async (...args: unknown[]) => {
    fetchCalls.push(args[0])
    throw new Error('test: network access attempted')
  })
  await assert.rejects(offlineEmbeddings({ model: 'test/missing-model' }).embedQuery('x'), (error: unknown) => {
    assert.ok(error instanceof CiteqaError)
    assert.equal(error.code, 'EMBEDDINGS_MODEL_UNAVAILABLE')
    assert.match(error.message, /test\/missing-model/)
    assert.match(error.message, /ALLOW_REMOTE_MODELS=false forbids downloads/)
    return true
  })
  assert.deepEqual(fetchCalls, [])
})

test('a failed load is not memoized: the next call retries', async () => {
  const embeddings = offlineEmbeddings({ model: 'test/late-model' })
  await assert.rejects(embeddings.embedQuery('x'), CiteqaError)
  await writeTinyModel(modelsFolder, 'test/late-model')
  assert.equal((await embeddings.embedQuery('x')).length, tableWidth)
})
