import assert from 'node:assert/strict'
import { mkdtemp, readdir, readFile, writeFile, mkdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { OfflineEmbeddings } from '../../src/embeddings/offline-embeddings.ts'
import { defaultChunkingOptions } from '../../src/ingest/chunk-paragraphs.ts'
import { loadDocuments } from '../../src/ingest/load-documents.ts'
import { silentLogger } from '../../src/logger.ts'
import { INDEX_FORMAT_VERSION, MANIFEST_FILE } from '../../src/retrieval/index-manifest.ts'
import { openSearchIndex, type OpenSearchIndexOptions } from '../../src/retrieval/search-index.ts'
import { TERMS_FILE } from '../../src/retrieval/stored-index.ts'

async function setUp() {
  const directory = await mkdtemp(join(tmpdir(), 'citeqa-persist-'))
  const documents = await loadDocuments('data/article.txt')
  const options: OpenSearchIndexOptions = {
    directory,
    documents,
    chunking: defaultChunkingOptions,
    createEmbeddings: async ({ corpus, translator }) => new OfflineEmbeddings({ corpus, translator }),
    logger: silentLogger,
  }
  return { directory, documents, options }
}

test('an index is built once, then loaded from disk with the same search results', async () => {
  const { directory, options } = await setUp()
  const built = await openSearchIndex(options)
  assert.equal(built.origin, 'built')
  assert.equal(built.rebuildReason, 'no index on disk')
  const manifest = JSON.parse(await readFile(join(directory, 'current', MANIFEST_FILE), 'utf8'))
  assert.equal(manifest.formatVersion, INDEX_FORMAT_VERSION)
  assert.equal(manifest.embedder.id, 'offline-hashing-v1:1024')
  assert.equal(manifest.chunkCount, built.chunks.length)

  const loaded = await openSearchIndex(options)
  assert.equal(loaded.origin, 'loaded')
  assert.deepEqual(loaded.chunks, built.chunks)
  const query = await loaded.embeddings.embedQuery('维修了多少公里沟渠?')
  const [[top]] = await loaded.vectorStore.similaritySearchVectorWithScore(query, 1)
  assert.equal(top.metadata.paragraph, 21)
})

test('a changed article makes the index stale and it is rebuilt', async () => {
  const { options, documents } = await setUp()
  await openSearchIndex(options)
  const edited = structuredClone(documents)
  edited[0].paragraphs[20].text += '新增一句。'
  const rebuilt = await openSearchIndex({ ...options, documents: edited })
  assert.equal(rebuilt.origin, 'built')
  assert.equal(rebuilt.rebuildReason, 'the article changed since the index was built')
})

test('changed chunking or embedder settings rebuild the index', async () => {
  const { options } = await setUp()
  await openSearchIndex(options)
  const rechunked = await openSearchIndex({ ...options, chunking: { maxCharacters: 120, overlapSentences: 0 } })
  assert.match(rechunked.rebuildReason ?? '', /chunking changed/)
  const reembedded = await openSearchIndex({
    ...options,
    chunking: { maxCharacters: 120, overlapSentences: 0 },
    createEmbeddings: async ({ corpus, translator }) => new OfflineEmbeddings({ corpus, translator, dimensions: 256 }),
  })
  assert.match(reembedded.rebuildReason ?? '', /embedder changed .*offline-hashing-v1:1024\/1024 → offline-hashing-v1:256\/256/)
})

test('a corrupt index file is detected by checksum and the index rebuilt', async () => {
  const { directory, options } = await setUp()
  await openSearchIndex(options)
  const termsPath = join(directory, 'current', TERMS_FILE)
  const terms = await readFile(termsPath)
  terms.fill(0xff, 100, 400)
  await writeFile(termsPath, terms)
  const reopened = await openSearchIndex(options)
  assert.equal(reopened.origin, 'built')
  assert.equal(reopened.rebuildReason, `index file ${TERMS_FILE} is corrupt (checksum mismatch)`)
  assert.equal((await openSearchIndex(options)).origin, 'loaded', 'the rebuilt index is whole again')
})

test('a truncated manifest or a half-written build left by a crash never gets loaded', async () => {
  const { directory, options } = await setUp()
  await openSearchIndex(options)
  await writeFile(join(directory, 'current', MANIFEST_FILE), '{"formatVersion":')
  // A crash mid-build leaves a staging folder behind; it must be ignored and cleaned up.
  await mkdir(join(directory, '.staging-crashed'))
  await writeFile(join(directory, '.staging-crashed', TERMS_FILE), 'partial')
  const reopened = await openSearchIndex(options)
  assert.equal(reopened.origin, 'built')
  assert.equal(reopened.rebuildReason, 'unreadable manifest')
  assert.deepEqual((await readdir(directory)).sort(), ['current'])
})

test('an index of another format version is rebuilt, naming both versions', async () => {
  const { directory, options } = await setUp()
  await openSearchIndex(options)
  const manifestPath = join(directory, 'current', MANIFEST_FILE)
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8'))
  await writeFile(manifestPath, JSON.stringify({ ...manifest, formatVersion: 99 }))
  const reopened = await openSearchIndex(options)
  assert.equal(reopened.rebuildReason, `index format version 99, this build reads version ${INDEX_FORMAT_VERSION}`)
})
