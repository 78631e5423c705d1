import type { LoadFigures } from './load-test.ts'
import type { RetrievalFigures } from './retrieval-alternatives.ts'

/** Start and load figures of one server (the hello-world or citeqa). */
export interface ServerFigures {
  command: string
  /** Each start, spawn to the first 200 of GET /health, in milliseconds. */
  startMs: number[]
  medianStartMs: number
  /** The load run with the median throughput (of one per round). */
  load: LoadFigures
  /** Requests per second of each round's load run. */
  loadRuns: number[]
}

export interface StartAndThroughput {
  corpus: string
  helloWorld: ServerFigures
  /** citeqa as it runs by default: a question asked before is answered from its answer cache. */
  citeqa: ServerFigures
  /** citeqa with ANSWER_CACHE_SIZE=0: every answer computed. */
  citeqaUncached: ServerFigures
  /** citeqa's median start ÷ the hello-world's. */
  startRatio: number
  /** citeqa's requests per second ÷ the hello-world's (median rounds). */
  throughputRatio: number
  /** The same with every answer computed. */
  uncachedThroughputRatio: number
}

export interface RetrievalSet {
  name: string
  corpus: string
  questions: string
  systems: RetrievalFigures[]
}

export interface FusionTrial {
  fusion: string
  /** hit@1 and MRR@10 per set, in the order of `retrieval.sets`. */
  figures: { set: string; hitAt1: number; mrr: number }[]
}

export interface RetrievalComparison {
  sets: RetrievalSet[]
  /** The hybrid's hit@1 and MRR@10 are at least every alternative's on every set. */
  hybridAtLeastAsGood: boolean
  /** Fusion settings tried (when the hybrid fell short, or with --sweep). */
  sweep?: FusionTrial[]
}

/** One corpus size of the growth curve. Memory and sizes are in bytes, times in milliseconds. */
export interface GrowthPoint {
  multiple: number
  documents: number
  characters: number
  /** Measured, or why not (over the time budget). */
  skipped?: string
  chunks?: number
  ingestMs?: number
  /** CPU time of the ingest (user + system). */
  ingestCpuMs?: number
  ingestPeakBytes?: number
  indexBytes?: number
  startMs?: number
  serverBytes?: number
  load?: LoadFigures
}

export interface BenchResult {
  mode: 'full' | 'quick'
  machine: {
    node: string
    cpus: number
    cpuModel: string
    embedder: string
    /** One-minute load average before and after the run: above the CPU count, other work competed with the bench and wall times are inflated. */
    loadAverage: { before: number; after: number }
  }
  startAndThroughput: StartAndThroughput
  retrieval: RetrievalComparison
  growth: { baseCharacters: number; points: GrowthPoint[] }
  elapsedSeconds: number
}

const megabytes = (bytes?: number) => (bytes === undefined ? '–' : `${Math.round(bytes / 1e6)} MB`)
const seconds = (milliseconds?: number) => (milliseconds === undefined ? '–' : `${(milliseconds / 1000).toFixed(2)} s`)
const milliseconds = (value: number) => value.toFixed(value < 10 ? 1 : 0)
const perSecond = (value: number) => `${Math.round(value).toLocaleString('en-US')} req/s`
const percent = (value: number) => `${(value * 100).toFixed(1)}%`
const ratio = (value: number) => `${value.toFixed(value < 1 ? 2 : 1)}×`

function table(header: string[], rows: string[][]): string {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => ' --- ').join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n')
}

function latency(load: LoadFigures, high: 'p95Ms' | 'p99Ms'): string {
  return `${milliseconds(load.p50Ms)} / ${milliseconds(load[high])} ms`
}

function runs(figures: ServerFigures): string {
  return figures.loadRuns.map((value) => Math.round(value).toLocaleString('en-US')).join(', ')
}

function failures(load: LoadFigures): string {
  return load.failures ? ` (${load.failures} failed!)` : ''
}

