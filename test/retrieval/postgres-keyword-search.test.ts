import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { createEmbeddings } from '../../src/embeddings/create-embeddings.ts'
import { parseConfig } from '../../src/config.ts'
import { loadDocuments } from '../../src/ingest/load-documents.ts'
import type { ArticleDocument } from '../../src/ingest/types.ts'
import { silentLogger } from '../../src/logger.ts'
import { readQaSet } from '../../src/evaluation/qa-set.ts'
import { KeywordIndex } from '../../src/retrieval/keyword-index.ts'
import { passageText } from '../../src/retrieval/passage-text.ts'
import { closePostgresPools } from '../../src/retrieval/postgres/postgres-connection.ts'
import { openPostgresIndex } from '../../src/retrieval/postgres/postgres-index-store.ts'
import type { SearchIndex } from '../../src/retrieval/types.ts'
import { createTestDatabase } from '../helpers/postgres-database.ts'

// The postgres store's BM25, computed in SQL, must rank as the files store's KeywordIndex does:
// same chunk ids in the same order, same scores, for every question of the dev and CMRC trial sets.

const config = parseConfig({ EMBEDDINGS: 'offline', LOG_LEVEL: 'silent' })
const TOP_K = 20
let database: Awaited<ReturnType<typeof createTestDatabase>>

before(async () => {
  database = await createTestDatabase()
})

after(async () => {
  await closePostgresPools()
  await database.drop()
})

async function postgresIndexOf(documents: ArticleDocument[]): Promise<SearchIndex> {
  return openPostgresIndex({
    directory: 'unused',
    documents,
    chunking: { maxCharacters: config.CHUNK_MAX_CHARACTERS, overlapSentences: config.CHUNK_OVERLAP_SENTENCES },
    createEmbeddings: (context) => createEmbeddings(config, context, silentLogger),
    logger: silentLogger,
    databaseUrl: database.url,
    graceSeconds: 1,
    forceRebuild: true,
  })
}

async function compareOn(articlePath: string, questionFiles: string[]): Promise<{ questions: number; identical: number; compared: number; timings: string }> {
  const documents = await loadDocuments(articlePath)
  const building = performance.now()
  const index = await postgresIndexOf(documents)
  const buildMs = performance.now() - building
  const inMemory = new KeywordIndex(index.chunks, passageText, index.terms)
  const questions = (await Promise.all(questionFiles.map((file) => readQaSet(file)))).flat().map((item) => item.question)
  let identical = 0
  let compared = 0
  const sqlMs: number[] = []
  const memoryMs: number[] = []
  for (const question of questions) {
    let started = performance.now()
    const expected = inMemory.find(question, TOP_K)
    memoryMs.push(performance.now() - started)
    started = performance.now()
    const actual = await index.keywordSearch!.find(question, TOP_K)
    sqlMs.push(performance.now() - started)
    assert.deepEqual(actual.map((match) => match.id), expected.map((match) => match.id), `top-${TOP_K} ids for ${question}`)
    actual.forEach((match, rank) => assert.equal(match.score, expected[rank].score, `score at rank ${rank + 1} for ${question}`))
    compared += actual.length
    if (actual.length > 0) identical++
  }
  const percentile = (values: number[], share: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * share))].toFixed(2)
  const timings =
    `${index.chunks.length} chunks built and published in ${Math.round(buildMs)} ms; BM25 top-${TOP_K} p50/p95: SQL ${percentile(sqlMs, 0.5)}/${percentile(sqlMs, 0.95)} ms, ` +
    `in memory ${percentile(memoryMs, 0.5)}/${percentile(memoryMs, 0.95)} ms (first query of each warms the caches)`
  return { questions: questions.length, identical, compared, timings }
}

test('BM25 in SQL ranks the dev questions over the article exactly as the files store does', async (t) => {
  const { questions, compared, timings } = await compareOn('data/article.txt', ['data/qa/dev.jsonl'])
  t.diagnostic(`article: ${timings}`)
  assert.equal(questions, 30)
  assert.ok(compared > 30 * 5, `compared ${compared} results`)
})

test('BM25 in SQL ranks the CMRC trial questions over its 192 documents exactly as the files store does', async (t) => {
  const { questions, compared, timings } = await compareOn('data/qa/cmrc-trial/docs', ['data/qa/cmrc-trial/qa.jsonl', 'data/qa/cmrc-trial/negatives.jsonl'])
  t.diagnostic(`CMRC trial: ${timings}`)
  // 747 + 255 lines, two of them blank questions (left out by readQaSet).
  assert.equal(questions, 1000)
  assert.ok(compared > 1000 * 5, `compared ${compared} results`)
})
