import assert from 'node:assert/strict'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Citeqa } from '../../src/citeqa.ts'
import { createOfflineCiteqa, startServer } from '../helpers/offline-citeqa.ts'
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
  const citeqa = await createOfflineCiteqa({ ...environment, INDEX_DIR: indexDirectory })
  const server = await startServer(citeqa)
  return { citeqa, url: server.baseUrl, close: server.close }
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
