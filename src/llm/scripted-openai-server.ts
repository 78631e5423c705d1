// A test double of an OpenAI-compatible chat-completions server, shipped beside the LLM code:
// the tests replay scripted replies through it, and `npm run soak` injects its faults with it.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'

/** A request body as the OpenAI chat-completions API receives it (the parts the tests read). */
export interface ChatCompletionRequest {
  model: string
  stream?: boolean
  messages: { role: string; content: string }[]
}

/**
 * One scripted reply. `content` is answered as the client asked: a JSON completion, or SSE chunks
 * when the request has `stream: true`.
 */
export type ScriptedReply =
  | { kind: 'answer'; content: string; delayMs?: number; chunkSize?: number }
  | { kind: 'status'; status: number; headers?: Record<string, string>; delayMs?: number }
  | { kind: 'malformed' }
  /** Streams `chunks` pieces of `content` then destroys the connection. */
  | { kind: 'cut'; content: string; chunks: number }
  /** Sends a first stream chunk (or nothing for JSON) and then never finishes. */
  | { kind: 'hang' }

/** What the server saw of one request. */
export interface RecordedRequest {
  body: ChatCompletionRequest
  /** Resolves true when the client went away before the reply was finished. */
  aborted: Promise<boolean>
}

export interface ScriptedOpenAIServer {
  /** Base URL with `/v1`, for LLM_BASE_URL. */
  baseUrl: string
  /** Every request seen (unless started with `record: false`). */
  requests: RecordedRequest[]
  /** Queues replies, used in order; a reply may depend on the request. With an empty queue the server answers `otherwise`, or 599. */
  script(...replies: (ScriptedReply | ((body: ChatCompletionRequest) => ScriptedReply))[]): void
  /** Replaces the reply given when the queue is empty (undefined: 599). */
  setOtherwise(otherwise: ((body: ChatCompletionRequest) => ScriptedReply) | undefined): void
  /** Requests being answered now, the most at once so far, and all received. */
  readonly inFlight: number
  readonly peakInFlight: number
  readonly received: number
  close(): Promise<void>
}

export interface ScriptedOpenAIServerOptions {
  /** The reply when no scripted one is queued, e.g. a fault mix. Default: 599 "no scripted reply". */
  otherwise?: (body: ChatCompletionRequest) => ScriptedReply
  /** Keep every request in `requests`. Default true; a long soak turns it off. */
  record?: boolean
}

function completion(content: string, model: string) {
  return {
    id: 'chatcmpl-scripted',
    object: 'chat.completion',
    created: 1,
    model,
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop', logprobs: null }],
    usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
  }
}

function streamChunk(content: string | undefined, model: string, finishReason: string | null = null) {
  return `data: ${JSON.stringify({ id: 'chatcmpl-scripted', object: 'chat.completion.chunk', created: 1, model, choices: [{ index: 0, delta: content === undefined ? {} : { content }, finish_reason: finishReason }] })}\n\n`
}

function pieces(text: string, size: number): string[] {
  const characters = [...text]
  const result: string[] = []
  for (let index = 0; index < characters.length; index += size) result.push(characters.slice(index, index + size).join(''))
  return result
}

async function readBody(request: IncomingMessage): Promise<string> {
  let text = ''
  for await (const chunk of request) text += chunk
  return text
}

async function reply(scripted: ScriptedReply, body: ChatCompletionRequest, response: ServerResponse): Promise<void> {
  if ('delayMs' in scripted && scripted.delayMs) await sleep(scripted.delayMs)
  if (response.destroyed) return
  switch (scripted.kind) {
    case 'status':
      response.writeHead(scripted.status, { 'content-type': 'application/json', ...scripted.headers })
      response.end(JSON.stringify({ error: { message: `scripted ${scripted.status}`, type: 'scripted', code: null } }))
      return
    case 'malformed':
      response.writeHead(200, { 'content-type': 'application/json' })
      response.end('{"id": "chatcmpl-scripted", "choices": [{"message": ')
      return
    case 'answer':
      if (!body.stream) {
        response.writeHead(200, { 'content-type': 'application/json' })
        response.end(JSON.stringify(completion(scripted.content, body.model)))
        return
      }
      response.writeHead(200, { 'content-type': 'text/event-stream' })
      for (const piece of pieces(scripted.content, scripted.chunkSize ?? 6)) response.write(streamChunk(piece, body.model))
      response.write(streamChunk(undefined, body.model, 'stop'))
      response.end('data: [DONE]\n\n')
      return
    case 'cut': {
      response.writeHead(200, { 'content-type': 'text/event-stream' })
      for (const piece of pieces(scripted.content, 6).slice(0, scripted.chunks)) response.write(streamChunk(piece, body.model))
      await sleep(20)
      response.destroy()
      return
    }
    case 'hang':
      if (body.stream) {
        response.writeHead(200, { 'content-type': 'text/event-stream' })
        response.write(streamChunk('乡镇', body.model))
      }
      return
  }
}

/** Starts a chat-completions server on 127.0.0.1 (port 0) that answers from a script. */
export async function startScriptedOpenAIServer(options: ScriptedOpenAIServerOptions = {}): Promise<ScriptedOpenAIServer> {
  const queue: (ScriptedReply | ((body: ChatCompletionRequest) => ScriptedReply))[] = []
  const requests: RecordedRequest[] = []
  let otherwise = options.otherwise
  let inFlight = 0
  let peakInFlight = 0
  let received = 0
  const server: Server = createServer(async (request, response) => {
    if (request.method !== 'POST' || !request.url?.endsWith('/chat/completions')) {
      response.writeHead(404).end()
      return
    }
    received++
    peakInFlight = Math.max(peakInFlight, ++inFlight)
    const aborted = new Promise<boolean>((resolve) =>
      response.on('close', () => {
        inFlight--
        resolve(!response.writableFinished)
      }),
    )
    const body = JSON.parse(await readBody(request)) as ChatCompletionRequest
    if (options.record !== false) requests.push({ body, aborted })
    const next = queue.shift() ?? otherwise
    if (!next) {
      response.writeHead(599, { 'content-type': 'application/json' }).end('{"error":{"message":"no scripted reply"}}')
      return
    }
    await reply(typeof next === 'function' ? next(body) : next, body, response)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    script: (...replies) => queue.push(...replies),
    setOtherwise: (reply) => {
      otherwise = reply
    },
    get inFlight() {
      return inFlight
    },
    get peakInFlight() {
      return peakInFlight
    },
    get received() {
      return received
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** The passages the answer prompt gave the model, by number: `[n] (section) text` lines of the last user message. */
export function passagesInPrompt(body: ChatCompletionRequest): Map<number, string> {
  const prompt = body.messages[body.messages.length - 1].content
  const passages = new Map<number, string>()
  for (const match of prompt.matchAll(/^\[(\d+)\] (?:\([^)\n]*\) )?(.*)$/gm)) passages.set(Number(match[1]), match[2])
  return passages
}
