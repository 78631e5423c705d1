import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { parseCommandLine } from '../../src/cli/command-line.ts'
import { createEmbeddings } from '../../src/embeddings/create-embeddings.ts'
import { silentLogger } from '../../src/logger.ts'
import { QueryTranslator } from '../../src/text/query-translator.ts'
import { LEXICON_FORMAT } from '../../src/text/translation-lexicon.ts'
import { chunkParagraphs } from '../../src/ingest/chunk-paragraphs.ts'
import { loadDocuments } from '../../src/ingest/load-documents.ts'
import { readQaSet } from '../../src/evaluation/qa-set.ts'
import { closePostgresPools, identifier, inPooledTransaction, postgresPool } from '../../src/retrieval/postgres/postgres-connection.ts'
import { sparseQueryLiteral } from '../../src/retrieval/postgres/pgvector-store.ts'
import { denseVectorLiteral, sparseVectorLiteral } from '../../src/retrieval/postgres/write-generation.ts'
import { passageText } from '../../src/retrieval/passage-text.ts'
import { SparseVectorStore } from '../../src/retrieval/sparse-vector-store.ts'
import { TermIndex } from '../../src/retrieval/term-index.ts'
import { parseConfig } from '../../src/config.ts'
import { writeDistinctCorpus } from './distinct-corpus.ts'
import { percentile } from './load-test.ts'

const USAGE = `npm run bench:hnsw [-- options]

Recall of pgvector's HNSW index against exact search, on the passage vectors of a real corpus
(the article, the CMRC trial documents, then classical poems: the growth curve's documents) made
by the configured embedder (EMBEDDINGS: the offline one's sparse vectors, or a model's dense ones),
and the real questions of the dev and CMRC trial sets, for a grid of m, ef_construction and
hnsw.ef_search. Exact neighbours come from the files store's exact search (a full scan for a
model's vectors). Needs DATABASE_URL (npm run postgres:start prints one); works in a scratch
schema it drops.

  --documents N       corpus size (default 20000)
  --k K               neighbours compared (default 20, what the retriever takes)
  --builds M/EF,…     index builds, m/ef_construction (default 16/64,16/200,32/200)
  --ef-search E,…     hnsw.ef_search values (default 40,100,200,400,1000)
  --types T,…         sparsevec (the offline embedder's store), vector (dense, as a model's) or both (default both)
  --help              this text`

const { values } = parseCommandLine('bench:hnsw', USAGE, {
  options: {
    documents: { type: 'string', default: '20000' },
    k: { type: 'string', default: '20' },
    builds: { type: 'string', default: '16/64,16/200,32/200' },
    'ef-search': { type: 'string', default: '40,100,200,400,1000' },
    types: { type: 'string', default: 'sparsevec,vector' },
  },
})
const documentCount = Number(values.documents)
const k = Number(values.k)
const builds = values.builds.split(',').map((build) => build.split('/').map(Number) as [number, number])
const efSearches = values['ef-search'].split(',').map(Number)
const types = values.types.split(',') as ('sparsevec' | 'vector')[]
if (types.some((type) => type !== 'sparsevec' && type !== 'vector')) throw new Error(`Bench: --types takes sparsevec, vector or both, got "${values.types}"`)
const config = parseConfig()
const databaseUrl = config.DATABASE_URL
if (!databaseUrl) throw new Error('Bench: DATABASE_URL is not set (npm run postgres:start prints one)')

