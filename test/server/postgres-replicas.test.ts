import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { copyFile, mkdir, mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { parseConfig } from '../../src/config.ts'
import { createEmbeddings } from '../../src/embeddings/create-embeddings.ts'
import { loadDocuments } from '../../src/ingest/load-documents.ts'
import { silentLogger } from '../../src/logger.ts'
import { GENERATIONS_TABLE } from '../../src/retrieval/postgres/index-generations.ts'
import { closePostgresPools, postgresPool } from '../../src/retrieval/postgres/postgres-connection.ts'
import { openPostgresIndex } from '../../src/retrieval/postgres/postgres-index-store.ts'
import { spawnInGroup, startService, type ServiceProcess } from '../../tools/service-process.ts'
import { createTestDatabase } from '../helpers/postgres-database.ts'

// Two service processes on one database, no proxy: while both serve a steady load, an ingest in a
// third process publishes a new generation (the article plus a CMRC document). Both must answer
// from it within a second of its activation, no request may fail, and no answer may mix the two
// generations (every response names its generation; its citations are of that generation's documents).

const ARTICLE_QUESTION = '维修了多少公里沟渠?'
const NEW_DOCUMENT_QUESTION = '玩家用什么泡封敌人？' // answered by trial-000, which only the new generation holds
const LOAD_PER_REPLICA = 3
const SWITCH_LIMIT_MS = 1000

let database: Awaited<ReturnType<typeof createTestDatabase>>
let scratch: string
const replicas: ServiceProcess[] = []

before(async () => {
  database = await createTestDatabase()
  scratch = await mkdtemp(join(tmpdir(), 'citeqa-replicas-'))
  // Generation 1, the article alone, published before the replicas start.
  const offline = parseConfig({ EMBEDDINGS: 'offline', LOG_LEVEL: 'silent' })
  await openPostgresIndex({
    directory: 'unused',
    documents: await loadDocuments('data/article.txt'),
    chunking: { maxCharacters: offline.CHUNK_MAX_CHARACTERS, overlapSentences: offline.CHUNK_OVERLAP_SENTENCES },
    createEmbeddings: (context) => createEmbeddings(offline, context, silentLogger),
    logger: silentLogger,
    databaseUrl: database.url,
    graceSeconds: 300,
    generation: 'publish',
  })
})

after(async () => {
  await Promise.all(replicas.map((replica) => replica.stop()))
  await closePostgresPools()
  await database.drop()
})

interface Answered {
  replica: number
  question: string
  started: number
  ended: number
  status: number
  generation: string | null
  documents: string[]
}

test('two replicas on one database switch to a newly published generation within a second under load, no request failing or mixing generations; an ingest killed mid-build changes nothing', async (t) => {
  const environment = {
    ...(process.env as Record<string, string>),
    INDEX_STORE: 'postgres',
    DATABASE_URL: database.url,
    EMBEDDINGS: 'offline',
    ARTICLE_PATH: 'data/article.txt',
    DOCUMENTS_DIR: join(scratch, 'no-uploads'),
    INDEX_DIR: join(scratch, 'index'),
    // A poll of a minute: a switch within the second is the notification's doing.
    INDEX_GENERATION_POLL_MS: '60000',
    LOG_LEVEL: 'warn',
    LOG_FORMAT: 'json',
  }
  for (let replica = 0; replica < 2; replica++) {
    replicas.push(
      await startService({
        component: 'Replicas test',
        description: `replica ${replica + 1}`,
        spawnWith: (settings) => spawnInGroup(process.execPath, ['--import', 'tsx', 'src/main.ts'], settings, 'ignore'),
        environment,
        readyTimeoutMs: 60_000,
        stopTimeoutMs: 5000,
      }),
    )
  }
  const firstGeneration = (replicas[0].health as { index: { generation: string } }).index.generation
  assert.equal((replicas[1].health as { index: { generation: string } }).index.generation, firstGeneration)

  // Steady load: a few clients per replica, each asking one question after another until told to stop.
  const answered: Answered[] = []
  let stopping = false
  const hardStop = Date.now() + 120_000
  const client = async (replica: number, offset: number) => {
    for (let turn = offset; !stopping && Date.now() < hardStop; turn++) {
      const question = turn % 2 === 0 ? ARTICLE_QUESTION : NEW_DOCUMENT_QUESTION
      const started = Date.now()
      const response = await fetch(`${replicas[replica].baseUrl}/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question }) }).catch((error: Error) => error)
      if (response instanceof Error) {
        answered.push({ replica, question, started, ended: Date.now(), status: 0, generation: null, documents: [] })
        continue
      }
      const body = (await response.json()) as { citations?: { docId: string }[] }
      answered.push({ replica, question, started, ended: Date.now(), status: response.status, generation: response.headers.get('x-citeqa-index-generation'), documents: (body.citations ?? []).map((citation) => citation.docId) })
    }
  }
  const load = replicas.flatMap((_, replica) => Array.from({ length: LOAD_PER_REPLICA }, (__, offset) => client(replica, offset)))

  await new Promise((resolve) => setTimeout(resolve, 1000))
  // The ingest, a process of its own, over a folder holding the article and one CMRC document.
  const folder = join(scratch, 'documents')
  await mkdir(folder)
  await copyFile('data/article.txt', join(folder, 'article.txt'))
  await copyFile('data/qa/cmrc-trial/docs/trial-000.txt', join(folder, 'trial-000.txt'))
  const ingest = spawn(process.execPath, ['--import', 'tsx', 'src/cli/ingest.ts'], { env: { ...environment, ARTICLE_PATH: folder }, stdio: ['ignore', 'ignore', 'pipe'] })
  let ingestErrors = ''
  ingest.stderr.on('data', (chunk) => (ingestErrors += chunk))
  const ingestCode = await new Promise((resolve) => ingest.once('exit', resolve))
  assert.equal(ingestCode, 0, `the ingest failed: ${ingestErrors}`)
  const { rows } = await postgresPool(database.url).query(`SELECT number, extract(epoch FROM activated_at) * 1000 AS activated FROM ${GENERATIONS_TABLE} WHERE state = 'active'`)
  const secondGeneration = `citeqa_g${rows[0].number}`
  const activatedAt = Number(rows[0].activated)
  assert.notEqual(secondGeneration, firstGeneration)

  await new Promise((resolve) => setTimeout(resolve, Math.max(0, activatedAt + 2 * SWITCH_LIMIT_MS - Date.now())))
  stopping = true
  await Promise.all(load)

  const failures = answered.filter((answer) => answer.status !== 200)
  assert.deepEqual(failures, [], 'no request failed')
  assert.ok(answered.length > 50, `${answered.length} requests under load`)
  for (const answer of answered) {
    assert.ok(answer.generation === firstGeneration || answer.generation === secondGeneration, `answer from ${answer.generation}`)
    // No mix: an answer of the first generation cites only the article, the only document it holds.
    if (answer.generation === firstGeneration) assert.ok(answer.documents.every((document) => document === 'article'), `first-generation answer citing ${answer.documents}`)
  }
  const switchedWithin: number[] = []
  for (let replica = 0; replica < 2; replica++) {
    const own = answered.filter((answer) => answer.replica === replica)
    const lastOld = Math.max(...own.filter((answer) => answer.generation === firstGeneration).map((answer) => answer.started))
    // Every request that began a second after the activation was answered from the new generation.
    assert.ok(lastOld < activatedAt + SWITCH_LIMIT_MS, `replica ${replica + 1} answered from ${firstGeneration} ${Math.round(lastOld - activatedAt)} ms after the switch`)
    switchedWithin.push(lastOld - activatedAt)
    // Once a replica has answered from the new generation, requests begun after that never go back.
    const firstNew = Math.min(...own.filter((answer) => answer.generation === secondGeneration).map((answer) => answer.ended))
    assert.ok(own.filter((answer) => answer.started > firstNew).every((answer) => answer.generation === secondGeneration), `replica ${replica + 1} went back to the old generation`)
    // And the new generation answers from its new document, which the replica's own ARTICLE_PATH does not hold.
    const fromNew = own.filter((answer) => answer.generation === secondGeneration && answer.question === NEW_DOCUMENT_QUESTION)
    assert.ok(fromNew.length > 0 && fromNew.every((answer) => answer.documents.includes('trial-000')), `replica ${replica + 1} answers from trial-000 after the switch`)
  }
  t.diagnostic(`replicas: ${answered.length} requests, 0 failed; last answer from the old generation began ${switchedWithin.map((ms) => Math.round(ms)).join(' / ')} ms after the activation`)

  // A second ingest, killed with SIGKILL mid-build: both replicas go on answering from the second generation.
  answered.length = 0
  stopping = false
  const steady = replicas.flatMap((_, replica) => Array.from({ length: LOAD_PER_REPLICA }, (__, offset) => client(replica, offset)))
  const doomed = spawn(process.execPath, ['--import', 'tsx', 'src/cli/ingest.ts'], { env: { ...environment, ARTICLE_PATH: 'data/qa/cmrc-trial/docs' }, stdio: 'ignore' })
  const doomedExit = new Promise((resolve) => doomed.once('exit', resolve))
  let building: number | undefined
  while (building === undefined && Date.now() < hardStop) {
    const { rows: started } = await postgresPool(database.url).query(
      `SELECT g.number FROM ${GENERATIONS_TABLE} g WHERE g.state = 'building' AND EXISTS (SELECT 1 FROM pg_tables t WHERE t.schemaname = 'citeqa_g' || g.number)`,
    )
    building = started[0]?.number
    if (building === undefined) await new Promise((resolve) => setTimeout(resolve, 20))
  }
  assert.ok(building !== undefined, 'the second ingest started writing its generation')
  doomed.kill('SIGKILL')
  await doomedExit
  await new Promise((resolve) => setTimeout(resolve, 1500))
  stopping = true
  await Promise.all(steady)
  assert.ok(answered.length > 20, `${answered.length} requests around the killed ingest`)
  assert.deepEqual(answered.filter((answer) => answer.status !== 200 || answer.generation !== secondGeneration), [], 'every request answered, from the second generation')
  const { rows: stillActive } = await postgresPool(database.url).query(`SELECT number FROM ${GENERATIONS_TABLE} WHERE state = 'active'`)
  assert.equal(`citeqa_g${stillActive[0].number}`, secondGeneration)
  t.diagnostic(`killed ingest: ${answered.length} requests while it built and after its kill -9, all 200 from ${secondGeneration}`)
})
