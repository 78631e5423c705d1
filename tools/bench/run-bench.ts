import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { rmSync } from 'node:fs'
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { createCiteqa, type Citeqa } from '../../src/citeqa.ts'
import { parseCommandLine } from '../../src/cli/command-line.ts'
import { parseConfig } from '../../src/config.ts'
import { readQaSet, type QaQuestion } from '../../src/evaluation/qa-set.ts'
import { silentLogger } from '../../src/logger.ts'
import { exitOnSignals, packageScript, PROJECT_DIRECTORY } from '../service-process.ts'
import { formatMarkdown, type BenchResult, type FusionTrial, type GrowthPoint, type RetrievalSet, type ServerFigures } from './bench-report.ts'
import { growthChartOfResult } from './growth-chart.ts'
import { readSentencePool, writeGrowthCorpus } from './growth-corpus.ts'
import { loadTest, type LoadFigures } from './load-test.ts'
import { describeFusion, FUSION_SWEEP, hybridSystem, measureRetrieval, retrievalAlternatives } from './retrieval-alternatives.ts'
import { runCommand, startShellService } from './run-command.ts'

const USAGE = `npm run bench [-- options]

Start, throughput, retrieval alternatives and a growth curve, on loopback: Markdown tables on
stdout (progress on stderr), < 5 minutes on 2 cores.

  --json          the same figures as one JSON object
  --svg FILE      also draw the growth curve (e.g. docs/bench-growth.svg)
  --quick         a smoke run for CI: tiny corpus, one round of starts and 1-second loads, 1× only
  --sweep         also try other fusion settings for the hybrid (always done when it falls short)
  --budget SECS   seconds the whole run may take before growth points are skipped (default 280)
  --distinct      then the growth curve on distinct documents to 100,000 (npm run bench:growth),
                  for the files store and, when DATABASE_URL is set, PostgreSQL: 15–30 minutes
                  (with --quick: 150 documents, 1 s of load)
  --help          this text`

const { values } = parseCommandLine('bench', USAGE, {
  options: {
    json: { type: 'boolean', default: false },
    quick: { type: 'boolean', default: false },
    sweep: { type: 'boolean', default: false },
    svg: { type: 'string' },
    budget: { type: 'string' },
    distinct: { type: 'boolean', default: false },
  },
})

/** What a full run and a quick run measure. */
const plan = values.quick
  ? { rounds: 1, startsPerRound: 1, loadSeconds: 1, warmupSeconds: 0.5, growthSeconds: 1, baseCharacters: 20_000, multiples: [1] }
  : { rounds: 3, startsPerRound: 3, loadSeconds: 3, warmupSeconds: 1, growthSeconds: 3, baseCharacters: 140_000, multiples: [1, 2, 4, 8] }
const CONNECTIONS = 10
const BUDGET_SECONDS = values.budget === undefined ? 280 : Number(values.budget)
if (!(BUDGET_SECONDS > 0)) throw new Error(`Bench: --budget must be a number of seconds, got "${values.budget}"`)
const ARTICLE = 'data/article.txt'
const DEV_SET = 'data/qa/dev.jsonl'
const CMRC_DOCS = 'data/qa/cmrc-trial/docs'
const CMRC_SET = 'data/qa/cmrc-trial/qa.jsonl'
const HELLO_WORLD = `node ${join(PROJECT_DIRECTORY, 'tools', 'bench', 'hello-world.mjs')}`
// Generous bounds for one step on a slow machine: the bench stops instead of hanging.
const INGEST_TIMEOUT_MS = 300_000
const START_TIMEOUT_MS = 120_000

exitOnSignals()
const startedAt = performance.now()
const loadBefore = loadavg()[0]
const elapsedSeconds = () => (performance.now() - startedAt) / 1000
const log = (message: string) => process.stderr.write(`[bench ${elapsedSeconds().toFixed(0).padStart(3)} s] ${message}\n`)

