import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { Citeqa } from '../../src/citeqa.ts'
import { closePostgresPools, postgresPool } from '../../src/retrieval/postgres/postgres-connection.ts'
import { PostgresRateLimitStore } from '../../src/server/postgres-rate-limit-store.ts'
import { createOfflineCiteqa, startServer } from '../helpers/offline-citeqa.ts'
import { createTestDatabase } from '../helpers/postgres-database.ts'

// Two app instances on one database stand for two replicas behind a load balancer: with the
// PostgreSQL store a client's requests count against one limit, wherever they land.

const QUESTION = JSON.stringify({ question: '维修了多少公里沟渠?' })
let database: Awaited<ReturnType<typeof createTestDatabase>>
let citeqa: Citeqa
const servers: Awaited<ReturnType<typeof startServer>>[] = []

before(async () => {
  database = await createTestDatabase()
  citeqa = await createOfflineCiteqa()
})

after(async () => {
  await Promise.all(servers.map((server) => server.close()))
  await closePostgresPools()
  await database.drop()
})

async function replica(perMinute: number): Promise<string> {
  const server = await startServer(citeqa, { rateLimitPerMinute: perMinute, rateLimitStore: new PostgresRateLimitStore(postgresPool(database.url)) })
  servers.push(server)
  return server.baseUrl
}

const ask = (baseUrl: string) => fetch(`${baseUrl}/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: QUESTION })

test('RATE_LIMIT_PER_MINUTE counted in PostgreSQL: 10 a minute over two replicas lets 10 of 16 requests through, alternating, then 429 with Retry-After on both', async () => {
  const replicas = [await replica(10), await replica(10)]
  const statuses: number[] = []
  for (let request = 0; request < 16; request++) {
    const response = await ask(replicas[request % 2])
    statuses.push(response.status)
    if (response.status === 429) {
      const retryAfter = Number(response.headers.get('retry-after'))
      assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`)
      assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'rate_limited')
    } else {
      await response.body?.cancel()
    }
  }
  assert.deepEqual(statuses, [...Array(10).fill(200), ...Array(6).fill(429)])
  const { rows } = await postgresPool(database.url).query('SELECT key, hits FROM citeqa_rate_limits')
  assert.equal(rows.length, 1, 'one client, one row')
  assert.equal(rows[0].hits, 16)
})

test('concurrent requests on both replicas are counted exactly (one atomic upsert each)', async () => {
  await postgresPool(database.url).query('DELETE FROM citeqa_rate_limits')
  const replicas = [await replica(25), await replica(25)]
  const responses = await Promise.all(Array.from({ length: 40 }, (_, request) => ask(replicas[request % 2])))
  await Promise.all(responses.map((response) => response.body?.cancel()))
  assert.equal(responses.filter((response) => response.status === 200).length, 25)
  assert.equal(responses.filter((response) => response.status === 429).length, 15)
})
