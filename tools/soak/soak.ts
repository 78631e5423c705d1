import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { startScriptedOpenAIServer } from '../../test/fixtures/scripted-openai-server.ts'
import { PROJECT_DIRECTORY, ProcessLog, type ServiceProcess } from '../service-process.ts'
import { generateBadRequests, problemsOf, sendRaw } from './bad-requests.ts'
import { faultyModel, goodReply } from './llm-faults.ts'
import { freshConnectionTransport, percentile, runMixedTraffic, sendLlmRequestsAtOnce, type TrafficResult } from './mixed-traffic.ts'
import { DRAIN_TIMEOUT_MS, spawnScript, startScriptService } from './package-scripts.ts'

/** One line of the soak's table. `pass: 'skip'` when the machine cannot run the check (said in `result`). */
export interface SoakLine {
  check: string
  result: string
  pass: boolean | 'skip'
}

export interface SoakOptions {
  /** Clients at once in the two load phases. Default 200 (quick: 20). */
  clients: number
  /** Length of each load phase, in ms. Default 10,000 (quick: 2,000). */
  durationMs: number
  /**
   * Largest growth of the service's resident memory from the first to the last second of each load
   * phase, in bytes: this, or `memoryGrowthShare` of the first second's, whichever is more (a larger
   * heap is collected later). Default 96 MB.
   */
  memoryGrowthBound: number
  /** Default 0.25. */
  memoryGrowthShare: number
  /** Traffic before the first measured phase, in ms, so V8's heap has grown to its working size. Default 2,000 (quick: 1,000). */
  warmUpMs: number
  /** Progress, one line a step (stderr). */
  progress?: (message: string) => void
}

export const fullSoak: Omit<SoakOptions, 'progress'> = { clients: 200, durationMs: 10_000, memoryGrowthBound: 96 * 1024 * 1024, memoryGrowthShare: 0.25, warmUpMs: 2_000 }
export const quickSoak: Omit<SoakOptions, 'progress'> = { ...fullSoak, clients: 20, durationMs: 2_000, warmUpMs: 1_000 }

const ARTICLE = join(PROJECT_DIRECTORY, 'data/article.txt')
/** A question of the dev set whose answer names a number: the service is checked to still answer it. */
const CHECK_QUESTION = '维修了多少公里沟渠?'

function megabytes(bytes: number | undefined): string {
  return bytes === undefined ? 'n/a' : `${(bytes / 1024 / 1024).toFixed(0)} MB`
}

function counts(values: Iterable<string>): string {
  const tally = new Map<string, number>()
  for (const value of values) tally.set(value, (tally.get(value) ?? 0) + 1)
  return [...tally].sort((a, b) => b[1] - a[1]).map(([value, count]) => `${value} ${count}`).join(', ')
}

