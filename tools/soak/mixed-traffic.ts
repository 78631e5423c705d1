import { performance } from 'node:perf_hooks'
import { sendRaw } from './bad-requests.ts'

/** The kinds of request a soak client sends, in turn. */
export const TRAFFIC_KINDS = ['ask-json', 'ask-json-llm', 'ask-stream', 'ask-stream-llm', 'chat-json', 'chat-stream', 'follow-up'] as const
export type TrafficKind = (typeof TRAFFIC_KINDS)[number]

/** How one request went. `problem` is set when it failed: a status, a broken body, a stream that did not finish. */
export interface TrafficResult {
  kind: TrafficKind
  ms: number
  /** The answering mode reported, and why an LLM answer fell back. */
  mode?: string
  degradedReason?: string
  problem?: string
}

/** How a request goes out: its status and its whole body as text. */
export type Transport = (url: string, init: { method: string; headers: Record<string, string>; body: string; timeoutMs: number }) => Promise<{ status: number; text: string }>

/** fetch (undici): keep-alive connections, pooled — as a browser or an OpenAI client sends. */
export const pooledTransport: Transport = async (url, { method, headers, body, timeoutMs }) => {
  const response = await fetch(url, { method, headers, body, signal: AbortSignal.timeout(timeoutMs) })
  return { status: response.status, text: await response.text() }
}

/**
 * node:http, a new connection per request. The SIGTERM check sends its requests so: a pooled
 * connection left idle near the server's keep-alive timeout may be closed as a request goes out
 * on it, a race of every keep-alive client and server that is not the shutdown's to answer for.
 */
export const freshConnectionTransport: Transport = async (url, { method, headers, body, timeoutMs }) => {
  const { origin, pathname } = new URL(url)
  const response = await sendRaw(origin, { method, path: pathname, headers, body }, timeoutMs)
  return { status: response.status, text: response.body }
}

export interface TrafficOptions {
  baseUrl: string
  apiKey: string
  questions: string[]
  /** Clients running at once, each sending one request after another. */
  clients: number
  /** How long clients start new requests; those in flight at the end are awaited. */
  durationMs: number
  /** Longest wait for one response. Default 60 s. */
  requestTimeoutMs?: number
  /** Default {@link pooledTransport}. */
  transport?: Transport
}

interface AnswerLike {
  answer?: unknown
  answerable?: unknown
  citations?: unknown
  mode?: unknown
  scope?: unknown
  degraded?: unknown
  reason?: unknown
}

/**
 * Problems with an answer body: the fields every answer has, and a requested mode kept or its
 * fallback explained. An `llm` request is answered extractively without a reason only when no
 * model is needed: an answer from the document's metadata or outline (`scope: document`), or a
 * refusal when retrieval found nothing to give the model.
 */
function answerProblem(body: AnswerLike | undefined, requestedLlm: boolean): string | undefined {
  if (!body || typeof body.answer !== 'string' || !Array.isArray(body.citations)) return 'answer body without answer or citations'
  if (body.mode !== 'llm' && body.mode !== 'extractive') return `unknown mode ${String(body.mode)}`
  const explained = (body.degraded === true && typeof body.reason === 'string' && /^llm_/.test(body.reason)) || body.scope === 'document' || (body.answerable === false && body.citations.length === 0)
  if (requestedLlm && body.mode === 'extractive' && !explained) return 'llm asked for, extractive given without a reason'
  if (!requestedLlm && body.mode !== 'extractive') return `extractive asked for, ${String(body.mode)} given`
  return undefined
}

