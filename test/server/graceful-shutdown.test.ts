import assert from 'node:assert/strict'
import { createServer, request, type IncomingMessage } from 'node:http'
import { connect, type AddressInfo } from 'node:net'
import { test } from 'node:test'
import { ACCEPT_QUEUED_CONNECTIONS_MS, prepareGracefulStop } from '../../src/server/graceful-shutdown.ts'

function get(port: number, path: string, agent: false | undefined = undefined): Promise<{ response: IncomingMessage; body: string }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, agent }, (response) => {
      let body = ''
      response.on('data', (chunk) => (body += chunk))
      response.on('end', () => resolve({ response, body }))
    })
      .on('error', reject)
      .end()
  })
}

function refused(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.on('connect', () => {
      socket.destroy()
      resolve('connected')
    })
    socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message))
  })
}

/** Resolves once `condition` holds, checked at every turn of the event loop (for a state no event announces), or fails after `timeoutMs`. */
async function until(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`)
    await new Promise((resolve) => setImmediate(resolve))
  }
}

test('a graceful stop finishes the requests in flight with Connection: close, refuses new connections, and closes idle keep-alive ones', async () => {
  // The slow answer and the stream end when the test says, once the refusal has been checked: no timing to hope for.
  let finishInFlight!: () => void
  const released = new Promise<void>((resolve) => (finishInFlight = resolve))
  let arrivedInFlight!: () => void
  const bothArrived = new Promise<void>((resolve) => (arrivedInFlight = resolve))
  let inFlight = 0
  const server = createServer((incoming, response) => {
    if (incoming.url === '/fast') return response.end('answered')
    if (++inFlight === 2) arrivedInFlight()
    if (incoming.url === '/stream') {
      response.writeHead(200, { 'content-type': 'text/event-stream' })
      response.write('event: first\n\n')
      void released.then(() => response.end('event: done\n\n'))
      return
    }
    void released.then(() => response.end('answered'))
  })
  server.keepAliveTimeout = 60_000 // without the stop's own closing, the test would wait a minute
  const stop = prepareGracefulStop(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  // A keep-alive connection left idle, and two requests in flight: a plain one and a stream whose headers are out.
  const idle = await get(port, '/fast')
  assert.equal(idle.response.headers.connection, 'keep-alive')
  const slow = get(port, '/slow', false)
  const stream = get(port, '/stream', false)
  await bothArrived
  let closed = false
  const stopped = new Promise<void>((resolve) => stop(() => ((closed = true), resolve())))
  // The listener stays open ACCEPT_QUEUED_CONNECTIONS_MS for connections already queued, then closes.
  const signalled = Date.now()
  await until(() => !server.listening, 'the listener closes')
  assert.ok(Date.now() - signalled >= ACCEPT_QUEUED_CONNECTIONS_MS - 5, 'queued connections get their window')
  assert.equal(await refused(port), 'ECONNREFUSED', 'no new connections')
  assert.equal(closed, false, 'still serving the requests in flight')

  finishInFlight()
  const slowDone = await slow
  assert.equal(slowDone.body, 'answered')
  assert.equal(slowDone.response.headers.connection, 'close', 'the in-flight answer closes its connection')
  assert.equal((await stream).body, 'event: first\n\nevent: done\n\n', 'the stream ends whole')
  await stopped
  assert.ok(closed, 'every connection, the idle keep-alive one too, is closed')
})
