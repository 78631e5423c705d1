import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { OfflineEmbeddings, fnv1a32 } from '../../src/embeddings/offline-embeddings.ts'

const articlePath = fileURLToPath(new URL('../../data/article.txt', import.meta.url))
// The article's 24 body paragraphs; the page chrome after them is not part of the corpus.
const paragraphs = readFileSync(articlePath, 'utf8').split('\n').slice(0, 24)

function dot(left: number[], right: number[]): number {
  return left.reduce((sum, value, index) => sum + value * right[index], 0)
}

/** 1-based line numbers of the paragraphs, most similar to the query first. */
async function rankParagraphs(embeddings: OfflineEmbeddings, query: string): Promise<number[]> {
  const passageVectors = await embeddings.embedDocuments(paragraphs)
  const queryVector = await embeddings.embedQuery(query)
  return passageVectors
    .map((vector, index) => ({ line: index + 1, score: dot(vector, queryVector) }))
    .sort((left, right) => right.score - left.score)
    .map(({ line }) => line)
}

test('fnv1a32 matches the published FNV-1a test vectors', () => {
  assert.equal(fnv1a32(''), 0x811c9dc5)
  assert.equal(fnv1a32('a'), 0xe40c292c)
  assert.equal(fnv1a32('foobar'), 0xbf9cf968)
})

test('id and dimensions follow the options, 1024 by default', async () => {
  const defaultEmbeddings = new OfflineEmbeddings({ corpus: paragraphs })
  assert.equal(defaultEmbeddings.id, 'offline-hashing-v1:1024')
  assert.equal(await defaultEmbeddings.dimensions(), 1024)
  assert.equal((await defaultEmbeddings.embedQuery('乡镇党委书记')).length, 1024)

  const smallEmbeddings = new OfflineEmbeddings({ corpus: paragraphs, dimensions: 256 })
  assert.equal(smallEmbeddings.id, 'offline-hashing-v1:256')
  assert.equal((await smallEmbeddings.embedDocuments([paragraphs[0]]))[0].length, 256)
  assert.throws(() => new OfflineEmbeddings({ corpus: paragraphs, dimensions: 0 }), RangeError)
})

test('vectors have unit length; a text without terms gets the zero vector', async () => {
  const embeddings = new OfflineEmbeddings({ corpus: paragraphs })
  for (const vector of [...(await embeddings.embedDocuments(paragraphs)), await embeddings.embedQuery('维修了多少公里沟渠?')]) {
    assert.ok(Math.abs(Math.hypot(...vector) - 1) < 1e-9)
  }
  // A query keeps only terms some passage holds: words from outside the article cannot rank passages.
  assert.ok((await embeddings.embedQuery('量子计算机')).every((value) => value === 0))
  assert.deepEqual(await embeddings.embedQuery('量子计算机 维修沟渠'), await embeddings.embedQuery('维修沟渠'))
  assert.ok((await embeddings.embedQuery('?!')).every((value) => value === 0))
})

test('the same corpus gives the same vectors in two instances and in another process', async () => {
  const first = new OfflineEmbeddings({ corpus: paragraphs })
  const second = new OfflineEmbeddings({ corpus: paragraphs })
  assert.deepEqual(await first.embedDocuments(paragraphs), await second.embedDocuments(paragraphs))
  assert.deepEqual(await first.embedQuery('污水处理厂投资多少?'), await second.embedQuery('污水处理厂投资多少?'))

  const moduleUrl = new URL('../../src/embeddings/offline-embeddings.ts', import.meta.url).href
  const script = `
    import { readFileSync } from 'node:fs'
    const { OfflineEmbeddings } = await import(${JSON.stringify(moduleUrl)})
    const corpus = readFileSync(${JSON.stringify(articlePath)}, 'utf8').split('\\n').slice(0, 24)
    const vector = await new OfflineEmbeddings({ corpus }).embedQuery('污水处理厂投资多少?')
    process.stdout.write(JSON.stringify(vector))`
  const output = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '--eval', script], { encoding: 'utf8' })
  assert.deepEqual(JSON.parse(output), await first.embedQuery('污水处理厂投资多少?'))
})

test('a Chinese question is most similar to the paragraph that answers it', async () => {
  const embeddings = new OfflineEmbeddings({ corpus: paragraphs })
  assert.ok(paragraphs[20].includes('维修沟渠7公里'))
  assert.equal((await rankParagraphs(embeddings, '维修了多少公里沟渠?'))[0], 21)
  assert.equal((await rankParagraphs(embeddings, '新发展猕猴桃种植多少亩?'))[0], 14)
  assert.equal((await rankParagraphs(embeddings, '便民服务大厅的占地面积是多少?'))[0], 15)
})

test('passages are embedded as they are, without the translator', async () => {
  const translator = { translate: (question: string) => `${question} 污水处理厂` }
  const embeddings = new OfflineEmbeddings({ corpus: paragraphs, translator })
  const plain = new OfflineEmbeddings({ corpus: paragraphs })
  assert.deepEqual(await embeddings.embedDocuments(['sewage']), await plain.embedDocuments(['sewage']))
  assert.notDeepEqual(await embeddings.embedQuery('sewage'), await plain.embedQuery('sewage'))
  assert.deepEqual(await embeddings.embedQuery('sewage'), await plain.embedQuery('sewage 污水处理厂'))
})
