import { request as httpRequest } from 'node:http'
import { gzipSync } from 'node:zlib'

/** One generated bad request: sent as written (paths are not normalized, bodies are raw bytes). */
export interface BadRequest {
  /** What is wrong with it, for the report. */
  label: string
  method: string
  path: string
  headers: Record<string, string>
  body?: Buffer | string
}

export interface RawResponse {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

/** Sends one request over its own connection with node:http, which sends path and bytes exactly as given. */
export function sendRaw(baseUrl: string, { method, path, headers, body }: Omit<BadRequest, 'label'>, timeoutMs = 15_000): Promise<RawResponse> {
  const { hostname, port } = new URL(baseUrl)
  return new Promise((resolve, reject) => {
    // A length for every body: node:http would send a DELETE's body without one, and the server would read it as the next request.
    const length = body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) }
    const request = httpRequest({ host: hostname, port, method, path, headers: { connection: 'close', ...length, ...headers }, agent: false, timeout: timeoutMs }, (response) => {
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }))
      response.on('error', reject)
    })
    request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)))
    request.on('error', reject)
    request.end(body)
  })
}

const JSON_TYPE = { 'content-type': 'application/json' }

/**
 * At least 300 bad requests across every route: missing and wrong keys, every field of `/ask` and
 * `/v1/chat/completions` mistyped or out of range, broken JSON and bytes, bodies over the limit,
 * odd content types and encodings, wrong methods, path tricks on `/passages` and the static page,
 * bad `?doc=`, unknown routes.
 */