// The service runs with its defaults — no .env (DOTENV_CONFIG_PATH), so keys, rate limits or a model
// configured there do not change the figures — the offline embedder unless EMBEDDINGS says otherwise, and no LLM.
const serviceEnvironment = { DOTENV_CONFIG_PATH: '/dev/null', EMBEDDINGS: process.env.EMBEDDINGS ?? 'offline', LLM_PROVIDER: 'none', LOG_LEVEL: 'warn' }
const scratch = await mkdtemp(join(tmpdir(), 'citeqa-bench-'))
process.once('exit', () => rmSync(scratch, { recursive: true, force: true }))

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

async function folderBytes(folder: string): Promise<number> {
  let total = 0
  for (const entry of await readdir(folder, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await stat(join(entry.parentPath, entry.name))).size
  }
  return total
}

const questionsOf = (set: QaQuestion[]) => set.map((question) => question.question)

/**
 * What npm runs before `start` and `ingest` (their `prestart`/`preingest` scripts, e.g. a build of
 * dist/ when it is stale), run once here and not timed: the bench times the scripts' own commands.
 */
async function runPreScripts(names: string[]): Promise<void> {
  const commands = new Set<string>()
  for (const name of names) {
    const command = packageScript(`pre${name}`)
    if (command) commands.add(command)
  }
  for (const command of commands) {
    log(`before the measurements: ${command}`)
    await runCommand(command, {}, INGEST_TIMEOUT_MS)
  }
}

/**
 * Start times of the hello-world and citeqa, then a load on each, in alternating rounds (one
 * server at a time: 2 cores): a round's figures share the machine's state of the moment, and the
 * median round of each stands for it. citeqa is loaded twice a round: as it runs by default, where
 * the dev questions asked in turn are answered from its answer cache after their first time, and
 * with ANSWER_CACHE_SIZE=0, where every answer is computed — what a stream of new questions costs.
 */
async function measureStartAndThroughput(startCommand: string, ingestCommand: string, questions: string[]) {
  const environment = { ...serviceEnvironment, ARTICLE_PATH: ARTICLE, INDEX_DIR: join(scratch, 'article-index') }
  log(`indexing ${ARTICLE}`)
  await runCommand(ingestCommand, environment, INGEST_TIMEOUT_MS)
  const servers = [
    { name: 'hello-world', command: HELLO_WORLD, environment: {}, startsPerRound: plan.startsPerRound },
    { name: 'citeqa', command: startCommand, environment, startsPerRound: plan.startsPerRound },
    // Its start is citeqa's: started once a round, for its load.
    { name: 'citeqa, every answer computed', command: startCommand, environment: { ...environment, ANSWER_CACHE_SIZE: '0' }, startsPerRound: 1 },
  ] as const
  const starts = new Map<string, number[]>(servers.map(({ name }) => [name, []]))
  const loads = new Map<string, LoadFigures[]>(servers.map(({ name }) => [name, []]))
  let embedder = serviceEnvironment.EMBEDDINGS
  for (let round = 1; round <= plan.rounds; round++) {
    for (const { name, command, environment: serverEnvironment, startsPerRound } of servers) {
      log(`round ${round}/${plan.rounds}: start ${name} ${startsPerRound}×, then ${plan.loadSeconds} s of load over ${CONNECTIONS} connections`)
      // Starts take half a second and vary by a tenth: more of them steady the median.
      for (let extra = 1; extra < startsPerRound; extra++) {
        const started = await startShellService(command, serverEnvironment, START_TIMEOUT_MS)
        starts.get(name)!.push(started.readyMs)
        await started.stop()
      }
      const service = await startShellService(command, serverEnvironment, START_TIMEOUT_MS)
      try {
        starts.get(name)!.push(service.readyMs)
        if (name === 'citeqa') embedder = (service.health as { embedder?: string }).embedder ?? embedder
        loads.get(name)!.push(await loadTest({ baseUrl: service.baseUrl, questions, connections: CONNECTIONS, seconds: plan.loadSeconds, warmupSeconds: plan.warmupSeconds }))
      } finally {
        await service.stop()
      }
    }
  }
  const figures = (name: string, command: string): ServerFigures => {
    const runs = loads.get(name)!
    const medianRun = [...runs].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond)[Math.floor((runs.length - 1) / 2)]
    return { command, startMs: starts.get(name)!, medianStartMs: median(starts.get(name)!), load: medianRun, loadRuns: runs.map((run) => run.requestsPerSecond) }
  }
  const [helloWorld, citeqa, citeqaUncached] = servers.map(({ name, command }) => figures(name, command))
  return {
    embedder,
    serving: {
      corpus: ARTICLE,
      helloWorld,
      citeqa,
      citeqaUncached,
      startRatio: citeqa.medianStartMs / helloWorld.medianStartMs,
      throughputRatio: citeqa.load.requestsPerSecond / helloWorld.load.requestsPerSecond,
      uncachedThroughputRatio: citeqaUncached.load.requestsPerSecond / helloWorld.load.requestsPerSecond,
    },
  }
}

