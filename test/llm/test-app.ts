import assert from 'node:assert/strict'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createCiteqa, type Citeqa } from '../../src/citeqa.ts'
import { parseConfig } from '../../src/config.ts'
import { silentLogger } from '../../src/logger.ts'
import { createApp } from '../../src/server/app.ts'
import type { Citation } from '../../src/answer/types.ts'

/** One temp index folder per test file: the first Citeqa builds it (~3 s), later ones load it. */
export function temporaryIndexDirectory(): string {
  return mkdtempSync(join(tmpdir(), 'citeqa-test-index-'))
}

export interface RunningApp {
  citeqa: Citeqa
  url: string
  close(): Promise<void>
}

/** A real Citeqa (offline embedder) behind the real app, listening on 127.0.0.1 port 0. */
export async function startApp(indexDirectory: string, environment: Record<string, string> = {}): Promise<RunningApp> {
  const config = parseConfig({ EMBEDDINGS: 'offline', INDEX_DIR: indexDirectory, LOG_LEVEL: 'silent', ...environment })
  const citeqa = await createCiteqa(config, { logger: silentLogger })
  const app = createApp({ citeqa, logger: silentLogger, maxQuestionLength: config.MAX_QUESTION_LENGTH })
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening))
  })
  const { port } = server.address() as AddressInfo
  return {
    citeqa,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** Citation integrity: each citation's text is its paragraph's text at [start, end). */
export function assertCitationsIntact(citeqa: Citeqa, citations: Citation[]): void {
  for (const citation of citations) {
    assert.equal(citeqa.paragraph(citation.paragraph, citation.docId).text.slice(citation.start, citation.end), citation.text, `citation [${citation.n}]`)
  }
}

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) })
}

export interface ServerSentEvent {
  event: string
  data: any
}

/** Reads SSE events from a response body in order, as they arrive. */
export async function* readServerSentEvents(response: Response): AsyncGenerator<ServerSentEvent> {
  const decoder = new TextDecoder()
  let buffer = ''
  for await (const bytes of response.body as ReadableStream<Uint8Array>) {
    buffer += decoder.decode(bytes, { stream: true })
    let boundary: number
    while ((boundary = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, boundary)
      buffer = buffer.slice(boundary + 2)
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message'
      const data = block
        .split('\n')
        .filter((line) => line.startsWith('data: '))
        .map((line) => line.slice(6))
        .join('\n')
      yield { event, data: JSON.parse(data) }
    }
  }
}

export async function collectServerSentEvents(response: Response): Promise<ServerSentEvent[]> {
  const events: ServerSentEvent[] = []
  for await (const event of readServerSentEvents(response)) events.push(event)
  return events
}
