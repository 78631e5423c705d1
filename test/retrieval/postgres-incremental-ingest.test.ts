import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { loadDocuments } from '../../src/ingest/load-documents.ts'
import type { ArticleDocument } from '../../src/ingest/types.ts'
import { silentLogger } from '../../src/logger.ts'
import { passageText } from '../../src/retrieval/passage-text.ts'
import { closePostgresPools } from '../../src/retrieval/postgres/postgres-connection.ts'
import { openPostgresIndex } from '../../src/retrieval/postgres/postgres-index-store.ts'
import { CountingEmbeddings } from '../fixtures/counting-embeddings.ts'
import { createTestDatabase } from '../helpers/postgres-database.ts'

// A new generation reuses what the active one holds for unchanged chunks — their vectors (read
// back from pgvector), terms and outlines — and embeds only what changed, as the files store's
// incremental ingest does; `reuse: false` (npm run ingest -- --full) embeds everything.

let database: Awaited<ReturnType<typeof createTestDatabase>>
let documents: ArticleDocument[]

before(async () => {
  database = await createTestDatabase()
  documents = (await loadDocuments('data/qa/cmrc-trial/docs')).slice(0, 6)
})

after(async () => {
  await closePostgresPools()
  await database.drop()
})

async function build(served: ArticleDocument[], embeddings: CountingEmbeddings, reuse = true) {
  return openPostgresIndex({
    directory: 'unused',
    documents: served,
    chunking: { maxCharacters: 240, overlapSentences: 1 },
    createEmbeddings: async () => embeddings,
    logger: silentLogger,
    databaseUrl: database.url,
    graceSeconds: 300,
    forceRebuild: true,
    reuse,
  })
}

test('a generation with one document added embeds only that document’s chunks; --full embeds them all', async () => {
  const first = new CountingEmbeddings()
  const five = await build(documents.slice(0, 5), first)
  assert.equal(first.embedded.length, five.chunks.length)

  const second = new CountingEmbeddings()
  const six = await build(documents, second)
  const added = six.chunks.filter((chunk) => chunk.docId === documents[5].id)
  assert.equal(second.embedded.length, added.length, 'only the added document was embedded')
  assert.deepEqual(six.changes?.added, [documents[5].id])
  assert.equal(six.changes?.embeddedChunks, added.length)
  // A reused vector still finds its chunk.
  const chunk = six.chunks[0]
  const [[best]] = await six.vectorStore.similaritySearchVectorWithScore(await six.embeddings.embedQuery(passageText(chunk)), 1)
  assert.equal((best.metadata as { id: string }).id, chunk.id)

  const full = new CountingEmbeddings()
  const rebuilt = await build(documents, full, false)
  assert.equal(full.embedded.length, rebuilt.chunks.length)
})