async function openCorpus(articlePath: string, name: string): Promise<Citeqa> {
  return createCiteqa(parseConfig({ ...serviceEnvironment, LOG_LEVEL: 'silent', ARTICLE_PATH: articlePath, INDEX_DIR: join(scratch, `${name}-quality-index`) }), { logger: silentLogger })
}

/** hit@1, MRR@10 and time per query of each alternative on both sets; the fusion sweep when the hybrid falls short. */
async function compareRetrieval(sets: { name: string; corpus: string; questionsFile: string; questions: QaQuestion[] }[]) {
  const opened: { set: (typeof sets)[number]; citeqa: Citeqa }[] = []
  const results: RetrievalSet[] = []
  for (const set of sets) {
    log(`retrieval alternatives: ${set.name}`)
    const citeqa = await openCorpus(set.corpus, set.name)
    opened.push({ set, citeqa })
    const systems = []
    for (const system of Object.values(retrievalAlternatives(citeqa))) systems.push(await measureRetrieval(system, set.questions))
    results.push({ name: set.name, corpus: set.corpus, questions: set.questionsFile, systems })
  }
  const hybridAtLeastAsGood = results.every(({ systems }) => {
    const hybrid = systems.at(-1)!
    return systems.every((other) => hybrid.hitAt1 >= other.hitAt1 && hybrid.mrr >= other.mrr)
  })
  let sweep: FusionTrial[] | undefined
  if (!hybridAtLeastAsGood || values.sweep) {
    sweep = []
    for (const fusion of FUSION_SWEEP) {
      log(`fusion sweep: ${describeFusion(fusion)}`)
      const figures = []
      for (const { set, citeqa } of opened) {
        const { hitAt1, mrr } = await measureRetrieval(hybridSystem(citeqa, fusion, describeFusion(fusion)), set.questions)
        figures.push({ set: set.name, hitAt1, mrr })
      }
      sweep.push({ fusion: describeFusion(fusion), figures })
    }
  }
  return { sets: results, hybridAtLeastAsGood, ...(sweep && { sweep }) }
}

/**
 * Ingest, index size, start and unloaded /ask latency at each multiple of the base corpus. A point
 * is skipped when, at the pace of the previous one (twice its time for twice the corpus), it
 * would not end within the budget.
 */
async function measureGrowth(startCommand: string, ingestCommand: string, questions: string[]): Promise<GrowthPoint[]> {
  const pool = await readSentencePool([CMRC_DOCS, ARTICLE])
  const points: GrowthPoint[] = []
  let previousSeconds = 0
  let previousMultiple = 0
  for (const multiple of plan.multiples) {
    const folder = join(scratch, `corpus-${multiple}x`)
    const corpus = await writeGrowthCorpus(pool, plan.baseCharacters * multiple, folder)
    const point: GrowthPoint = { multiple, documents: corpus.documents, characters: corpus.characters }
    points.push(point)
    const estimate = previousMultiple ? (previousSeconds * multiple) / previousMultiple : 0
    if (elapsedSeconds() + estimate > BUDGET_SECONDS) {
      point.skipped = `about ${Math.round(estimate)} s more would pass the ${BUDGET_SECONDS} s budget (--budget)`
      log(`growth ${multiple}×: skipped, ${point.skipped}`)
      await rm(folder, { recursive: true, force: true })
      continue
    }
    const pointStarted = performance.now()
    // Every answer computed: how query time grows with the corpus, not how fast the cache is.
    const environment = { ...serviceEnvironment, ARTICLE_PATH: folder, INDEX_DIR: join(scratch, `index-${multiple}x`), ANSWER_CACHE_SIZE: '0' }
    log(`growth ${multiple}×: ingest ${corpus.documents} documents, ${corpus.characters} characters`)
    const ingest = await runCommand(ingestCommand, environment, INGEST_TIMEOUT_MS)
    point.ingestMs = ingest.wallMs
    point.ingestCpuMs = ingest.cpuMs
    point.ingestPeakBytes = ingest.peakResidentBytes
    point.indexBytes = await folderBytes(environment.INDEX_DIR)
    log(`growth ${multiple}×: start and ${plan.growthSeconds} s of /ask`)
    const service = await startShellService(startCommand, environment, START_TIMEOUT_MS)
    try {
      point.startMs = service.readyMs
      point.chunks = (service.health as { index?: { chunks?: number } }).index?.chunks
      point.load = await loadTest({ baseUrl: service.baseUrl, questions, connections: 1, seconds: plan.growthSeconds, warmupSeconds: plan.warmupSeconds })
      point.serverBytes = await service.residentBytes()
    } finally {
      await service.stop()
      await rm(folder, { recursive: true, force: true })
      await rm(environment.INDEX_DIR, { recursive: true, force: true })
    }
    previousSeconds = (performance.now() - pointStarted) / 1000
    previousMultiple = multiple
  }
  return points
}

