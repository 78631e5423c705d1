import type { Request, RequestHandler, Response } from 'express'
import { Router } from 'express'
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client'
import type { AnswerBody } from '../ask/types.ts'
import type { LlmAnswerer } from '../llm/llm-answerer.ts'
import { methodNotAllowed, READ_ONLY } from './method-not-allowed.ts'

/** Routes by their path pattern, so a label never holds a client's path (`/passages/:paragraph`, not `/passages/31`). */
const KNOWN_ROUTES: [RegExp, string][] = [
  [/^\/ask\/?$/, '/ask'],
  [/^\/v1\/chat\/completions\/?$/, '/v1/chat/completions'],
  [/^\/v1\/models\/?$/, '/v1/models'],
  [/^\/passages\/[^/]*$/, '/passages/:paragraph'],
  [/^\/(article|outline|health|metrics)\/?$/, '/$1'],
]

/** Routes whose requests are answers: their duration goes into the latency histogram. */
const ANSWER_ROUTES = new Set(['/ask', '/v1/chat/completions'])

/** Seconds, from a 5 ms extractive answer to a minute-long LLM stream. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]

/** The label of a request's route: the matched pattern, a known route, `page` for the chat page's files, `unmatched` for the rest. */
export function routeLabel(request: Request, status: number): string {
  const path = (request.originalUrl ?? request.url).split('?')[0]
  for (const [pattern, label] of KNOWN_ROUTES) if (pattern.test(path)) return path.replace(pattern, label)
  if (request.route?.path && typeof request.route.path === 'string') return `${request.baseUrl}${request.route.path}`
  return status < 400 ? 'page' : 'unmatched'
}

/** The stable part of a fallback reason (`llm_timeout: LLM: no complete answer…` → `llm_timeout`). */
export function reasonCode(reason: string): string {
  return /^[a-z_0-9]+/.exec(reason)?.[0] ?? 'unknown'
}

/**
 * The service's Prometheus metrics (prom-client), in a registry of its own — one per app, so
 * tests that build several apps do not share counts:
 * - `citeqa_http_requests_total{route, method, status}`
 * - `citeqa_ask_duration_seconds{route, mode}` — `/ask` and `/v1/chat/completions`, to the last byte (streams included)
 * - `citeqa_answers_total{mode, scope}`, `citeqa_refusals_total{mode}`
 * - `citeqa_answers_cached_total` — answers given again from the answer cache (counted in `citeqa_answers_total` too)
 * - `citeqa_llm_fallbacks_total{reason}` — answers that fell back to extractive, by `llm_*` code
 * - `citeqa_llm_tokens_total{kind}` — `prompt`/`completion` tokens, when the provider reports them
 * - `citeqa_llm_calls_active`, `citeqa_llm_calls_waiting` — the LLM_MAX_CONCURRENCY slots
 * - Node's process metrics (`process_resident_memory_bytes`, `nodejs_heap_size_used_bytes`, event loop lag, …)
 */
export class ServiceMetrics {
  readonly registry = new Registry()
  private readonly requests = new Counter({ name: 'citeqa_http_requests_total', help: 'HTTP requests by route, method and status', labelNames: ['route', 'method', 'status'] as const, registers: [this.registry] })
  private readonly askDuration = new Histogram({ name: 'citeqa_ask_duration_seconds', help: 'Time to answer /ask and /v1/chat/completions, to the last byte', labelNames: ['route', 'mode'] as const, buckets: LATENCY_BUCKETS, registers: [this.registry] })
  private readonly answers = new Counter({ name: 'citeqa_answers_total', help: 'Answers given, by the mode that produced them and their scope', labelNames: ['mode', 'scope'] as const, registers: [this.registry] })
  private readonly cachedAnswers = new Counter({ name: 'citeqa_answers_cached_total', help: 'Answers given again from the answer cache', registers: [this.registry] })
  private readonly refusals = new Counter({ name: 'citeqa_refusals_total', help: 'Answers that said the documents do not answer the question', labelNames: ['mode'] as const, registers: [this.registry] })
  private readonly llmFallbacks = new Counter({ name: 'citeqa_llm_fallbacks_total', help: 'LLM answers that fell back to the extractive answer, by reason', labelNames: ['reason'] as const, registers: [this.registry] })
  private readonly llmTokens = new Counter({ name: 'citeqa_llm_tokens_total', help: 'LLM tokens, as the provider reports them (not every provider does for streams)', labelNames: ['kind'] as const, registers: [this.registry] })

  constructor({ processMetrics = true }: { processMetrics?: boolean } = {}) {
    if (processMetrics) collectDefaultMetrics({ register: this.registry })
  }

  /** Counts the LLM's tokens and exposes its concurrency slots. */
  observeLlm(llm: LlmAnswerer | undefined): void {
    if (!llm) return
    llm.onUsage(({ promptTokens, completionTokens }) => {
      if (promptTokens > 0) this.llmTokens.inc({ kind: 'prompt' }, promptTokens)
      if (completionTokens > 0) this.llmTokens.inc({ kind: 'completion' }, completionTokens)
    })
    const limit = llm.options.concurrency
    if (!limit) return
    new Gauge({ name: 'citeqa_llm_calls_active', help: 'LLM calls running now (at most LLM_MAX_CONCURRENCY)', registers: [this.registry], collect() { this.set(limit.active) } })
    new Gauge({ name: 'citeqa_llm_calls_waiting', help: 'LLM calls waiting for a free slot now (each at most LLM_MAX_WAIT_MS)', registers: [this.registry], collect() { this.set(limit.waiting) } })
  }

  /** Counts every request when its response is over (sent, or the client gone), and the answer it carried (`response.locals.answer`). */
  middleware(): RequestHandler {
    return (request, response, next) => {
      const started = process.hrtime.bigint()
      response.once('close', () => this.recordRequest(request, response, Number(process.hrtime.bigint() - started) / 1e9))
      next()
    }
  }

  private recordRequest(request: Request, response: Response, seconds: number): void {
    const route = routeLabel(request, response.statusCode)
    this.requests.inc({ route, method: request.method, status: String(response.statusCode) })
    const answer = response.locals.answer as AnswerBody | undefined
    if (ANSWER_ROUTES.has(route) && response.statusCode < 400) this.askDuration.observe({ route, mode: answer?.mode ?? 'none' }, seconds)
    if (!answer) return
    this.answers.inc({ mode: answer.mode, scope: answer.scope })
    if (answer.cached) this.cachedAnswers.inc()
    if (!answer.answerable) this.refusals.inc({ mode: answer.mode })
    if (answer.degraded && answer.reason) this.llmFallbacks.inc({ reason: reasonCode(answer.reason) })
  }

  /** `GET /metrics` in the Prometheus text format. */
  route(): Router {
    return Router()
      .get('/metrics', async (_request, response) => {
        response.type(this.registry.contentType).send(await this.registry.metrics())
      })
      .all('/metrics', methodNotAllowed(...READ_ONLY))
  }
}
