import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { after, before, test } from 'node:test'
import type { Citeqa } from '../../src/citeqa.ts'
import { apiKeyId, bearerToken, matchApiKey } from '../../src/server/api-keys.ts'
import { createOfflineCiteqa, startServer } from '../helpers/offline-citeqa.ts'

const QUESTION = { question: '维修了多少公里沟渠?' }
let citeqa: Citeqa
let server: Awaited<ReturnType<typeof startServer>>

before(async () => {
  citeqa = await createOfflineCiteqa()
  server = await startServer(citeqa, { apiKeys: ['a', 'b'] })
})
after(() => server.close())

function request(path: string, { key, authorization, body }: { key?: string; authorization?: string; body?: unknown } = {}) {
  const headers: Record<string, string> = {}
  if (key !== undefined) headers.authorization = `Bearer ${key}`
  if (authorization !== undefined) headers.authorization = authorization
  if (body !== undefined) headers['content-type'] = 'application/json'
  return fetch(`${server.baseUrl}${path}`, { method: body === undefined ? 'GET' : 'POST', headers, body: body === undefined ? undefined : JSON.stringify(body) })
}

async function assertUnauthorized(response: Response, invalidToken: boolean) {
  assert.equal(response.status, 401)
  const body = await response.json()
  assert.deepEqual(Object.keys(body), ['error'])
  assert.deepEqual(Object.keys(body.error).sort(), ['code', 'message'])
  assert.equal(body.error.code, 'unauthorized')
  assert.equal(response.headers.get('www-authenticate'), invalidToken ? 'Bearer realm="citeqa", error="invalid_token"' : 'Bearer realm="citeqa"')
  assert.ok(response.headers.get('x-request-id'), 'a refused request has its id too')
}

test('with API_KEYS=a,b: /ask without a key or with a wrong one is 401 in the error shape; with Bearer b it answers', async () => {
  await assertUnauthorized(await request('/ask', { body: QUESTION }), false)
  await assertUnauthorized(await request('/ask', { key: 'c', body: QUESTION }), true)
  await assertUnauthorized(await request('/ask', { key: 'ab', body: QUESTION }), true)
  await assertUnauthorized(await request('/ask', { authorization: 'Basic YTpi', body: QUESTION }), true)
  const answered = await request('/ask', { key: 'b', body: QUESTION })
  assert.equal(answered.status, 200)
  assert.match((await answered.json()).answer, /7公里/)
  // The scheme is case-insensitive (RFC 7235).
  assert.equal((await request('/ask', { authorization: 'bearer a', body: QUESTION })).status, 200)
})

test('the OpenAI-compatible routes need the key; /health, the page and the article stay open', async () => {
  await assertUnauthorized(await request('/v1/chat/completions', { body: { model: 'citeqa', messages: [{ role: 'user', content: QUESTION.question }] } }), false)
  await assertUnauthorized(await request('/v1/models'), false)
  assert.equal((await request('/v1/models', { key: 'a' })).status, 200)
  const completion = await request('/v1/chat/completions', { key: 'a', body: { model: 'citeqa', messages: [{ role: 'user', content: QUESTION.question }] } })
  assert.equal(completion.status, 200)

  const health = await request('/health')
  assert.equal(health.status, 200)
  const healthText = await health.text()
  assert.equal(JSON.parse(healthText).status, 'ok')
  assert.doesNotMatch(healthText, /"a"|"b"|api_?keys|authorization|\/tmp|\/work|index-/i, '/health names no key and no path')
  for (const path of ['/', '/article', '/outline', '/passages/21']) assert.equal((await request(path)).status, 200, path)
})

test('/metrics needs the key too (traffic and spend are the owner’s business)', async () => {
  await assertUnauthorized(await request('/metrics'), false)
  assert.equal((await request('/metrics', { key: 'b' })).status, 200)
})

test('a refused request is not read: a huge or broken body still gets 401, not 413 or 400', async () => {
  const broken = await fetch(`${server.baseUrl}/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"question": ' })
  await assertUnauthorized(broken, false)
})

test('keys are matched by digest in constant time; their ids are safe to log', () => {
  const keys = ['first-key', 'second-key'].map((key) => ({ id: apiKeyId(key), digest: Buffer.from(sha256(key), 'hex') }))
  assert.equal(matchApiKey('second-key', keys), apiKeyId('second-key'))
  assert.equal(matchApiKey('second-ke', keys), undefined)
  assert.equal(matchApiKey('', keys), undefined)
  assert.match(apiKeyId('first-key'), /^key-[0-9a-f]{8}$/)
  assert.doesNotMatch(apiKeyId('first-key'), /first/)
  assert.equal(bearerToken('Bearer  abc '), 'abc')
  assert.equal(bearerToken('Bearer a b'), undefined)
  assert.equal(bearerToken('Token abc'), undefined)
  assert.equal(bearerToken(undefined), undefined)
})

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}