export function generateBadRequests(apiKey: string): BadRequest[] {
  const auth = { authorization: `Bearer ${apiKey}` }
  const requests: BadRequest[] = []
  const add = (label: string, method: string, path: string, headers: Record<string, string> = {}, body?: Buffer | string) => requests.push({ label, method, path, headers, body })
  const askQuestion = JSON.stringify({ question: '维修了多少公里沟渠?' })
  const chatBody = JSON.stringify({ model: 'citeqa', messages: [{ role: 'user', content: '维修了多少公里沟渠?' }] })

  // Keys: none, wrong, malformed, on every keyed route.
  const keyedRoutes: [string, string, string | undefined][] = [['POST', '/ask', askQuestion], ['POST', '/v1/chat/completions', chatBody], ['GET', '/v1/models', undefined], ['GET', '/metrics', undefined]]
  const badAuthorizations: [string, Record<string, string>][] = [
    ['no key', {}],
    ['wrong key', { authorization: 'Bearer not-the-key' }],
    ['key prefix', { authorization: `Bearer ${apiKey.slice(0, -1)}` }],
    ['key plus a character', { authorization: `Bearer ${apiKey}x` }],
    ['Basic scheme', { authorization: `Basic ${Buffer.from(`user:${apiKey}`).toString('base64')}` }],
    ['Bearer without a token', { authorization: 'Bearer' }],
    ['two tokens', { authorization: `Bearer ${apiKey} ${apiKey}` }],
    ['a 6 KB key', { authorization: `Bearer ${'k'.repeat(6000)}` }],
    ['the key in X-Api-Key only', { 'x-api-key': apiKey }],
  ]
  for (const [method, path, body] of keyedRoutes) {
    for (const [label, headers] of badAuthorizations) add(`${method} ${path}: ${label}`, method, path, body ? { ...JSON_TYPE, ...headers } : headers, body)
  }

  // /ask: every field mistyped or out of range.
  const askFields: [string, unknown[]][] = [
    ['question', [undefined, null, 1, true, [], {}, '', '   ', 'x'.repeat(2001), ['维修']]],
    ['mode', [null, 'fast', 'LLM', 1, true, []]],
    ['topK', [0, -1, 21, 1.5, '5', null, 1e9, Number.MAX_SAFE_INTEGER + 2]],
    ['history', ['text', {}, [{}], [{ role: 'system', content: 'x' }], [{ role: 'user' }], [{ role: 'user', content: 1 }], [{ role: 'user', content: 'x', extra: 1 }], Array.from({ length: 21 }, () => ({ role: 'user', content: 'x' })), [{ role: 'user', content: 'x'.repeat(8001) }], [null]]],
    ['stream', ['yes', 1, null, 'true']],
    ['topk', [5]],
    ['questions', ['维修']],
  ]
  for (const [field, values] of askFields) {
    for (const value of values) {
      const body = field === 'question' ? { question: value } : { question: '维修了多少公里沟渠?', [field]: value }
      add(`/ask: ${field} = ${JSON.stringify(value)?.slice(0, 30)}`, 'POST', '/ask', { ...JSON_TYPE, ...auth }, JSON.stringify(body))
    }
  }
  // The same with a stream asked for: validation still comes first, as plain JSON.
  for (const [field, values] of askFields.slice(0, 3)) {
    for (const value of values) {
      const body = field === 'question' ? { question: value, stream: true } : { question: '维修了多少公里沟渠?', stream: true, [field]: value }
      add(`/ask streamed: ${field} = ${JSON.stringify(value)?.slice(0, 30)}`, 'POST', '/ask', { ...JSON_TYPE, ...auth, accept: 'text/event-stream' }, JSON.stringify(body))
    }
  }

  // Broken JSON and bytes, for both JSON routes.
  const brokenBodies: [string, Buffer | string][] = [
    ['truncated object', '{"question": '],
    ['a lone brace', '{'],
    ['null', 'null'],
    ['an array', '[]'],
    ['a string', '"维修了多少公里沟渠?"'],
    ['a number', '123'],
    ['true', 'true'],
    ['single quotes', "{'question': 'x'}"],
    ['trailing comma', '{"question": "x",}'],
    ['comments', '{"question": "x" /* hi */}'],
    ['NUL bytes', '\u0000\u0000\u0000'],
    ['invalid UTF-8', Buffer.from([0x7b, 0x22, 0x71, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc0, 0xaf, 0x22, 0x7d])],
    ['a UTF-16 body', Buffer.from('{"question":"x"}', 'utf16le')],
    ['empty', ''],
    ['deep nesting', `${'['.repeat(5000)}${']'.repeat(5000)}`],
    ['duplicate keys', '{"question": "x", "question": 1}'],
    ['__proto__', '{"question": "维修了多少公里沟渠?", "__proto__": {"admin": true}}'],
    ['constructor', '{"question": "维修了多少公里沟渠?", "constructor": {"prototype": {"x": 1}}}'],
  ]
  for (const path of ['/ask', '/v1/chat/completions']) {
    for (const [label, body] of brokenBodies) add(`${path}: ${label}`, 'POST', path, { ...JSON_TYPE, ...auth }, body)
    // Over the 64 KB limit, as JSON and as a question.
    add(`${path}: a 70 KB body`, 'POST', path, { ...JSON_TYPE, ...auth }, JSON.stringify({ question: 'x'.repeat(70_000) }))
    add(`${path}: 70 KB of garbage`, 'POST', path, { ...JSON_TYPE, ...auth }, Buffer.alloc(70_000, 0x41))
    // Odd content types and encodings.
    const contentTypes = ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/json; charset=latin1', 'application/json; charset=utf-16', 'application/octet-stream', 'image/png', 'application/jsonx', '']
    for (const contentType of contentTypes) {
      const headers: Record<string, string> = { ...auth }
      if (contentType) headers['content-type'] = contentType
      add(`${path}: content type "${contentType}"`, 'POST', path, headers, path === '/ask' ? askQuestion : chatBody)
    }
    add(`${path}: gzip that is not gzip`, 'POST', path, { ...JSON_TYPE, ...auth, 'content-encoding': 'gzip' }, 'not gzip at all')
    add(`${path}: brotli`, 'POST', path, { ...JSON_TYPE, ...auth, 'content-encoding': 'br' }, askQuestion)
    add(`${path}: a gzip bomb over the limit`, 'POST', path, { ...JSON_TYPE, ...auth, 'content-encoding': 'gzip' }, gzipSync(Buffer.from(JSON.stringify({ question: 'x'.repeat(2_000_000) }))))
    add(`${path}: unknown encoding`, 'POST', path, { ...JSON_TYPE, ...auth, 'content-encoding': 'rot13' }, askQuestion)
    // Wrong methods.
    for (const method of ['GET', 'PUT', 'PATCH', 'DELETE']) add(`${method} ${path}`, method, path, { ...JSON_TYPE, ...auth }, method === 'GET' ? undefined : askQuestion)
  }

  // /v1/chat/completions: the body's fields.
  const chatBodies: [string, unknown][] = [
    ['no model', { messages: [{ role: 'user', content: 'x' }] }],
    ['empty model', { model: '', messages: [{ role: 'user', content: 'x' }] }],
    ['unknown model', { model: 'gpt-5', messages: [{ role: 'user', content: 'x' }] }],
    ['model is a number', { model: 4, messages: [{ role: 'user', content: 'x' }] }],
    ['no messages', { model: 'citeqa' }],
    ['messages is a string', { model: 'citeqa', messages: 'x' }],
    ['messages is empty', { model: 'citeqa', messages: [] }],
    ['no user message', { model: 'citeqa', messages: [{ role: 'system', content: 'x' }] }],
    ['empty last user message', { model: 'citeqa', messages: [{ role: 'user', content: '  ' }] }],
    ['content is a number', { model: 'citeqa', messages: [{ role: 'user', content: 5 }] }],
    ['content parts without text', { model: 'citeqa', messages: [{ role: 'user', content: [{ type: 'image_url' }] }] }],
    ['content parts malformed', { model: 'citeqa', messages: [{ role: 'user', content: [1, 2] }] }],
    ['message without role', { model: 'citeqa', messages: [{ content: 'x' }] }],
    ['message is null', { model: 'citeqa', messages: [null] }],
    ['question too long', { model: 'citeqa', messages: [{ role: 'user', content: 'x'.repeat(2001) }] }],
    ['stream is a string', { model: 'citeqa', stream: 'yes', messages: [{ role: 'user', content: 'x' }] }],
    ['streamed and no messages', { model: 'citeqa', stream: true, messages: [] }],
    ['history turn too long', { model: 'citeqa', messages: [{ role: 'assistant', content: 'x'.repeat(8001) }, { role: 'user', content: 'x' }] }],
  ]
  for (const [label, body] of chatBodies) {
    add(`/v1/chat/completions: ${label}`, 'POST', '/v1/chat/completions', { ...JSON_TYPE, ...auth }, JSON.stringify(body))
    if (label !== 'stream is a string') add(`/v1/chat/completions streamed: ${label}`, 'POST', '/v1/chat/completions', { ...JSON_TYPE, ...auth }, JSON.stringify({ ...(body as object), stream: true }))
  }

  // /passages/:paragraph and ?doc=: numbers out of range, not numbers, path tricks.
  const paragraphs = ['0', '-1', '25', '999999', '1e9', '99999999999999999999999', '1.5', 'abc', 'NaN', 'Infinity', '0x10', '%20', '1%00', '%2e%2e', '..%2f..%2fetc%2fpasswd', '..%252f..%252fpackage.json', '%c0%ae%c0%ae', '1;rm -rf', '<script>', "1' OR '1'='1", '${7*7}', '__proto__', 'constructor']
  for (const paragraph of paragraphs) add(`/passages/${paragraph}`, 'GET', `/passages/${paragraph.replaceAll(' ', '%20')}`)
  for (const suffix of ['/', '/1/2', '/1/..', '/../../etc/passwd']) add(`/passages${suffix}`, 'GET', `/passages${suffix}`)
  const documents = ['nope', '../../etc/passwd', '%00', '', '%2e%2e%2fpackage.json', 'article%00.txt', 'x'.repeat(3000)]
  for (const route of ['/passages/1', '/article', '/outline']) {
    for (const doc of documents) add(`${route}?doc=${doc.slice(0, 20)}`, 'GET', `${route}?doc=${doc}`)
    add(`${route}?doc[]=a`, 'GET', `${route}?doc[]=a&doc[]=b`)
    add(`${route}?doc[x]=a`, 'GET', `${route}?doc[x]=a`)
    add(`${route}?doc twice`, 'GET', `${route}?doc=article&doc=article`)
  }

  // The static page: traversal and odd paths.
  const pagePaths = ['/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/..%2f..%2fpackage.json', '/public/../package.json', '/.env', '/.git/config', '/package.json', '/src/main.ts', '/index.html/..', '/styles.css%00.js', '//etc/passwd', '/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd', '/app.js/x', '/%ff', '/%', '/%zz', `/${'a'.repeat(3000)}`, '/index.html?x=%', '/favicon.svg/..%2f..%2f..%2fetc%2fpasswd', '/node_modules/express/package.json']
  for (const path of pagePaths) add(`page ${path.slice(0, 30)}`, 'GET', path)

  // Unknown routes and methods.
  const unknown: [string, string][] = [['GET', '/admin'], ['GET', '/v1/embeddings'], ['POST', '/v1/embeddings'], ['GET', '/v2/ask'], ['POST', '/health'], ['DELETE', '/article'], ['PUT', '/outline'], ['POST', '/passages/1'], ['GET', '/ask/'], ['GET', '/ASK'], ['POST', '/metrics'], ['GET', '/v1/models/citeqa'], ['GET', '/v1'], ['TRACE', '/ask'], ['GET', '/health/..'], ['GET', '/metrics/../.env']]
  for (const [method, path] of unknown) add(`${method} ${path}`, method, path, method === 'POST' ? { ...JSON_TYPE, ...auth } : auth, method === 'POST' ? askQuestion : undefined)
  return requests
}

