import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { Citeqa } from '../../src/citeqa.ts'
import { createOfflineCiteqa, startServer } from '../helpers/offline-citeqa.ts'

const QUESTION = JSON.stringify({ question: '维修了多少公里沟渠?' })
let citeqa: Citeqa
const servers: Awaited<ReturnType<typeof startServer>>[] = []

before(async () => {
  citeqa = await createOfflineCiteqa()
})
after(() => Promise.all(servers.map((server) => server.close())))

async function serve(options: Parameters<typeof startServer>[1]) {
  const server = await startServer(citeqa, options)
  servers.push(server)
  return server.baseUrl
}

function ask(baseUrl: string, headers: Record<string, string> = {}) {
  return fetch(`${baseUrl}/ask`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: QUESTION })
}

test('RATE_LIMIT_PER_MINUTE=20: 30 rapid /ask from one client get at least 8 × 429 with Retry-After, the RateLimit headers and the error shape', async () => {
  const baseUrl = await serve({ rateLimitPerMinute: 20 })
  const responses = await Promise.all(Array.from({ length: 30 }, () => ask(baseUrl)))
  const limited = responses.filter((response) => response.status === 429)
  assert.equal(responses.filter((response) => response.status === 200).length, 20)
  assert.ok(limited.length >= 8, `${limited.length} × 429`)
  for (const response of limited) {
    const retryAfter = Number(response.headers.get('retry-after'))
    assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`)
    assert.match(response.headers.get('ratelimit') ?? '', /"20-in-1min"; r=0; t=\d+/)
    assert.match(response.headers.get('ratelimit-policy') ?? '', /"20-in-1min"; q=20; w=60/)
    const body = await response.json()
    assert.deepEqual(Object.keys(body), ['error'])
    assert.equal(body.error.code, 'rate_limited')
    assert.match(body.error.message, /20 requests a minute/)
  }
  // Answers carry the headers too, so a client can slow down before it is refused.
  assert.match(responses.find((response) => response.status === 200)!.headers.get('ratelimit') ?? '', /r=\d+/)
  // The page, the article and /health are not counted.
  for (const path of ['/health', '/article', '/']) assert.equal((await fetch(`${baseUrl}${path}`)).status, 200, path)
})

test('with API keys the limit is per key, not per address', async () => {
  const baseUrl = await serve({ rateLimitPerMinute: 3, apiKeys: ['key-one', 'key-two'] })
  const first = await Promise.all(Array.from({ length: 4 }, () => ask(baseUrl, { authorization: 'Bearer key-one' })))
  assert.deepEqual(first.map((response) => response.status).sort(), [200, 200, 200, 429])
  assert.equal((await ask(baseUrl, { authorization: 'Bearer key-two' })).status, 200, 'the other key has its own allowance')
  assert.equal((await fetch(`${baseUrl}/v1/models`, { headers: { authorization: 'Bearer key-one' } })).status, 429, '/v1 shares the allowance')
})

test('TRUST_PROXY decides whether X-Forwarded-For names the client', async () => {
  const direct = await serve({ rateLimitPerMinute: 2 })
  const spoofed = await Promise.all(['10.0.0.1', '10.0.0.2', '10.0.0.3'].map((address) => ask(direct, { 'x-forwarded-for': address })))
  assert.deepEqual(spoofed.map((response) => response.status).sort(), [200, 200, 429], 'without TRUST_PROXY the header is ignored: one client')

  const behindProxy = await serve({ rateLimitPerMinute: 2, trustProxy: 'loopback' })
  const clients = await Promise.all(['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.1', '10.0.0.1'].map((address) => ask(behindProxy, { 'x-forwarded-for': address })))
  assert.deepEqual(clients.map((response) => response.status).sort(), [200, 200, 200, 200, 429], 'behind a trusted proxy each forwarded address is a client')
})