const log = (message: string) => process.stderr.write(`[hnsw] ${message}\n`)
const scratch = await mkdtemp(join(tmpdir(), 'citeqa-hnsw-'))
const corpus = await writeDistinctCorpus(join(scratch, 'corpus'), documentCount, log)
const documents = await loadDocuments(corpus.folder)
await rm(scratch, { recursive: true, force: true })
const chunks = chunkParagraphs(documents.flatMap((document) => document.paragraphs), { maxCharacters: config.CHUNK_MAX_CHARACTERS, overlapSentences: config.CHUNK_OVERLAP_SENTENCES })
const corpusTexts = chunks.map(passageText)
const terms = TermIndex.fromTexts(corpusTexts)
// The configured embedder (EMBEDDINGS): the offline one's sparse vectors, or a model's dense ones.
// An empty lexicon: the questions measured are Chinese.
const embeddings = await createEmbeddings(config, { corpus: terms, translator: new QueryTranslator({ format: LEXICON_FORMAT, translations: {} }) }, silentLogger)
const dimensions = await embeddings.dimensions()
const source = embeddings.passageVectors()
const questions = [...(await readQaSet('data/qa/dev.jsonl')), ...(await readQaSet('data/qa/cmrc-trial/qa.jsonl'))].map((question) => question.question)
const queries = await Promise.all(questions.map((question) => embeddings.embedQuery(question)))

/** Each chunk's vector, dense, and its exact nearest neighbours for a query (the k best and the k-th score). */
let denseVectorOf: (ordinal: number) => ArrayLike<number>
let sparseLiteralOf: ((ordinal: number) => string) | undefined
let exactNeighbours: (query: number[]) => Promise<{ ordinals: Set<number>; kthScore: number }>
if (source.from === 'term-counts') {
  const rows = source.embed(terms)
  sparseLiteralOf = (ordinal) => sparseVectorLiteral(rows, ordinal, dimensions)
  denseVectorOf = (ordinal) => {
    const dense = new Float64Array(dimensions)
    for (let entry = rows.starts[ordinal]; entry < rows.starts[ordinal + 1]; entry++) dense[rows.indices[entry]] = rows.values[entry]
    return dense
  }
  // As the files store finds them.
  const exactStore = SparseVectorStore.fromRows(embeddings, dimensions, chunks.map((_, ordinal) => ({ pageContent: '', metadata: { ordinal } })), rows)
  exactNeighbours = async (query) => {
    const found = await exactStore.similaritySearchVectorWithScore(query, k)
    return { ordinals: new Set(found.map(([document]) => document.metadata.ordinal as number)), kthScore: found.at(-1)?.[1] ?? 0 }
  }
} else {
  const vectors: number[][] = []
  for (let start = 0; start < corpusTexts.length; start += 16) vectors.push(...(await embeddings.embedDocuments(corpusTexts.slice(start, start + 16))))
  denseVectorOf = (ordinal) => vectors[ordinal]
  const norms = vectors.map((vector) => Math.hypot(...vector))
  exactNeighbours = async (query) => {
    const queryNorm = Math.hypot(...query)
    const scores = vectors.map((vector, ordinal) => vector.reduce((sum, value, index) => sum + value * query[index], 0) / (norms[ordinal] * queryNorm || 1))
    const best = scores.map((score, ordinal) => [score, ordinal]).sort((left, right) => right[0] - left[0]).slice(0, k)
    return { ordinals: new Set(best.map(([, ordinal]) => ordinal)), kthScore: best.at(-1)?.[0] ?? 0 }
  }
}
if (!sparseLiteralOf && types.includes('sparsevec')) throw new Error(`Bench: ${embeddings.id} makes dense vectors; measure them with --types vector`)
log(`${corpus.documents} documents, ${chunks.length} chunks, ${queries.length} questions, ${embeddings.id}`)

// A result scoring as the k-th does (to pgvector's float32) counts as a neighbour: ties have no order.
const exact: { ordinals: Set<number>; kthScore: number }[] = []
for (const query of queries) exact.push(await exactNeighbours(query))

const pool = postgresPool(databaseUrl)
const schema = `citeqa_hnsw_recall_${process.pid}`
const s = identifier(schema)
const table = `${s}.vectors`

interface Row {
  kind: string
  build: string
  buildSeconds: number
  efSearch: number
  recall: number
  p50Ms: number
  p95Ms: number
}
const results: Row[] = []