/**
 * What makes a response to a bad request wrong: a 5xx, another error shape, or a leak — a stack
 * trace, or one of `leaks` (the project's folder, the key) that the request did not itself send.
 */
export function problemsOf(response: RawResponse, request: Pick<BadRequest, 'method' | 'path'>, leaks: string[]): string[] {
  const { method } = request
  const problems: string[] = []
  if (response.status >= 500 || response.status === 0) problems.push(`status ${response.status}`)
  if (response.status >= 400 && method !== 'HEAD') {
    let body: unknown
    try {
      body = JSON.parse(response.body)
    } catch {
      problems.push(`not JSON: ${response.body.slice(0, 60)}`)
    }
    const error = (body as { error?: Record<string, unknown> } | undefined)?.error
    const shaped = body !== null && typeof body === 'object' && Object.keys(body).length === 1 && typeof error === 'object' && error !== null &&
      Object.keys(error).sort().join(',') === 'code,message' && typeof error.code === 'string' && typeof error.message === 'string'
    if (body !== undefined && !shaped) problems.push(`not the error shape: ${response.body.slice(0, 80)}`)
  }
  if (/\n\s+at [\w.<]/.test(response.body) || /\bat (?:async )?\w+ \(/.test(response.body)) problems.push('a stack trace')
  for (const leak of leaks) if (leak && response.body.includes(leak) && !decodeURIComponentSafe(request.path).includes(leak)) problems.push(`leaks "${leak.slice(0, 20)}"`)
  return problems
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}
