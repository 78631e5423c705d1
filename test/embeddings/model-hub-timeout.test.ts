import assert from 'node:assert/strict'
import { mkdtemp } from 'node:fs/promises'
import { createServer as createHttpServer } from 'node:http'
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { parseConfig } from '../../src/config.ts'
import { withBoundedHubRequests } from '../../src/embeddings/bounded-hub-requests.ts'
import { createEmbeddings } from '../../src/embeddings/create-embeddings.ts'
import { TransformersEmbeddings } from '../../src/embeddings/transformers-embeddings.ts'
import { CiteqaError } from '../../src/errors.ts'
import type { Logger } from '../../src/logger.ts'
import type { QueryTranslator } from '../../src/text/query-translator.ts'

// A hub that accepts connections and never answers — what a proxy that holds requests, or a
// network that drops packets, looks like to the model download. Start-up must not wait on it.

/** A loopback server that accepts every connection and never answers. */
async function silentHub(): Promise<{ url: string; connections: () => number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>()
  let accepted = 0
  const server: Server = createServer((socket) => {
    accepted += 1
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/`,
    connections: () => accepted,
    close: async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

async function scratchFolder(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'citeqa-hub-'))
}

test('a hub that never answers fails the model load within the bound', async () => {
  const hub = await silentHub()
  const folder = await scratchFolder()
  const requests: string[] = []
  try {
    const model = new TransformersEmbeddings({
      localModelPath: join(folder, 'models'),
      cacheDir: join(folder, 'cache'),
      remoteHost: hub.url,
      hubTimeoutMs: 300,
      onHubRequest: (url) => requests.push(url),
    })
    const started = performance.now()
    await assert.rejects(model.dimensions(), (error: CiteqaError) => {
      assert.equal(error.code, 'EMBEDDINGS_MODEL_UNAVAILABLE')
      assert.match(error.message, new RegExp(`not in .*models, and ${hub.url.replace(/[./]/g, '\\$&')} did not answer within 0\\.3 s`))
      return true
    })
    assert.ok(performance.now() - started < 3000, `gave up after ${Math.round(performance.now() - started)} ms`)
    assert.ok(requests.length > 0 && requests.every((url) => url.startsWith(`${hub.url}Xenova/multilingual-e5-small/resolve/main/`)), requests.join('\n'))
    assert.ok(hub.connections() > 0, 'the hub was asked')
    assert.equal(globalThis.fetch.name, 'fetch', 'the global fetch is restored')
  } finally {
    await hub.close()
  }
})

test('EMBEDDINGS=auto with an unreachable hub says what it tries in one line, then falls back to the offline embedder with one warning, once a process', async () => {
  const hub = await silentHub()
  const folder = await scratchFolder()
  const lines: { level: string; message: string }[] = []
  const record = (level: string) => (object: object | string, message?: string) => void lines.push({ level, message: typeof object === 'string' ? object : String(message) })
  const logger: Logger = { info: record('info'), warn: record('warn'), error: record('error') }
  try {
    const config = parseConfig({ EMBEDDINGS: 'auto', LOCAL_MODEL_PATH: join(folder, 'models'), MODEL_CACHE_DIR: join(folder, 'cache'), MODEL_HUB_URL: hub.url, MODEL_HUB_TIMEOUT_MS: '500' })
    const started = performance.now()
    const embeddings = await createEmbeddings(config, { corpus: ['维修沟渠7公里'], translator: {} as QueryTranslator /* never asked: nothing English is embedded */ }, logger)
    assert.ok(performance.now() - started < 4000, `fell back after ${Math.round(performance.now() - started)} ms`)
    assert.equal(embeddings.id, 'offline-hashing-v1:1024')
    assert.deepEqual(lines.map(({ level }) => level), ['info', 'warn'])
    assert.equal(lines[0].message, `fetching embedding model Xenova/multilingual-e5-small from ${hub.url} (no copy in ${join(folder, 'models')} or the cache; giving up if it does not answer within 0.5 s)`)
    assert.equal(
      lines[1].message,
      `embedding model Xenova/multilingual-e5-small is unavailable (not in ${join(folder, 'models')}, and ${hub.url} did not answer within 0.5 s); using the offline embedder (EMBEDDINGS=offline skips this attempt)`,
    )
    assert.doesNotMatch(lines[1].message, /\n/)

    // A second corpus in the same process (npm run eval opens several) does not wait on the hub again, nor warn again.
    const connections = hub.connections()
    const again = performance.now()
    const second = await createEmbeddings(config, { corpus: ['整治塘堰'], translator: {} as QueryTranslator }, logger)
    assert.equal(second.id, 'offline-hashing-v1:1024')
    assert.ok(performance.now() - again < 200)
    assert.equal(lines.length, 2)
    assert.equal(hub.connections(), connections)
  } finally {
    await hub.close()
  }
})

test('a download that stalls fails after the stall bound; other requests are not bounded and the global fetch comes back', async () => {
  // Answers at once with the first bytes of a large file, then sends nothing more.
  const server = createHttpServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': '1000000' })
    response.write(Buffer.alloc(1000))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const hubUrl = `http://127.0.0.1:${port}/hub/`
  const unboundedFetch = globalThis.fetch
  try {
    const started = performance.now()
    await assert.rejects(
      withBoundedHubRequests({ hubUrl, answerTimeoutMs: 1000, stallTimeoutMs: 200 }, async () => {
        const response = await fetch(`${hubUrl}model/resolve/main/onnx/model_quantized.onnx`)
        assert.equal(response.status, 200)
        return response.arrayBuffer()
      }),
      (error: CiteqaError) => error.code === 'model_hub_timeout' && /the download from .* stalled for 0\.2 s/.test(error.message),
    )
    assert.ok(performance.now() - started < 2000)

    // A request elsewhere (the LLM, another server) is left to its own timeouts: the body still streams when the bound would have struck.
    const other = await withBoundedHubRequests({ hubUrl, answerTimeoutMs: 50, stallTimeoutMs: 50 }, async () => {
      const response = await fetch(`http://127.0.0.1:${port}/elsewhere`)
      await new Promise((resolve) => setTimeout(resolve, 150))
      const reader = response.body!.getReader()
      const { value } = await reader.read()
      await reader.cancel()
      return value?.length
    })
    assert.equal(other, 1000)
    assert.equal(globalThis.fetch, unboundedFetch)
  } finally {
    server.closeAllConnections()
    server.close()
  }
})