/** Recall and latency of the searches through the table's index (or an exact scan when it has none). */
async function measure(kind: 'sparsevec' | 'vector', efSearch: number | undefined): Promise<Pick<Row, 'recall' | 'p50Ms' | 'p95Ms'>> {
  const literal = (query: number[]) => (kind === 'sparsevec' ? sparseQueryLiteral(query) : `[${query.join(',')}]`)
  let found = 0
  let wanted = 0
  const times: number[] = []
  await inPooledTransaction(pool, async (client) => {
    if (efSearch !== undefined) await client.query(`SELECT set_config('hnsw.ef_search', $1, true)`, [String(efSearch)])
    else await client.query(`SET LOCAL enable_indexscan = off`)
    for (const [index, query] of queries.entries()) {
      const started = performance.now()
      const { rows: near } = await client.query<{ ordinal: number; distance: number }>(`SELECT ordinal, embedding <=> $1::${kind} AS distance FROM ${table} ORDER BY embedding <=> $1::${kind} LIMIT $2`, [literal(query), k])
      times.push(performance.now() - started)
      const { ordinals, kthScore } = exact[index]
      wanted += ordinals.size
      found += near.filter(({ ordinal, distance }) => ordinals.has(ordinal) || 1 - distance >= kthScore - 1e-6).length
    }
  })
  times.sort((left, right) => left - right)
  return { recall: found / Math.max(1, wanted), p50Ms: percentile(times, 0.5), p95Ms: percentile(times, 0.95) }
}

try {
  await pool.query(`CREATE SCHEMA ${s}`)
  for (const kind of types) {
    await pool.query(`DROP TABLE IF EXISTS ${table}; CREATE TABLE ${table} (ordinal integer PRIMARY KEY, embedding ${kind}(${dimensions}))`)
    for (let start = 0; start < chunks.length; start += 2000) {
      const ordinals = Array.from({ length: Math.min(2000, chunks.length - start) }, (_, offset) => start + offset)
      const literals = ordinals.map((ordinal) => (kind === 'sparsevec' ? sparseLiteralOf!(ordinal) : denseVectorLiteral(denseVectorOf(ordinal))))
      await pool.query(`INSERT INTO ${table} SELECT * FROM unnest($1::int[], $2::${kind}[])`, [ordinals, literals])
    }
    await pool.query(`ANALYZE ${table}`)
    results.push({ kind, build: 'exact scan', buildSeconds: 0, efSearch: 0, ...(await measure(kind, undefined)) })
    for (const [m, efConstruction] of builds) {
      const started = performance.now()
      await pool.query(`SET maintenance_work_mem = '2GB'`)
      await pool.query(`CREATE INDEX vectors_hnsw ON ${table} USING hnsw (embedding ${kind}_cosine_ops) WITH (m = ${m}, ef_construction = ${efConstruction})`)
      const buildSeconds = (performance.now() - started) / 1000
      log(`${kind} m ${m} ef_construction ${efConstruction}: built in ${buildSeconds.toFixed(1)} s`)
      for (const efSearch of efSearches) {
        const measured = await measure(kind, efSearch)
        log(`  ef_search ${efSearch}: recall ${(measured.recall * 100).toFixed(1)}%, ${measured.p50Ms.toFixed(1)} / ${measured.p95Ms.toFixed(1)} ms`)
        results.push({ kind, build: `m ${m}, ef_construction ${efConstruction}`, buildSeconds, efSearch, ...measured })
      }
      await pool.query(`DROP INDEX ${s}.vectors_hnsw`)
    }
  }
} finally {
  await pool.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`)
  await closePostgresPools()
}

process.stdout.write(
  [
    `HNSW recall@${k} against exact search: ${chunks.length.toLocaleString('en')} chunks of ${corpus.documents.toLocaleString('en')} documents, ${queries.length} real questions, ${embeddings.id} (${dimensions} dimensions):`,
    '',
    '| type | index | build | ef_search | recall | p50 / p95 |',
    '| --- | --- | ---: | ---: | ---: | ---: |',
    ...results.map((row) => `| ${row.kind} | ${row.build} | ${row.build === 'exact scan' ? '–' : `${row.buildSeconds.toFixed(1)} s`} | ${row.efSearch || '–'} | ${(row.recall * 100).toFixed(1)}% | ${row.p50Ms.toFixed(1)} / ${row.p95Ms.toFixed(1)} ms |`),
  ].join('\n') + '\n',
)
