import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtemp } from 'node:fs/promises'
import { createServer, type AddressInfo, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { PROJECT_FOLDER } from '../../src/project-folder.ts'

// The service and the CLIs started as a newcomer starts them, with what goes wrong in a first hour:
// a taken port, a wrong ARTICLE_PATH, a wrong setting. Each must stop with status 1 and a line that
// names the variable (or the address) and what to do — no stack trace, and nothing said that did not happen.

interface Run {
  status: number | null
  stdout: string
  stderr: string
}

let scratch: string

before(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'citeqa-start-'))
})

/** Runs a TypeScript entry point of src/ the way its npm script does, with a clean environment of our own. */
function run(entry: string, args: string[], environment: Record<string, string>, onStderr?: (text: string, stop: () => void) => void): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
      cwd: PROJECT_FOLDER,
      // No .env of the developer's and no model: every run says exactly what it is given.
      env: { PATH: process.env.PATH, DOTENV_CONFIG_PATH: join(scratch, 'no.env'), EMBEDDINGS: 'offline', INDEX_DIR: join(scratch, 'index'), ...environment },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => (stdout += chunk))
    child.stderr.on('data', (chunk) => {
      stderr += chunk
      onStderr?.(stderr, () => child.kill('SIGTERM'))
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
    child.on('error', reject)
    child.on('close', (status) => {
      clearTimeout(timer)
      resolve({ status, stdout, stderr })
    })
  })
}

function linesOf(text: string): string[] {
  return text.split('\n').filter((line) => line.trim() !== '')
}

function listenOnFreePort(): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve(server))
  })
}

let holder: Server
before(async () => {
  holder = await listenOnFreePort()
})
after(() => holder.close())

test('npm start on a taken port says so in one line, naming the address, and exits 1 without claiming to listen', async () => {
  const { port } = holder.address() as AddressInfo
  const result = await run('src/main.ts', [], { PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' })
  assert.equal(result.status, 1)
  const lines = linesOf(result.stderr)
  assert.equal(lines.length, 1, result.stderr)
  assert.match(lines[0], new RegExp(`^citeqa: Server: cannot listen on 127\\.0\\.0\\.1:${port}: the port is taken by another process\\. Stop it, or set PORT`))
  assert.doesNotMatch(result.stderr + result.stdout, /listening/)
})

test('npm start on a free port says it listens only once the socket is bound, with the port it got', async () => {
  let healthStatus: number | undefined
  const result = await run('src/main.ts', [], { PORT: '0', HOST: '127.0.0.1', LOG_FORMAT: 'json' }, (stderr, stop) => {
    const listening = linesOf(stderr).map((line) => JSON.parse(line) as { msg: string; url?: string }).find((entry) => entry.msg === 'citeqa is listening')
    if (!listening || healthStatus !== undefined) return
    healthStatus = 0
    // Listening means answering: the address logged takes a request at once.
    void fetch(new URL('/health', listening.url)).then((response) => (healthStatus = response.status)).finally(stop)
  })
  assert.equal(healthStatus, 200, result.stderr)
  assert.match(result.stderr, /"url":"http:\/\/127\.0\.0\.1:[1-9]\d*"/)
})

test('a missing ARTICLE_PATH stops npm start in one line naming the variable and the path; an empty folder too', async () => {
  const [missing, empty] = await Promise.all([
    run('src/main.ts', [], { ARTICLE_PATH: join(scratch, 'nowhere.txt'), PORT: '0' }),
    run('src/main.ts', [], { ARTICLE_PATH: scratch, PORT: '0' }),
  ])
  for (const [result, problem] of [
    [missing, /article path \S*nowhere\.txt cannot be read \(no such file or folder\)/],
    [empty, /folder \S+ holds no readable document files/],
  ] as const) {
    assert.equal(result.status, 1, result.stderr)
    const lines = linesOf(result.stderr)
    assert.ok(lines.length <= 3, `at most 3 lines:\n${result.stderr}`)
    assert.match(result.stderr, problem)
    assert.match(result.stderr, /Set ARTICLE_PATH \(in \.env or the environment\) to the article file or to a folder of documents \(\.txt, \.md, \.html, \.pdf, \.docx\)/)
    assert.doesNotMatch(result.stderr, /^\s+at /m, 'no stack trace')
    assert.ok(result.stderr.length < 500, `${result.stderr.length} characters`)
  }
})

test('LOG_LEVEL=debug adds the stack trace and the cause', async () => {
  const result = await run('src/main.ts', [], { ARTICLE_PATH: join(scratch, 'nowhere.txt'), LOG_LEVEL: 'debug' })
  assert.equal(result.status, 1)
  assert.match(result.stderr, /^citeqa: Ingest: article path/m)
  assert.match(result.stderr, /^\s+at /m)
  assert.match(result.stderr, /ENOENT/)
})

test('a wrong setting stops npm start in one line naming the variable and its value', async () => {
  const result = await run('src/main.ts', [], { PORT: 'eighty', EMBEDDINGS: 'gpu' })
  assert.equal(result.status, 1)
  assert.deepEqual(linesOf(result.stderr), [
    'citeqa: Config: PORT="eighty": expected a number; EMBEDDINGS="gpu": expected one of "auto"|"transformers"|"offline". ' +
      'Fix it in .env or in the environment (.env.example describes every variable).',
  ])
})

test('the CLIs (ingest, ask, eval) stop on a wrong ARTICLE_PATH in one line naming it, with status 1', async () => {
  const missing = join(scratch, 'nowhere.txt')
  const results = await Promise.all([
    run('src/cli/ingest.ts', [], { ARTICLE_PATH: missing }),
    run('src/cli/ask.ts', ['维修了多少公里沟渠?'], { ARTICLE_PATH: scratch }),
    run('src/cli/evaluate.ts', [], { ARTICLE_PATH: missing }),
  ])
  for (const [result, program] of results.map((result, index) => [result, ['npm run ingest', 'npm run ask', 'npm run eval'][index]] as const)) {
    assert.equal(result.status, 1, `${program}: ${result.stderr}`)
    const lines = linesOf(result.stderr)
    assert.equal(lines.length, 1, result.stderr)
    assert.ok(lines[0].startsWith(`${program}: Ingest: `), lines[0])
    assert.match(lines[0], /Set ARTICLE_PATH/)
    assert.equal(result.stdout, '')
  }
})