function questionsOfDevSet(): string[] {
  const questions = readFileSync(join(PROJECT_DIRECTORY, 'data/qa/dev.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => (JSON.parse(line) as { question: string }).question)
  // Whole-document and English questions take other paths (the outline, the lexicon).
  return [...questions, '这篇文章讲了什么?', 'How many households completed the toilet renovation?']
}

async function health(baseUrl: string): Promise<{ status?: string; index?: { origin: string; builtAt: string; chunks: number } } | undefined> {
  return fetch(`${baseUrl}/health`).then((response) => (response.ok ? response.json() : undefined), () => undefined)
}

/** True when the service answers the check question from the article, with the key. */
async function answersCheckQuestion(baseUrl: string, apiKey: string): Promise<boolean> {
  const response = await fetch(`${baseUrl}/ask`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` }, body: JSON.stringify({ question: CHECK_QUESTION, mode: 'extractive' }) }).catch(() => undefined)
  if (response?.status !== 200) return false
  return /7公里/.test(((await response.json()) as { answer?: string }).answer ?? '')
}

/** The load table cells: requests, rate, errors, latency, the LLM answers and their fallbacks. */
function describeLoad(results: TrafficResult[], sent: number, elapsedMs: number) {
  const failed = results.filter((result) => result.problem)
  const llmResults = results.filter((result) => result.kind !== 'ask-json' && result.kind !== 'ask-stream' && !result.problem)
  const degraded = llmResults.filter((result) => result.degradedReason)
  const latencies = results.map((result) => result.ms)
  return {
    failed,
    degraded,
    text:
      `${sent} requests (${(sent / (elapsedMs / 1000)).toFixed(0)}/s), ${results.length} answered, ${failed.length} errors` +
      `${failed.length ? ` (${counts(failed.map((result) => `${result.kind}: ${result.problem}`)).slice(0, 300)})` : ''}; ` +
      `p50 ${percentile(latencies, 50).toFixed(0)} ms, p99 ${percentile(latencies, 99).toFixed(0)} ms; ` +
      `LLM-mode answers ${llmResults.length}: ${llmResults.length - degraded.length} by the model, ${degraded.length} degraded${degraded.length ? ` (${counts(degraded.map((result) => result.degradedReason!))})` : ''}`,
  }
}

/** Resident memory of `service` sampled every 250 ms while `load` runs: the last sample of its first second and of its last. */
async function withMemorySamples<T>(service: ServiceProcess, durationMs: number, load: () => Promise<T>): Promise<{ value: T; first?: number; last?: number; peak?: number }> {
  const samples: { at: number; bytes: number }[] = []
  const started = performance.now()
  const sampler = setInterval(() => void service.residentBytes().then((bytes) => bytes !== undefined && samples.push({ at: performance.now() - started, bytes })), 250)
  const value = await load()
  clearInterval(sampler)
  return {
    value,
    first: samples.filter((sample) => sample.at <= 1000).at(-1)?.bytes,
    last: samples.filter((sample) => sample.at >= durationMs - 1000 && sample.at <= durationMs).at(-1)?.bytes,
    peak: samples.length ? Math.max(...samples.map((sample) => sample.bytes)) : undefined,
  }
}

function describeGrowth({ first, last, peak }: { first?: number; last?: number; peak?: number }): string {
  if (first === undefined || last === undefined) return 'n/a'
  const growth = last - first
  return `${megabytes(first)} → ${megabytes(last)} (${growth >= 0 ? '+' : ''}${megabytes(growth)}, peak ${megabytes(peak)})`
}

/**
 * The load-and-fault suite behind `npm run soak`: one service (as `npm start` runs it, offline embedder, API
 * keys and a rate limit on) with a scripted OpenAI-compatible server as its LLM, all on loopback;
 * it generates bad requests, runs mixed traffic with a healthy and then a failing LLM, stops the
 * service with SIGTERM under load, kills `npm run ingest` with SIGKILL mid-write, and starts the
 * service on an unwritable and on a full index folder. Returns one line per check.
 */
export async function runSoak(options: SoakOptions): Promise<SoakLine[]> {
  const progress = options.progress ?? (() => {})
  const lines: SoakLine[] = []
  const scratch = await mkdtemp(join(tmpdir(), 'citeqa-soak-'))
  const apiKey = `soak-${randomBytes(12).toString('hex')}`
  const llm = await startScriptedOpenAIServer({ record: false, otherwise: (body) => goodReply(body, 15) })
  const environment: Record<string, string> = {
    ARTICLE_PATH: ARTICLE,
    INDEX_DIR: join(scratch, 'index'),
    EMBEDDINGS: 'offline',
    API_KEYS: apiKey,
    // The limiter is on the path of every answer, set high enough that it refuses none here.
    RATE_LIMIT_PER_MINUTE: '1000000',
    LLM_PROVIDER: 'openai',
    LLM_BASE_URL: llm.baseUrl,
    LLM_MODEL: 'scripted',
    LLM_TIMEOUT_MS: '1500',
    LLM_MAX_RETRIES: '1',
    LLM_MAX_CONCURRENCY: '16',
    LLM_MAX_WAIT_MS: '1000',
    LOG_LEVEL: 'warn',
  }
  const services: ServiceProcess[] = []
  const start = async (settings: Record<string, string> = {}) => {
    const service = await startScriptService({ ...environment, ...settings })
    services.push(service)
    return service
  }
  try {
    progress('starting the service (building its index)')
    const service = await start()
    const firstHealth = await health(service.baseUrl)

    // 1. Bad requests.
    progress('bad requests')
    const badRequests = generateBadRequests(apiKey)
    const routes = new Set(badRequests.map((request) => request.path.split('?')[0].replace(/^\/passages\/.*/, '/passages/:n').replace(/^\/(?!ask|v1|passages|article|outline|health|metrics).*/, 'page, others')))
    const problems: string[] = []
    const statuses: string[] = []
    for (let index = 0; index < badRequests.length; index += 8) {
      await Promise.all(
        badRequests.slice(index, index + 8).map(async (request) => {
          const response = await sendRaw(service.baseUrl, request).catch((error: Error) => ({ status: 0, headers: {}, body: error.message }))
          statuses.push(String(response.status))
          for (const problem of problemsOf(response, request, [PROJECT_DIRECTORY, apiKey])) problems.push(`${request.label}: ${problem}`)
        }),
      )
    }
    const healthyAfter = (await health(service.baseUrl))?.status === 'ok'
    const serverErrors = statuses.filter((status) => Number(status) >= 500 || status === '0').length
    lines.push({
      check: `≥ 300 generated bad requests across every route (${routes.size} routes)`,
      result: `${badRequests.length} sent: ${serverErrors} × 5xx, ${problems.length} problems${problems.length ? ` (${problems.slice(0, 3).join('; ')})` : ''}; statuses ${counts(statuses)}; healthy after: ${healthyAfter ? 'yes' : 'no'}`,
      pass: badRequests.length >= 300 && serverErrors === 0 && problems.length === 0 && healthyAfter,
    })

    // 2. Mixed traffic, healthy LLM, after a warm-up; resident memory sampled through the run.
    progress(`${options.clients} clients × ${options.durationMs / 1000} s of mixed traffic (after ${options.warmUpMs / 1000} s of warm-up)`)
    const questions = questionsOfDevSet()
    const traffic = { baseUrl: service.baseUrl, apiKey, questions, clients: options.clients, durationMs: options.durationMs }
    await runMixedTraffic({ ...traffic, durationMs: options.warmUpMs })
    const healthyMemory = await withMemorySamples(service, options.durationMs, () => runMixedTraffic(traffic))
    const healthy = healthyMemory.value
    const healthyLoad = describeLoad(healthy.results, healthy.sent, healthy.elapsedMs)
    lines.push({
      check: `${options.clients} concurrent clients × ${options.durationMs / 1000} s of mixed traffic (JSON, SSE, /v1/chat/completions streamed and not, follow-ups)`,
      result: healthyLoad.text,
      pass: healthyLoad.failed.length === 0 && healthy.results.length === healthy.sent,
    })

    // 3. The same load with a model that fails half its calls.
    progress(`the same load with the LLM failing half its calls`)
    const faults = faultyModel()
    llm.setOtherwise(faults.reply)
    const faultyMemory = await withMemorySamples(service, options.durationMs, () => runMixedTraffic(traffic))
    const faulty = faultyMemory.value
    llm.setOtherwise((body) => goodReply(body, 15))
    const faultyLoad = describeLoad(faulty.results, faulty.sent, faulty.elapsedMs)
    const injected = Object.entries(faults.injected).filter(([kind]) => kind !== 'good')
    lines.push({
      check: 'the same load while the scripted LLM fails half its calls (5xx, 429, malformed), hangs some and cuts streams',
      result: `${faultyLoad.text}; faults injected ${injected.map(([kind, count]) => `${kind} ${count}`).join(', ')} of ${llm.received} LLM calls; none lost: ${faulty.results.length} of ${faulty.sent} answered`,
      pass: faultyLoad.failed.length === 0 && faulty.results.length === faulty.sent && faultyLoad.degraded.length > 0 && injected.some(([, count]) => count > 0),
    })
    const withinBound = ({ first, last }: { first?: number; last?: number }) => first === undefined || last === undefined ? undefined : last - first <= Math.max(options.memoryGrowthBound, options.memoryGrowthShare * first)
    const bounded = [healthyMemory, faultyMemory].map(withinBound)
    lines.push({
      check: `memory: resident set from the first to the last second of each load phase grows at most ${megabytes(options.memoryGrowthBound)} or ${options.memoryGrowthShare * 100}% of the first second's, whichever is more`,
      result: bounded.includes(undefined) ? 'n/a (no /proc on this system)' : `healthy LLM ${describeGrowth(healthyMemory)}; failing LLM ${describeGrowth(faultyMemory)}`,
      pass: bounded.includes(undefined) ? 'skip' : bounded.every(Boolean),
    })
    lines.push({
      check: 'LLM calls at once never above LLM_MAX_CONCURRENCY (16)',
      result: `peak ${llm.peakInFlight} at the scripted server`,
      pass: llm.peakInFlight <= 16,
    })

    // 4. SIGTERM with requests in flight (slow model answers).
    progress('SIGTERM under load')
    llm.setOtherwise((body) => goodReply(body, 700))
    const inFlightCount = Math.min(30, options.clients)
    const inFlight = sendLlmRequestsAtOnce(inFlightCount, { baseUrl: service.baseUrl, apiKey, questions, clients: inFlightCount, durationMs: 0, transport: freshConnectionTransport })
    const waitStarted = performance.now()
    while (llm.inFlight < Math.min(8, inFlightCount) && performance.now() - waitStarted < 5000) await sleep(10)
    const modelCallsAtSignal = llm.inFlight
    const signalled = performance.now()
    service.child.kill('SIGTERM')
    await sleep(500)
    const refused = await sendRaw(service.baseUrl, { method: 'GET', path: '/health', headers: {} }, 2000).then(
      (response) => `answered ${response.status}`,
      (error: NodeJS.ErrnoException) => error.code ?? error.message,
    )
    const drained = await inFlight
    const exitCode = await service.exited
    const exitMs = performance.now() - signalled
    const drainFailures = drained.filter((result) => result.problem)
    lines.push({
      check: 'SIGTERM under load: in-flight requests complete, new connections refused, exit 0 within the drain timeout',
      result: `${drained.length} LLM-mode requests in flight (${modelCallsAtSignal} waiting on the model at the signal): ${drained.length - drainFailures.length} completed whole${drainFailures.length ? `, ${drainFailures.length} failed (${drainFailures.map((result) => `${result.kind} after ${result.ms.toFixed(0)} ms: ${result.problem}`).join('; ')})` : ''}; a new connection 0.5 s after the signal: ${refused}; exit ${exitCode} after ${(exitMs / 1000).toFixed(1)} s (drain timeout ${DRAIN_TIMEOUT_MS / 1000} s)`,
      pass: drainFailures.length === 0 && refused === 'ECONNREFUSED' && exitCode === 0 && exitMs < DRAIN_TIMEOUT_MS,
    })
    llm.setOtherwise((body) => goodReply(body, 15))

    // 5. kill -9 during `npm run ingest`, as it writes the new index.
    progress('kill -9 during npm run ingest')
    const ingest = spawnScript('ingest', environment)
    const ingestLog = new ProcessLog(ingest)
    const ingestStarted = performance.now()
    let staging: string | undefined
    while (!staging && performance.now() - ingestStarted < 30_000 && ingest.exitCode === null) {
      staging = (await readdir(environment.INDEX_DIR).catch(() => [] as string[])).find((name) => name.startsWith('.staging-'))
      if (!staging) await sleep(2)
    }
    ingest.kill('SIGKILL')
    await new Promise((resolve) => (ingest.exitCode !== null || ingest.signalCode !== null ? resolve(undefined) : ingest.once('exit', resolve)))
    const killedWhen = staging ? `while it wrote ${staging.slice(0, 17)}…` : `after ${((performance.now() - ingestStarted) / 1000).toFixed(1)} s (${ingest.exitCode === 0 ? 'it had finished' : 'no staging folder seen'}${ingestLog.lines.length ? '' : ''})`
    // At info level: the start logs whether it loaded the index or rebuilt it, and why.
    const restarted = await start({ LOG_LEVEL: 'info' })
    const restartedHealth = await health(restarted.baseUrl)
    const servesLastGood = restartedHealth?.index?.origin === 'loaded' && restartedHealth.index.builtAt === firstHealth?.index?.builtAt
    const rebuildReason = restarted.log.entries(30).find((entry) => entry.msg === 'search index built')?.reason
    const answers = await answersCheckQuestion(restarted.baseUrl, apiKey)
    const leftovers = (await readdir(environment.INDEX_DIR)).filter((name) => name.startsWith('.staging-'))
    lines.push({
      check: 'kill -9 during `npm run ingest` → the next start serves the last good index',
      result: `killed ${killedWhen}; next start: index ${restartedHealth?.index?.origin ?? 'unknown'}, built ${restartedHealth?.index?.builtAt ?? '?'} (the last good one: ${servesLastGood ? 'yes' : `no${rebuildReason ? `, rebuilt: ${String(rebuildReason)}` : ''}`}), ${restartedHealth?.index?.chunks ?? '?'} chunks; /ask answers: ${answers ? 'yes' : 'no'}; staging leftovers: ${leftovers.length}`,
      pass: servesLastGood && answers && leftovers.length === 0,
    })
    await restarted.stop()

    // 6. An unwritable and a full index folder.
    progress('unwritable and full index folders')
    const blocker = join(scratch, 'a-file')
    await writeFile(blocker, 'not a folder')
    lines.push(await startsFromMemory('an unwritable index folder (its parent is a file: ENOTDIR)', join(blocker, 'index'), start, apiKey))
    const full = join(scratch, 'full-disk')
    await mkdir(full)
    if (mountTinyFilesystem(full)) {
      try {
        // Fill it to the last byte, so any write fails with ENOSPC.
        await writeFile(join(full, 'filler'), Buffer.alloc(1024 * 1024)).catch(() => undefined)
        lines.push(await startsFromMemory('a full index folder (a 64 KB tmpfs, filled: ENOSPC)', join(full, 'index'), start, apiKey))
      } finally {
        for (const service of services.splice(0)) await service.stop()
        unmount(full)
      }
    } else {
      lines.push({ check: 'a full index folder (a 64 KB tmpfs, filled: ENOSPC)', result: 'skipped: mounting a tmpfs needs root (run the soak as root, or in a container, for this line)', pass: 'skip' })
    }
  } finally {
    for (const service of services) await service.stop()
    await llm.close()
    await rm(scratch, { recursive: true, force: true }).catch(() => undefined)
  }
  return lines
}

