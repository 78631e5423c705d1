import { rmSync } from 'node:fs'
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { parseCommandLine } from '../../src/cli/command-line.ts'
import { isAnswerable, readQaSet, type QaQuestion } from '../../src/evaluation/qa-set.ts'
import { exitOnSignals, packageScript } from '../service-process.ts'
import { activeGeneration } from '../../src/retrieval/postgres/index-generations.ts'
import { closePostgresPools, postgresPool } from '../../src/retrieval/postgres/postgres-connection.ts'
import { writeDistinctCorpus, type DistinctCorpus } from './distinct-corpus.ts'
import { loadTest, type LoadFigures } from './load-test.ts'
import { runCommand, startShellService } from './run-command.ts'

const USAGE = `npm run bench:growth [-- options]

The growth curve on distinct documents (the article, the CMRC trial documents, then classical
poems fetched once from the chinese-poetry package): at each size, ingest time and peak memory,
index size, start, resident memory, /ask p50/p95, and hit@1 of the article's dev questions asked
against the grown corpus. Markdown on stdout, progress on stderr. Long: 100,000 documents take
minutes; \`npm run bench\` draws the short curve.

  --documents N,N,…   corpus sizes (default 200,2000,20000,100000)
  --store S,…         files, postgres or both (default: INDEX_STORE, else files); postgres needs DATABASE_URL
  --seconds S         seconds of /ask load at each size (default 5)
  --json              the figures as one JSON object
  --help              this text`

const { values } = parseCommandLine('bench:growth', USAGE, {
  options: {
    documents: { type: 'string', default: '200,2000,20000,100000' },
    store: { type: 'string', default: process.env.INDEX_STORE ?? 'files' },
    seconds: { type: 'string', default: '5' },
    json: { type: 'boolean', default: false },
  },
})

const sizes = values.documents.split(',').map(Number)
if (sizes.some((size) => !Number.isInteger(size) || size < 1)) throw new Error(`Bench: --documents takes whole numbers, got "${values.documents}"`)
const stores = values.store.split(',')
if (stores.some((store) => store !== 'files' && store !== 'postgres')) throw new Error(`Bench: --store takes files, postgres or both, got "${values.store}"`)
if (stores.includes('postgres') && !process.env.DATABASE_URL) throw new Error('Bench: --store postgres needs DATABASE_URL (npm run postgres:start prints one)')
const loadSeconds = Number(values.seconds)
if (!(loadSeconds > 0)) throw new Error(`Bench: --seconds takes a positive number, got "${values.seconds}"`)
const DEV_SET = 'data/qa/dev.jsonl'
// The article's id in a folder corpus (article.txt), which its dev questions' gold paragraphs are of.
const ARTICLE_ID = 'article'
const INGEST_TIMEOUT_MS = 3_600_000
const START_TIMEOUT_MS = 600_000

exitOnSignals()
const startedAt = performance.now()
const log = (message: string) => process.stderr.write(`[growth ${((performance.now() - startedAt) / 1000).toFixed(0).padStart(4)} s] ${message}\n`)
const scratch = await mkdtemp(join(tmpdir(), 'citeqa-growth-'))
process.once('exit', () => rmSync(scratch, { recursive: true, force: true }))
const serviceEnvironment = {
  DOTENV_CONFIG_PATH: '/dev/null',
  EMBEDDINGS: process.env.EMBEDDINGS ?? 'offline',
  LLM_PROVIDER: 'none',
  LOG_LEVEL: 'warn',
  ANSWER_CACHE_SIZE: '0',
  ...(process.env.DATABASE_URL && { DATABASE_URL: process.env.DATABASE_URL }),
}

/** One corpus size of the curve. Bytes and milliseconds. */
interface GrowthFigures {
  documents: number
  characters: number
  chunks?: number
  ingestMs: number
  ingestCpuMs?: number
  ingestPeakBytes?: number
  /** The files store's folder, or the postgres store's active generation (its tables, their TOAST and indexes). */
  indexBytes?: number
  startMs: number
  serverBytes?: number
  load: LoadFigures
  /** Share of the answerable dev questions whose first citation is a gold paragraph of the article. */
  hitAt1: number
}

async function folderBytes(folder: string): Promise<number> {
  let total = 0
  for (const entry of await readdir(folder, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await stat(join(entry.parentPath, entry.name))).size
  }
  return total
}

