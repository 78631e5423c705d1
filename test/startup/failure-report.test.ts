import assert from 'node:assert/strict'
import { PassThrough } from 'node:stream'
import { test } from 'node:test'
import { parseConfig } from '../../src/config.ts'
import { CiteqaError } from '../../src/errors.ts'
import { describeFailure } from '../../src/exit-on-failure.ts'
import { createCliLogger } from '../../src/logger.ts'

function configError(environment: Record<string, string>): unknown {
  try {
    parseConfig(environment)
  } catch (error) {
    return error
  }
  assert.fail('expected the config to be refused')
}

test('a config error is one line naming the variable, its value (never a secret) and what to do', () => {
  const error = configError({ PORT: '70000', LLM_API_KEY: '', API_KEYS: 'has space' })
  assert.ok(error instanceof CiteqaError && error.code === 'invalid_config')
  assert.equal(
    describeFailure(error, 'citeqa', { debug: false }),
    'citeqa: Config: PORT="70000": expected a number at most 65535; API_KEYS: API keys are visible ASCII characters without spaces or commas. ' +
      'Fix it in .env or in the environment (.env.example describes every variable).',
  )
  assert.match(describeFailure(configError({ LLM_PROVIDER: 'openai' }), 'citeqa', { debug: false }), /^citeqa: Config: LLM_MODEL is required when LLM_PROVIDER is openai\. Fix it/)
})

test('INDEX_STORE=postgres needs a postgres:// DATABASE_URL, named in one line and never echoed (it may hold a password)', () => {
  assert.match(describeFailure(configError({ INDEX_STORE: 'postgres' }), 'citeqa', { debug: false }), /^citeqa: Config: DATABASE_URL is required when INDEX_STORE is postgres/)
  const wrongScheme = describeFailure(configError({ INDEX_STORE: 'postgres', DATABASE_URL: 'mysql://user:secret@db/citeqa' }), 'citeqa', { debug: false })
  assert.match(wrongScheme, /^citeqa: Config: DATABASE_URL: expected a postgres:\/\/ or postgresql:\/\/ URL/)
  assert.doesNotMatch(wrongScheme, /secret/)
  assert.match(describeFailure(configError({ INDEX_STORE: 'sqlite' }), 'citeqa', { debug: false }), /INDEX_STORE="sqlite": expected one of "files"\|"postgres"/)
  assert.equal(parseConfig({}).INDEX_STORE, 'files')
  assert.equal(parseConfig({ INDEX_STORE: 'postgres', DATABASE_URL: 'postgres://citeqa@127.0.0.1:5432/citeqa' }).DATABASE_URL, 'postgres://citeqa@127.0.0.1:5432/citeqa')
})

test('an expected failure gets its hint (its own, or the one for its code) and no stack; debug adds the stack', () => {
  const missing = new CiteqaError('ingest_missing', 'Ingest: article path nope.txt cannot be read', {
    cause: Object.assign(new Error("ENOENT: no such file or directory, stat 'nope.txt'"), { code: 'ENOENT', syscall: 'stat' }),
  })
  const brief = describeFailure(missing, 'npm run ingest', { debug: false })
  assert.equal(
    brief,
    'npm run ingest: Ingest: article path nope.txt cannot be read (no such file or folder). Set ARTICLE_PATH (in .env or the environment) to the article file or to a folder of documents (.txt, .md, .html, .pdf, .docx).',
  )
  const debug = describeFailure(missing, 'npm run ingest', { debug: true })
  assert.ok(debug.startsWith(`${brief}\n`))
  assert.match(debug, /^\s+at /m)
  const json = JSON.parse(describeFailure(missing, 'citeqa', { debug: false, json: true })) as Record<string, unknown>
  assert.equal(json.level, 60)
  assert.equal(json.code, 'ingest_missing')
  assert.match(String(json.hint), /ARTICLE_PATH/)
  assert.equal(json.stack, undefined)
})

test('an unexpected error (a bug) is reported as one, with its stack', () => {
  const report = describeFailure(new TypeError("Cannot read properties of undefined (reading 'length')"), 'citeqa', { debug: false })
  assert.match(report, /^citeqa: unexpected error: Cannot read properties of undefined/)
  assert.match(report, /^\s+at /m)
})

test('CLI warnings are sentences, not JSON, whatever stderr is; fields only at debug; JSON when asked for', () => {
  const read = (stream: PassThrough) => String(stream.read() ?? '')
  const plain = new PassThrough()
  const logger = createCliLogger({ LOG_LEVEL: 'info', LOG_FORMAT: 'auto' }, plain)
  logger.info('progress is not shown at the default level')
  logger.warn({ model: 'Xenova/multilingual-e5-small' }, 'embedding model Xenova/multilingual-e5-small is unavailable; using the offline embedder')
  assert.equal(read(plain), 'WARN: embedding model Xenova/multilingual-e5-small is unavailable; using the offline embedder\n')

  const debug = new PassThrough()
  createCliLogger({ LOG_LEVEL: 'debug', LOG_FORMAT: 'auto' }, debug).warn({ model: 'x' }, 'unavailable')
  assert.match(read(debug), /^WARN: unavailable\n\s+model: "x"\n$/)

  const json = new PassThrough()
  createCliLogger({ LOG_LEVEL: 'info', LOG_FORMAT: 'json' }, json).warn({ model: 'x' }, 'unavailable')
  assert.deepEqual({ ...JSON.parse(read(json)), time: 0 }, { level: 40, time: 0, model: 'x', msg: 'unavailable' })
})