/** Starts the service with INDEX_DIR at `folder` and checks that it answers and said so once. */
async function startsFromMemory(check: string, folder: string, start: (settings: Record<string, string>) => Promise<ServiceProcess>, apiKey: string): Promise<SoakLine> {
  let service: ServiceProcess
  try {
    service = await start({ INDEX_DIR: folder })
  } catch (error) {
    return { check: `${check} → the service starts from memory with one clear warning`, result: `did not start: ${(error as Error).message.slice(0, 200)}`, pass: false }
  }
  const answers = await answersCheckQuestion(service.baseUrl, apiKey)
  const warnings = service.log.entries(40)
  const errors = service.log.entries(50)
  await service.stop()
  const warning = String(warnings[0]?.msg ?? '')
  return {
    check: `${check} → the service starts from memory with one clear warning`,
    result: `healthy, /ask answers: ${answers ? 'yes' : 'no'}; ${warnings.length} warning(s), ${errors.length} error(s): "${warning.replace(/\/tmp\/citeqa-soak-\w+/, '…')}"`,
    pass: answers && warnings.length === 1 && errors.length === 0 && /could not save the index/.test(warning),
  }
}

/** Mounts a 64 KB tmpfs on `folder` (root only); false when it cannot. */
function mountTinyFilesystem(folder: string): boolean {
  if (process.platform !== 'linux' || process.getuid?.() !== 0 || !existsSync('/bin/mount')) return false
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'citeqa-soak-full', folder], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

function unmount(folder: string): void {
  try {
    execFileSync('umount', [folder], { stdio: 'ignore' })
  } catch {
    // Already gone; the scratch folder's removal will say if not.
  }
}
