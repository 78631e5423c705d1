import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { promisify } from 'node:util'
import { OfflineEmbeddings } from '../../src/embeddings/offline-embeddings.ts'
import { defaultChunkingOptions } from '../../src/ingest/chunk-paragraphs.ts'
import { loadDocuments } from '../../src/ingest/load-documents.ts'
import { silentLogger } from '../../src/logger.ts'
import { openSearchIndex, passageText, type OpenSearchIndexOptions, type SearchIndex } from '../../src/retrieval/search-index.ts'
import { CountingEmbeddings } from '../fixtures/counting-embeddings.ts'

const SOURCE = 'data/qa/cmrc-trial/docs'
const FILES = ['trial-000.txt', 'trial-001.txt', 'trial-002.txt']

/** A folder of three CMRC documents and an empty index folder. */
async function setUp() {
  const root = await mkdtemp(join(tmpdir(), 'citeqa-incremental-'))
  const folder = join(root, 'docs')
  for (const file of FILES) await cp(join(SOURCE, file), join(folder, file))
  return { root, folder, directory: join(root, 'index') }
}

/** The edit of the test: one document changed (a sentence added to its last paragraph), one added, one removed. */
async function editFolder(folder: string) {
  await writeFile(join(folder, 'trial-001.txt'), `${(await readFile(join(folder, 'trial-001.txt'), 'utf8')).trimEnd()}这是新加的一句话。\n`)
  await cp(join(SOURCE, 'trial-004.txt'), join(folder, 'trial-004.txt'))
  await rm(join(folder, 'trial-002.txt'))
}

async function ranking(index: SearchIndex, question: string): Promise<string[]> {
  const vector = await index.embeddings.embedQuery(question)
  return (await index.vectorStore.similaritySearchVectorWithScore(vector, 5)).map(([document]) => (document.metadata as { id: string }).id)
}

test('re-ingesting a folder where one file changed embeds only the new chunks and reports added, changed and removed documents', async () => {
  const { root, folder, directory } = await setUp()
  const embedder = new CountingEmbeddings()
  const options = async (): Promise<OpenSearchIndexOptions> => ({
    directory,
    documents: await loadDocuments(folder),
    chunking: defaultChunkingOptions,
    createEmbeddings: async () => embedder,
    forceRebuild: true,
    logger: silentLogger,
  })
  const first = await openSearchIndex(await options())
  assert.deepEqual(first.changes, { added: ['trial-000', 'trial-001', 'trial-002'], changed: [], removed: [], unchanged: 0, embeddedChunks: first.chunks.length, chunks: first.chunks.length })
  assert.equal(embedder.embedded.length, first.chunks.length)

  // Nothing changed: nothing is embedded again.
  embedder.embedded.length = 0
  const again = await openSearchIndex(await options())
  assert.deepEqual(again.changes, { added: [], changed: [], removed: [], unchanged: 3, embeddedChunks: 0, chunks: first.chunks.length })
  assert.equal(embedder.embedded.length, 0)

  await editFolder(folder)
  embedder.embedded.length = 0
  const edited = await openSearchIndex(await options())
  assert.deepEqual(edited.changes?.added, ['trial-004'])
  assert.deepEqual(edited.changes?.changed, ['trial-001'])
  assert.deepEqual(edited.changes?.removed, ['trial-002'])
  assert.equal(edited.changes?.unchanged, 1)
  // Exactly the chunks whose content is new were embedded: the added document's, and the changed one's last paragraph.
  const before = new Set(first.chunks.map((chunk) => chunk.id))
  const fresh = edited.chunks.filter((chunk) => !before.has(chunk.id))
  assert.deepEqual(embedder.embedded, fresh.map(passageText))
  assert.equal(edited.changes?.embeddedChunks, fresh.length)
  assert.ok(fresh.every((chunk) => chunk.docId === 'trial-004' || (chunk.docId === 'trial-001' && chunk.text.includes('新加的一句话'))), 'only new content is embedded')
  assert.ok(fresh.some((chunk) => chunk.docId === 'trial-001'))

  // The result is the index a build from scratch gives.
  embedder.embedded.length = 0
  const scratch = await openSearchIndex({ ...(await options()), directory: join(root, 'scratch-index'), reuse: false })
  assert.deepEqual(edited.chunks, scratch.chunks)
  for (const question of ['泡泡战士是哪家公司开发的？', '这是新加的一句话']) assert.deepEqual(await ranking(edited, question), await ranking(scratch, question))
  await rm(root, { recursive: true, force: true })
})

test('with the offline embedder an edit re-tokenizes only the new chunks, and the index equals one built from scratch', async () => {
  const { root, folder, directory } = await setUp()
  const options = async (): Promise<OpenSearchIndexOptions> => ({
    directory,
    documents: await loadDocuments(folder),
    chunking: defaultChunkingOptions,
    createEmbeddings: async ({ corpus, translator }) => new OfflineEmbeddings({ corpus, translator }),
    logger: silentLogger,
  })
  const first = await openSearchIndex(await options())
  await editFolder(folder)
  // A start after the edit rebuilds the stale index the same way an ingest does.
  const edited = await openSearchIndex(await options())
  assert.equal(edited.rebuildReason, 'the article changed since the index was built')
  assert.deepEqual([edited.changes?.added, edited.changes?.changed, edited.changes?.removed], [['trial-004'], ['trial-001'], ['trial-002']])
  const before = new Set(first.chunks.map((chunk) => chunk.id))
  assert.equal(edited.changes?.embeddedChunks, edited.chunks.filter((chunk) => !before.has(chunk.id)).length)
  assert.ok(edited.changes!.embeddedChunks < edited.chunks.length)

  const scratch = await openSearchIndex({ ...(await options()), directory: join(root, 'scratch-index'), forceRebuild: true, reuse: false })
  assert.deepEqual(edited.chunks, scratch.chunks)
  assert.deepEqual(edited.terms.terms, scratch.terms.terms)
  assert.deepEqual(edited.outlines, scratch.outlines)
  for (const question of ['泡泡战士是哪家公司开发的？', 'Who developed the game?']) assert.deepEqual(await ranking(edited, question), await ranking(scratch, question))
  const reopened = await openSearchIndex(await options())
  assert.equal(reopened.origin, 'loaded')
  await rm(root, { recursive: true, force: true })
})

test('npm run ingest reports what changed', async () => {
  const { root, folder, directory } = await setUp()
  const ingest = (...args: string[]) =>
    promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/cli/ingest.ts', ...args], {
      env: { ...process.env, ARTICLE_PATH: folder, INDEX_DIR: directory, EMBEDDINGS: 'offline', LOG_LEVEL: 'warn', DOTENV_CONFIG_PATH: '/dev/null' },
    })
  assert.match((await ingest()).stdout, /Documents: 3 added \(trial-000, trial-001, trial-002\), 0 changed, 0 removed, 0 unchanged/)
  await editFolder(folder)
  const { stdout } = await ingest()
  assert.match(stdout, /Indexed 3 document\(s\)/)
  assert.match(stdout, /Documents: 1 added \(trial-004\), 1 changed \(trial-001\), 1 removed \(trial-002\), 1 unchanged; \d+ of \d+ chunks embedded, the rest reused/)
  // --full rebuilds everything, and still tells unchanged documents from added ones.
  const full = await ingest('--full')
  assert.match(full.stdout, /Documents: 0 added, 0 changed, 0 removed, 3 unchanged; all \d+ chunks embedded \(--full: nothing reused\)/)
  await rm(root, { recursive: true, force: true })
})