/** Server-Sent Events of a finished stream: `event:`/`data:` blocks. */
function parseEvents(text: string): { event: string; data: string }[] {
  return text
    .split(/\n\n/)
    .filter((block) => block.trim() !== '')
    .map((block) => ({
      event: /^event: (.*)$/m.exec(block)?.[1] ?? 'message',
      data: block
        .split('\n')
        .filter((line) => line.startsWith('data: '))
        .map((line) => line.slice(6))
        .join('\n'),
    }))
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/** Sends one request of `kind` and checks what came back. */
async function send(kind: TrafficKind, question: string, previous: string, options: TrafficOptions): Promise<TrafficResult> {
  const started = performance.now()
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${options.apiKey}` }
  const transport = options.transport ?? pooledTransport
  const timeoutMs = options.requestTimeoutMs ?? 60_000
  const result = (fields: Omit<TrafficResult, 'kind' | 'ms'>): TrafficResult => ({ kind, ms: performance.now() - started, ...fields })
  const llm = kind.endsWith('-llm') || kind.startsWith('chat') || kind === 'follow-up'
  try {
    if (kind.startsWith('ask') || kind === 'follow-up') {
      const stream = kind.startsWith('ask-stream')
      const body: Record<string, unknown> = { question, mode: llm ? 'llm' : 'extractive', stream }
      if (kind === 'follow-up') {
        body.question = '具体是多少?'
        body.history = [{ role: 'user', content: previous }, { role: 'assistant', content: '文章中有相关内容。' }]
      }
      const response = await transport(`${options.baseUrl}/ask`, { method: 'POST', headers, body: JSON.stringify(body), timeoutMs })
      const { text } = response
      if (response.status !== 200) return result({ problem: `HTTP ${response.status}: ${text.slice(0, 80)}` })
      let answer: AnswerLike | undefined
      if (stream) {
        const events = parseEvents(text)
        if (events[0]?.event !== 'citations') return result({ problem: `stream began with ${events[0]?.event ?? 'nothing'}` })
        const last = events.at(-1)
        if (last?.event !== 'done') return result({ problem: `stream ended with ${last?.event ?? 'nothing'}: ${last?.data.slice(0, 80) ?? ''}` })
        answer = parseJson(last.data) as AnswerLike
      } else {
        answer = parseJson(text) as AnswerLike
      }
      const problem = answerProblem(answer, llm)
      return result({ problem, mode: String(answer?.mode), degradedReason: answer?.degraded ? String(answer.reason).split(':')[0] : undefined })
    }
    const stream = kind === 'chat-stream'
    const response = await transport(`${options.baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ model: 'citeqa-llm', stream, messages: [{ role: 'user', content: question }] }),
      timeoutMs,
    })
    const { text } = response
    if (response.status !== 200) return result({ problem: `HTTP ${response.status}: ${text.slice(0, 80)}` })
    type Completion = { choices?: { delta?: { content?: string }; message?: { content?: string }; finish_reason?: string }[]; citeqa?: AnswerLike; citations?: unknown }
    let extra: Completion | undefined
    let content = ''
    if (stream) {
      const data = parseEvents(text).map((event) => event.data)
      if (data.at(-1) !== '[DONE]') return result({ problem: `stream ended without [DONE]: ${String(data.at(-1)).slice(0, 80)}` })
      const chunks = data.slice(0, -1).map((chunk) => parseJson(chunk) as Completion | undefined)
      content = chunks.map((chunk) => chunk?.choices?.[0]?.delta?.content ?? '').join('')
      extra = chunks.at(-1)
      if (extra?.choices?.[0]?.finish_reason !== 'stop') return result({ problem: 'last chunk without finish_reason stop' })
    } else {
      const completion = parseJson(text) as Completion | undefined
      content = completion?.choices?.[0]?.message?.content ?? ''
      extra = completion
    }
    if (content === '') return result({ problem: 'empty completion' })
    const answer = { answer: content, citations: extra?.citations, ...extra?.citeqa }
    return result({ problem: answerProblem(answer, true), mode: String(answer.mode), degradedReason: answer.degraded ? String(answer.reason).split(':')[0] : undefined })
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause
    return result({ problem: `${(error as Error).name}: ${(error as Error).message}${cause ? ` (${cause.code ?? cause.message})` : ''}` })
  }
}

/** Sends `count` requests of the LLM kinds at once, one each (the SIGTERM check's requests in flight). */
export async function sendLlmRequestsAtOnce(count: number, options: TrafficOptions): Promise<TrafficResult[]> {
  const kinds: TrafficKind[] = ['ask-json-llm', 'ask-stream-llm', 'chat-json', 'chat-stream', 'follow-up']
  return Promise.all(Array.from({ length: count }, (_, index) => send(kinds[index % kinds.length], options.questions[index % options.questions.length], options.questions[(index + 1) % options.questions.length], options)))
}

/**
 * `clients` loops, each sending the kinds in turn (shifted by its number, so every kind is in
 * flight at once) with the questions in turn, until `durationMs` has passed; then the requests in
 * flight are awaited. Every request is accounted for: the results are exactly the requests sent.
 */
export async function runMixedTraffic(options: TrafficOptions): Promise<{ results: TrafficResult[]; sent: number; elapsedMs: number }> {
  const results: TrafficResult[] = []
  let sent = 0
  const started = performance.now()
  const deadline = started + options.durationMs
  await Promise.all(
    Array.from({ length: options.clients }, async (_, client) => {
      for (let turn = 0; performance.now() < deadline; turn++) {
        const kind = TRAFFIC_KINDS[(client + turn) % TRAFFIC_KINDS.length]
        const question = options.questions[(client * 7 + turn) % options.questions.length]
        const previous = options.questions[(client * 7 + turn + 1) % options.questions.length]
        sent++
        results.push(await send(kind, question, previous, options))
      }
    }),
  )
  return { results, sent, elapsedMs: performance.now() - started }
}

/** The p-th percentile (0–100) of `values`, nearest rank. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]
}