function requiredScript(name: string): string {
  const command = packageScript(name)
  if (!command) throw new Error(`Bench: package.json has no "${name}" script`)
  return command
}

await runPreScripts(['start', 'ingest'])
const startScript = requiredScript('start')
const ingestScript = requiredScript('ingest')
const devSet = await readQaSet(DEV_SET)
const cmrcSet = await readQaSet(CMRC_SET)

const { embedder, serving } = await measureStartAndThroughput(startScript, ingestScript, questionsOf(devSet))
const retrieval = await compareRetrieval([
  { name: 'article dev', corpus: ARTICLE, questionsFile: DEV_SET, questions: devSet },
  { name: 'CMRC trial', corpus: CMRC_DOCS, questionsFile: CMRC_SET, questions: cmrcSet },
])
// The synthetic corpora mix CMRC and article sentences: their questions, in turn, are realistic queries.
const growthQuestions = questionsOf(cmrcSet).flatMap((question, index) => (index < devSet.length ? [question, devSet[index].question] : [question]))
const points = await measureGrowth(startScript, ingestScript, growthQuestions)

const result: BenchResult = {
  mode: values.quick ? 'quick' : 'full',
  machine: { node: process.versions.node, cpus: cpus().length, cpuModel: cpus()[0]?.model.trim() ?? 'unknown CPU', embedder, loadAverage: { before: loadBefore, after: loadavg()[0] } },
  startAndThroughput: serving,
  retrieval,
  growth: { baseCharacters: plan.baseCharacters, points },
  elapsedSeconds: elapsedSeconds(),
}

if (values.svg) {
  await writeFile(values.svg, growthChartOfResult(result))
  log(`growth chart written to ${values.svg}`)
}

process.stdout.write(values.json ? `${JSON.stringify(result, null, 2)}\n` : formatMarkdown(result))
await rm(scratch, { recursive: true, force: true })

if (values.distinct) {
  // Its own process, as `npm run bench:growth` runs it: progress on stderr, its tables after these.
  const stores = process.env.DATABASE_URL ? 'files,postgres' : 'files'
  log(`growth on distinct documents, ${stores}`)
  // Quick: the article and CMRC documents only, so no poem package is fetched.
  const sizes = values.quick ? ['--documents', '150', '--seconds', '1'] : []
  const growth = spawn('npx', ['tsx', join(PROJECT_DIRECTORY, 'tools', 'bench', 'run-growth.ts'), '--store', stores, ...sizes, ...(values.json ? ['--json'] : [])], {
    cwd: PROJECT_DIRECTORY,
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const tables: Buffer[] = []
  growth.stdout.on('data', (data: Buffer) => tables.push(data))
  const [code] = (await once(growth, 'close')) as [number | null]
  if (code !== 0) throw new Error(`Bench: the growth curve on distinct documents failed (exit ${code})`)
  process.stdout.write(`\n${Buffer.concat(tables).toString('utf8')}`)
}
