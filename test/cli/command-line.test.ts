import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { test } from 'node:test'
import { promisify } from 'node:util'

const run = promisify(execFile)
// Offline and without a .env: a question that got through would be answered, not refused for want of a model.
const environment = { ...process.env, EMBEDDINGS: 'offline', LOG_LEVEL: 'warn', DOTENV_CONFIG_PATH: '/dev/null', LLM_PROVIDER: 'none' }
const cli = (script: string, ...args: string[]) => run(process.execPath, ['--import', 'tsx', script, ...args], { env: environment })

for (const [script, typo] of [
  ['src/cli/ask.ts', '--jsn'],
  ['src/cli/ingest.ts', '--ful'],
  ['src/cli/documents.ts', '--jsn'],
  ['src/cli/evaluate.ts', '--verbse'],
  ['tools/soak/run-soak.ts', '--quik'],
  ['tools/bench/run-bench.ts', '--qick'],
]) {
  test(`${script}: an unknown option (${typo}) is an error naming it, with the usage, exit 2`, async () => {
    const failure = await cli(script, typo, '维修了多少公里沟渠?').then(
      () => assert.fail('it ran'),
      (error: { code: number; stdout: string; stderr: string }) => error,
    )
    assert.equal(failure.code, 2)
    assert.equal(failure.stdout, '')
    assert.match(failure.stderr, new RegExp(`Unknown option '${typo}'`))
    assert.match(failure.stderr, /--help/)
    assert.doesNotMatch(failure.stderr, /\n\s+at /, 'no stack trace')
  })

  test(`${script}: --help prints the usage and exits 0`, async () => {
    const { stdout } = await cli(script, '--help')
    assert.match(stdout, /npm run \w+/)
    assert.match(stdout, /--help/)
  })
}

test('ask: a question after the options is answered, and --json gives the API body', async () => {
  const { stdout } = await cli('src/cli/ask.ts', '--json', '维修了多少公里沟渠?')
  const body = JSON.parse(stdout) as { answer: string; answerable: boolean }
  assert.equal(body.answerable, true)
  assert.match(body.answer, /7公里/)
})
