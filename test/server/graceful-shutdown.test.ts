import assert from 'node:assert/strict'
import { createServer, request, type IncomingMessage } from 'node:http'
import { connect, type AddressInfo } from 'node:net'
import { test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
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

test('a graceful stop finishes the requests in flight with Connection: close, refuses new connections, and closes idle keep-alive ones', async () => {
  const server = createServer((incoming, response) => {
    if (incoming.url === '/stream') {
      response.writeHead(200, { 'content-type': 'text/event-stream' })
      response.write('event: first\n\n')
      setTimeout(() => response.end('event: done\n\n'), 500)
      return
    }
    setTimeout(() => response.end('answered'), incoming.url === '/slow' ? 500 : 0)
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
  await sleep(100)
  let closed = false
  const stopped = new Promise<void>((resolve) => stop(() => ((closed = true), resolve())))
  await sleep(ACCEPT_QUEUED_CONNECTIONS_MS + 100)
  assert.equal(await refused(port), 'ECONNREFUSED', 'no new connections')

  const slowDone = await slow
  assert.equal(slowDone.body, 'answered')
  assert.equal(slowDone.response.headers.connection, 'close', 'the in-flight answer closes its connection')
  assert.equal((await stream).body, 'event: first\n\nevent: done\n\n', 'the stream ends whole')
  await stopped
  assert.ok(closed, 'every connection, the idle keep-alive one too, is closed')
})