/** The bench's result as Markdown: three tables and a line on the hybrid. */
export function formatMarkdown(result: BenchResult): string {
  const { startAndThroughput: serving, retrieval, growth, machine } = result
  const { helloWorld, citeqa, citeqaUncached } = serving
  const rounds = citeqa.loadRuns.length
  const load = citeqa.load
  const throughput = (figures: ServerFigures) => perSecond(figures.load.requestsPerSecond) + failures(figures.load)
  const sections = [
    `Node ${machine.node}, ${machine.cpus} × ${machine.cpuModel}, embedder ${machine.embedder}, load average ${machine.loadAverage.before.toFixed(1)} before and ${machine.loadAverage.after.toFixed(1)} after${result.mode === 'quick' ? ' — quick mode: figures for a smoke test only' : ''}`,
    `### Start and \`/ask\` throughput (${serving.corpus})`,
    table(
      ['', 'Express hello-world', 'citeqa', 'citeqa ÷ hello-world'],
      [
        [`start from a saved index (median of ${citeqa.startMs.length})`, seconds(helloWorld.medianStartMs), seconds(citeqa.medianStartMs), ratio(serving.startRatio)],
        [`throughput, dev questions in turn (${load.connections} connections, median of ${rounds} × ${load.seconds.toFixed(0)} s)`, throughput(helloWorld), throughput(citeqa), ratio(serving.throughputRatio)],
        ['latency p50 / p99 under that load', latency(helloWorld.load, 'p99Ms'), latency(load, 'p99Ms'), ''],
        ['throughput, every answer computed (ANSWER_CACHE_SIZE=0)', throughput(helloWorld), throughput(citeqaUncached), ratio(serving.uncachedThroughputRatio)],
        ['latency p50 / p99, every answer computed', latency(helloWorld.load, 'p99Ms'), latency(citeqaUncached.load, 'p99Ms'), ''],
      ],
    ),
    `Each round starts the hello-world, citeqa and citeqa with ANSWER_CACHE_SIZE=0 in turn, and loads each (throughput by round: hello-world ${runs(helloWorld)}; citeqa ${runs(citeqa)}; every answer computed ${runs(citeqaUncached)}). By default citeqa answers a question asked before from its answer cache, so after their first round the dev questions asked in turn are cache hits; with ANSWER_CACHE_SIZE=0 each is segmented, retrieved and scored again.`,
    '### Retrieval alternatives (same questions, same chunks)',
    table(
      ['', ...retrieval.sets.flatMap((set) => [`${set.name}: hit@1`, 'MRR@10', 'ms/query'])],
      retrieval.sets[0].systems.map((system, index) => [
        system.system,
        ...retrieval.sets.flatMap((set) => {
          const figures = set.systems[index]
          return [percent(figures.hitAt1), figures.mrr.toFixed(3), figures.msPerQuery.toFixed(2)]
        }),
      ]),
    ),
    `Questions: ${retrieval.sets.map((set) => `${set.name} ${set.systems[0].questions} (${set.questions})`).join('; ')}. ` +
      (retrieval.hybridAtLeastAsGood
        ? 'The hybrid is at least as good as every alternative on hit@1 and MRR@10 on both sets.'
        : '**The hybrid falls short of an alternative on hit@1 or MRR@10** — see the fusion sweep below.'),
  ]
  if (retrieval.sweep) {
    sections.push(
      '#### Fusion sweep (hybrid with other settings)',
      table(
        ['fusion', ...retrieval.sets.flatMap((set) => [`${set.name}: hit@1`, 'MRR@10'])],
        retrieval.sweep.map((trial) => [trial.fusion, ...trial.figures.flatMap((figure) => [percent(figure.hitAt1), figure.mrr.toFixed(3)])]),
      ),
    )
  }
  sections.push(
    `### Growth (synthetic corpora, ${Math.round(growth.baseCharacters / 1000)}k characters at 1×)`,
    table(
      ['corpus', 'documents', 'characters', 'chunks', 'ingest (CPU)', 'ingest peak memory', 'index on disk', 'start', 'server memory', '/ask p50 / p95 (1 connection, every answer computed)'],
      growth.points.map((point) => {
        const head = [`${point.multiple}×`, point.documents.toLocaleString('en-US'), point.characters.toLocaleString('en-US')]
        if (point.skipped) return [...head, `skipped: ${point.skipped}`, '', '', '', '', '', '']
        return [
          ...head,
          String(point.chunks ?? '–'),
          `${seconds(point.ingestMs)}${point.ingestCpuMs === undefined ? '' : ` (${seconds(point.ingestCpuMs)})`}`,
          megabytes(point.ingestPeakBytes),
          megabytes(point.indexBytes),
          seconds(point.startMs),
          megabytes(point.serverBytes),
          point.load ? latency(point.load, 'p95Ms') + failures(point.load) : '–',
        ]
      }),
    ),
    `Bench took ${Math.round(result.elapsedSeconds)} s.`,
  )
  return `${sections.join('\n\n')}\n`
}
