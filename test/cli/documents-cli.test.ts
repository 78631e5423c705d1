import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { before, test } from 'node:test'
import { promisify } from 'node:util'
import { startDocumentService } from '../helpers/offline-citeqa.ts'

// npm run documents over real files: the article (ARTICLE_PATH) and an uploaded document in
// DOCUMENTS_DIR, listed by title; the upload removed from the index and the disk, so that a
// service started afterwards loads that index as it is and no longer answers from it.

const run = promisify(execFile)
const WETLAND = ['白鹭洲湿地公园简介', '白鹭洲湿地公园位于赤壁市西南部，面积三千六百亩，有芦苇荡和浅滩。', '每年冬天，约有一万二千只候鸟在白鹭洲湿地公园越冬，其中包括白鹤和小天鹅。'].join('\n')
const WETLAND_QUESTION = '每年冬天有多少只候鸟在白鹭洲湿地公园越冬?'

let scratch = ''
let environment: NodeJS.ProcessEnv = {}
const documents = (...args: string[]) => run(process.execPath, ['--import', 'tsx', 'src/cli/documents.ts', ...args], { env: environment })
const failure = (pending: Promise<unknown>) =>
  pending.then(
    () => assert.fail('it succeeded'),
    (error: { code: number; stdout: string; stderr: string }) => error,
  )

before(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'citeqa-documents-cli-'))
  await mkdir(join(scratch, 'documents'))
  await writeFile(join(scratch, 'documents', 'wetland.txt'), WETLAND)
  environment = { ...process.env, EMBEDDINGS: 'offline', LOG_LEVEL: 'warn', DOTENV_CONFIG_PATH: '/dev/null', LLM_PROVIDER: 'none', ARTICLE_PATH: 'data/article.txt', INDEX_DIR: join(scratch, 'index'), DOCUMENTS_DIR: join(scratch, 'documents') }
})

test('list: every served document with its title, format, size and paragraphs; --json is the API body', async () => {
  const { stdout } = await documents('list')
  const lines = stdout.trim().split('\n')
  assert.equal(lines.length, 2)
  assert.match(lines[0], /^article\t乡镇党委书记要牢牢把握“一二三四五”\ttext, 24 paragraphs, [\d.]+ KB, added .*; ARTICLE_PATH \(data\/article\.txt\): not removable here$/)
  assert.match(lines[1], /^wetland\t白鹭洲湿地公园简介\ttext, 3 paragraphs, 0\.2 KB, added .*; uploaded$/)

  const { stdout: json } = await documents('list', '--json')
  const body = JSON.parse(json) as { documents: { id: string; title: string; status: string; removable: boolean; paragraphs: number }[] }
  assert.deepEqual(
    body.documents.map(({ id, title, status, removable, paragraphs }) => ({ id, title, status, removable, paragraphs })),
    [
      { id: 'article', title: '乡镇党委书记要牢牢把握“一二三四五”', status: 'ready', removable: false, paragraphs: 24 },
      { id: 'wetland', title: '白鹭洲湿地公园简介', status: 'ready', removable: true, paragraphs: 3 },
    ],
  )
})

test('remove: refused for ARTICLE_PATH’s document and an unknown id (exit 1, one line); a usage error exits 2', async () => {
  const configured = await failure(documents('remove', 'article'))
  assert.equal(configured.code, 1)
  assert.equal(configured.stderr.trim(), 'npm run documents: Documents: "article" comes from ARTICLE_PATH (data/article.txt); remove it there and restart')
  const unknown = await failure(documents('remove', 'nope'))
  assert.equal(unknown.code, 1)
  assert.match(unknown.stderr, /unknown document "nope" \(documents: article, wetland\)/)
  for (const args of [[], ['remove'], ['list', 'wetland'], ['delete', 'wetland'], ['remove', 'a', 'b']]) {
    const usage = await failure(documents(...args))
    assert.equal(usage.code, 2, args.join(' '))
    assert.match(usage.stderr, /^documents: .*\n\nUsage: npm run documents -- list/, args.join(' '))
  }
  assert.deepEqual(await readdir(join(scratch, 'documents')), ['wetland.txt'], 'nothing removed')
})

test('remove: the uploaded document leaves the index and the disk; a service started next loads that index and refuses its question', async () => {
  const { stdout } = await documents('remove', 'wetland')
  assert.match(stdout, /^Removed wetland \(白鹭洲湿地公园简介\): .* 1 document\(s\) left\.$/m)
  assert.deepEqual(await readdir(join(scratch, 'documents')), [])
  assert.equal((await documents('list')).stdout.trim().split('\n').length, 1)

  const service = await startDocumentService({ ARTICLE_PATH: 'data/article.txt', INDEX_DIR: environment.INDEX_DIR!, DOCUMENTS_DIR: environment.DOCUMENTS_DIR! })
  try {
    assert.equal(service.served.current.index.origin, 'loaded', 'the index the CLI wrote is the one the service needs')
    const response = await fetch(`${service.baseUrl}/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question: WETLAND_QUESTION }) })
    assert.equal(((await response.json()) as { answerable: boolean }).answerable, false)
  } finally {
    await service.close()
  }
})
