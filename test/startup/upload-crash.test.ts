import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, readdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { PROJECT_FOLDER } from '../../src/project-folder.ts'

// kill -9 while an upload is being ingested: the next start serves the last good index (loaded,
// not rebuilt), without the document and without a trace of its upload.

interface Started {
  child: ChildProcess
  url: string
  log: () => string
}

function start(environment: Record<string, string>): Promise<Started> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: PROJECT_FOLDER,
      env: { PATH: process.env.PATH, DOTENV_CONFIG_PATH: join(tmpdir(), 'citeqa-no.env'), EMBEDDINGS: 'offline', PORT: '0', HOST: '127.0.0.1', LOG_FORMAT: 'json', ...environment },
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    let stderr = ''
    const timer = setTimeout(() => reject(new Error(`no start within 60 s:\n${stderr}`)), 60_000)
    child.stderr!.on('data', (chunk) => {
      stderr += chunk
      const listening = /"msg":"citeqa is listening".*?"url":"([^"]+)"|"url":"([^"]+)".*?"msg":"citeqa is listening"/.exec(stderr)
      if (listening) {
        clearTimeout(timer)
        resolve({ child, url: listening[1] ?? listening[2], log: () => stderr })
      }
    })
    child.on('exit', (status) => reject(new Error(`exited with ${status}:\n${stderr}`)))
  })
}

/** A long generated report (about 4,000 paragraphs): its ingest takes long enough to be cut. */
function longReport(): string {
  const places = ['青岚镇', '白沙村', '柳溪乡', '石门村', '松林镇', '金塘村', '桃源乡', '云峰村']
  const crops = ['水稻', '油菜', '茶叶', '柑橘', '莲藕', '楠竹', '猕猴桃', '中药材']
  const lines = ['青岚镇年度工作报告']
  for (let index = 0; index < 4000; index++) {
    lines.push(`${places[index % 8]}第${index + 1}号项目种植${crops[(index * 3) % 8]}${(index * 37) % 900 + 100}亩，投入资金${(index * 13) % 500 + 20}万元，带动${(index * 7) % 300 + 10}户农民增收，编号${index * 7919}。`)
  }
  return lines.join('\n')
}

test('kill -9 during an upload\'s ingest: the service starts again on the last good index, without the document', async () => {
  const scratch = await mkdtemp(join(tmpdir(), 'citeqa-crash-'))
  const environment = { INDEX_DIR: join(scratch, 'index'), DOCUMENTS_DIR: join(scratch, 'documents') }
  const first = await start(environment)
  let killed = false
  try {
    const form = new FormData()
    form.append('file', new Blob([longReport()]), '青岚镇报告.txt')
    const response = await fetch(`${first.url}/documents`, { method: 'POST', body: form })
    assert.equal(response.status, 202)
    const statusUrl = new URL(response.headers.get('location')!, first.url)
    for (let attempt = 0; attempt < 2000 && !killed; attempt++) {
      const { document } = (await (await fetch(statusUrl)).json()) as { document: { status: string; stage?: string } }
      assert.notEqual(document.status, 'ready', 'the ingest ended before it could be cut; make the report longer')
      if (document.status === 'ingesting' && document.stage !== 'reading') {
        first.child.kill('SIGKILL')
        killed = true
      } else await new Promise((resolve) => setTimeout(resolve, 5))
    }
    assert.ok(killed, 'the ingest was seen running')
  } finally {
    if (!killed) first.child.kill('SIGKILL')
  }
  await new Promise((resolve) => (first.child.exitCode !== null || first.child.signalCode !== null ? resolve(undefined) : first.child.once('exit', resolve)))

  const second = await start(environment)
  try {
    assert.match(second.log(), /"msg":"search index loaded"/, 'the last good index is loaded, not rebuilt')
    const { documents } = (await (await fetch(`${second.url}/documents`)).json()) as { documents: { id: string }[] }
    assert.deepEqual(documents.map((document) => document.id), ['article'])
    assert.deepEqual(await readdir(environment.DOCUMENTS_DIR), [], 'no half-added document, no staged upload')
    const answer = (await (await fetch(`${second.url}/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question: '维修了多少公里沟渠?' }) })).json()) as { answerable: boolean }
    assert.equal(answer.answerable, true)
  } finally {
    second.child.kill('SIGKILL')
  }
})