/** Asks each answerable dev question once and counts those whose first citation is a gold paragraph of the article. */
async function hitAt1(baseUrl: string, questions: QaQuestion[]): Promise<number> {
  let hits = 0
  for (const question of questions) {
    const response = await fetch(`${baseUrl}/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question: question.question, mode: 'extractive' }) })
    const body = (await response.json()) as { citations?: { docId: string; paragraph: number }[] }
    const first = body.citations?.[0]
    if (first && first.docId === ARTICLE_ID && question.gold.includes(first.paragraph)) hits++
  }
  return hits / questions.length
}

function requiredScript(name: string): string {
  const command = packageScript(name)
  if (!command) throw new Error(`Bench: package.json has no "${name}" script`)
  return command
}

const mb = (bytes: number | undefined) => (bytes === undefined ? '–' : `${Math.round(bytes / 1024 / 1024)} MB`)
const seconds = (milliseconds: number) => `${(milliseconds / 1000).toFixed(1)} s`

function formatMarkdown(store: string, points: GrowthFigures[]): string {
  const rows = points.map((point) =>
    [
      point.documents.toLocaleString('en'),
      point.characters.toLocaleString('en'),
      point.chunks?.toLocaleString('en') ?? '–',
      seconds(point.ingestMs),
      mb(point.ingestPeakBytes),
      mb(point.indexBytes),
      seconds(point.startMs),
      mb(point.serverBytes),
      `${point.load.p50Ms.toFixed(1)} / ${point.load.p95Ms.toFixed(1)} ms`,
      `${(point.hitAt1 * 100).toFixed(1)}%`,
    ].join(' | '),
  )
  return [
    `Growth on distinct documents, store \`${store}\`, embedder ${serviceEnvironment.EMBEDDINGS}:`,
    '',
    '| documents | characters | chunks | ingest | ingest peak | index | start | resident | /ask p50 / p95 | dev hit@1 |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map((row) => `| ${row} |`),
  ].join('\n')
}

const startScript = requiredScript('start')
const ingestScript = requiredScript('ingest')
const devQuestions = (await readQaSet(DEV_SET)).filter(isAnswerable)
// dist/ is built once, untimed (the scripts' `pre` steps).
await runCommand(requiredScript('preingest'), {}, INGEST_TIMEOUT_MS)

/** The bytes of the active generation's tables and their indexes (TOAST included). */
async function activeGenerationBytes(databaseUrl: string): Promise<number> {
  const pool = postgresPool(databaseUrl)
  const generation = await activeGeneration(pool)
  if (!generation) throw new Error('Bench: the ingest published no generation')
  const { rows } = await pool.query<{ bytes: string }>(
    `SELECT sum(pg_total_relation_size(tables.oid)) AS bytes FROM pg_class tables JOIN pg_namespace schemas ON schemas.oid = tables.relnamespace WHERE schemas.nspname = $1 AND tables.relkind = 'r'`,
    [generation.schema],
  )
  return Number(rows[0].bytes)
}

/** One size of the curve on one store: ingest, start, hit@1 and the load. */
async function measureGrowthPoint(store: string, corpus: DistinctCorpus): Promise<GrowthFigures> {
  const environment = { ...serviceEnvironment, INDEX_STORE: store, ARTICLE_PATH: corpus.folder, INDEX_DIR: join(scratch, 'index') }
  log(`${store}: ${corpus.documents} documents, ${corpus.characters} characters: ingest`)
  // --full: a first build of this corpus; with postgres the previous size's generation is still
  // active, and reading it for reuse would be counted against this one.
  const ingest = await runCommand(`${ingestScript} --full`, environment, INGEST_TIMEOUT_MS)
  const indexBytes = store === 'files' ? await folderBytes(environment.INDEX_DIR) : await activeGenerationBytes(process.env.DATABASE_URL!)
  log(`${store}: ${corpus.documents} documents: ingest ${seconds(ingest.wallMs)}, peak ${mb(ingest.peakResidentBytes)}; start and ${loadSeconds} s of /ask`)
  const service = await startShellService(startScript, environment, START_TIMEOUT_MS)
  try {
    // Each question asked once first: its hit counted, and what a first question loads (the gloss table) loaded before the timed load.
    const hits = await hitAt1(service.baseUrl, devQuestions)
    const load = await loadTest({ baseUrl: service.baseUrl, questions: devQuestions.map((question) => question.question), connections: 1, seconds: loadSeconds, warmupSeconds: 1 })
    return {
      documents: corpus.documents,
      characters: corpus.characters,
      chunks: (service.health as { index?: { chunks?: number } }).index?.chunks,
      ingestMs: ingest.wallMs,
      ingestCpuMs: ingest.cpuMs,
      ingestPeakBytes: ingest.peakResidentBytes,
      indexBytes,
      startMs: service.readyMs,
      serverBytes: await service.residentBytes(),
      load,
      hitAt1: hits,
    }
  } finally {
    await service.stop()
    await rm(environment.INDEX_DIR, { recursive: true, force: true })
  }
}

const pointsByStore = new Map(stores.map((store) => [store, [] as GrowthFigures[]]))
try {
  for (const documents of sizes) {
    const corpus = await writeDistinctCorpus(join(scratch, 'corpus'), documents, log)
    for (const store of stores) pointsByStore.get(store)!.push(await measureGrowthPoint(store, corpus))
  }
} finally {
  await closePostgresPools()
}
process.stdout.write(
  values.json
    ? `${JSON.stringify({ embedder: serviceEnvironment.EMBEDDINGS, stores: Object.fromEntries(pointsByStore) }, null, 2)}\n`
    : `${[...pointsByStore].map(([store, points]) => formatMarkdown(store, points)).join('\n\n')}\n`,
)
