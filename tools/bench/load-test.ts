import autocannon from 'autocannon'

/** A load run's outcome. Latencies are in milliseconds, from every response the client saw. */
export interface LoadFigures {
  connections: number
  seconds: number
  requests: number
  requestsPerSecond: number
  p50Ms: number
  p95Ms: number
  p99Ms: number
  /** Connection errors, timeouts and non-2xx answers: a run with any is reported, not trusted. */
  failures: number
}

export interface LoadTestOptions {
  /** The service's base URL (loopback). */
  baseUrl: string
  /** Questions sent in turn, as `POST /ask {"question", "mode": "extractive"}`. */
  questions: string[]
  connections: number
  seconds: number
  /** An unmeasured run first, so the JIT and caches are warm (0 for none). */
  warmupSeconds: number
}

/** The value at `fraction` (0–1) of ascending `sorted` values, nearest rank; 0 for none. */
export function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))] ?? 0
}

function run(options: autocannon.Options, onResponse?: (milliseconds: number) => void): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(options, (error, result) => (error ? reject(error) : resolve(result)))
    if (onResponse) instance.on('response', (_client, _status, _bytes, milliseconds) => onResponse(milliseconds))
  })
}

/** Sends the questions in turn over `connections` keep-alive connections for `seconds` (autocannon). */
export async function loadTest({ baseUrl, questions, connections, seconds, warmupSeconds }: LoadTestOptions): Promise<LoadFigures> {
  const options: autocannon.Options = {
    url: `${baseUrl}/ask`,
    connections,
    // Each connection walks through the questions in order, starting over at the end.
    requests: questions.map((question) => ({ method: 'POST', path: '/ask', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question, mode: 'extractive' }) })),
    timeout: 10,
  }
  if (warmupSeconds > 0) await run({ ...options, duration: warmupSeconds })
  const latencies: number[] = []
  const result = await run({ ...options, duration: seconds }, (milliseconds) => latencies.push(milliseconds))
  latencies.sort((a, b) => a - b)
  const succeeded = result['2xx']
  return {
    connections,
    seconds: result.duration,
    requests: succeeded,
    requestsPerSecond: succeeded / result.duration,
    p50Ms: percentile(latencies, 0.5),
    p95Ms: percentile(latencies, 0.95),
    p99Ms: percentile(latencies, 0.99),
    failures: result.errors + result.timeouts + result.non2xx,
  }
}
