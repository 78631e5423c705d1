import type pg from 'pg'
import { CiteqaError } from '../../errors.ts'
import { identifier, inTransaction, SETUP_LOCK } from './postgres-connection.ts'

// An index generation is one schema, citeqa_g<N>, holding every table and index of one build. The
// registry below (in the database's public schema) says which is active; publishing a generation
// and retiring the one before happen in one transaction that also sends NOTIFY, so a replica sees
// either the old generation or the new one, never a mix. A build's schema is dropped when the
// build fails; one killed mid-build is dropped by the next build (it holds the build lock, so no
// builder of that generation is alive).

export const GENERATIONS_TABLE = 'citeqa_index_generations'
/** The NOTIFY channel; the payload is the new active generation's schema name. */
export const GENERATION_CHANNEL = 'citeqa_index_generation'
const SCHEMA_PREFIX = 'citeqa_g'

// Advisory lock key (an arbitrary constant): one build at a time. The registry set-up takes SETUP_LOCK (postgres-connection.ts).
const BUILD_LOCK = 160_001


/**
 * What a generation is: being built; the one served (one at most); replaced, kept for the grace
 * period; built for its builder alone (npm run eval), kept likewise; dropped; or failed (its build
 * threw or was killed, its schema dropped).
 */
export const GENERATION_STATES = ['building', 'active', 'retired', 'unpublished', 'dropped', 'failed'] as const

/** A generation of the index as the registry lists it. */
export interface IndexGeneration {
  number: number
  /** Its schema, `citeqa_g<number>`. */
  schema: string
  state: (typeof GENERATION_STATES)[number]
}

export function schemaOfGeneration(number: number): string {
  return `${SCHEMA_PREFIX}${number}`
}

/** Creates the registry when the database has none (idempotent; safe when processes start together). */
export async function ensureGenerationRegistry(client: pg.ClientBase): Promise<void> {
  await inTransaction(client, async () => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [SETUP_LOCK])
    await client.query('CREATE EXTENSION IF NOT EXISTS vector')
    await client.query(`CREATE TABLE IF NOT EXISTS ${GENERATIONS_TABLE} (
      number integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      state text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      activated_at timestamptz,
      retired_at timestamptz
    )`)
    // The states, set again at every start: a registry made by an earlier release knows fewer.
    await client.query(`ALTER TABLE ${GENERATIONS_TABLE} DROP CONSTRAINT IF EXISTS ${GENERATIONS_TABLE}_state, ADD CONSTRAINT ${GENERATIONS_TABLE}_state CHECK (state IN (${GENERATION_STATES.map((state) => `'${state}'`).join(', ')}))`)
    // At most one active generation, whatever goes wrong elsewhere.
    await client.query(`CREATE UNIQUE INDEX IF NOT EXISTS ${GENERATIONS_TABLE}_one_active ON ${GENERATIONS_TABLE} ((true)) WHERE state = 'active'`)
  })
}

/** The active generation, or undefined when none was published yet. */
export async function activeGeneration(client: pg.ClientBase | pg.Pool): Promise<IndexGeneration | undefined> {
  const exists = await client.query('SELECT to_regclass($1) IS NOT NULL AS present', [GENERATIONS_TABLE])
  if (!exists.rows[0].present) return undefined
  const { rows } = await client.query(`SELECT number, state FROM ${GENERATIONS_TABLE} WHERE state = 'active'`)
  return rows[0] ? { number: rows[0].number, schema: schemaOfGeneration(rows[0].number), state: 'active' } : undefined
}

/**
 * Takes the build lock on `client` (a dedicated connection held for the whole build; released if
 * the process dies) and clears what earlier builds left: generations still `building` (their
 * builder is gone) and retired ones past the grace period.
 */
export async function beginBuild(client: pg.ClientBase, graceSeconds: number): Promise<IndexGeneration> {
  await ensureGenerationRegistry(client)
  await client.query('SELECT pg_advisory_lock($1)', [BUILD_LOCK])
  const abandoned = await client.query(`SELECT number FROM ${GENERATIONS_TABLE} WHERE state = 'building'`)
  for (const { number } of abandoned.rows) {
    await client.query(`DROP SCHEMA IF EXISTS ${identifier(schemaOfGeneration(number))} CASCADE`)
    await client.query(`UPDATE ${GENERATIONS_TABLE} SET state = 'failed' WHERE number = $1`, [number])
  }
  await dropExpiredGenerations(client, graceSeconds)
  const { rows } = await client.query(`INSERT INTO ${GENERATIONS_TABLE} (state) VALUES ('building') RETURNING number`)
  const number = rows[0].number as number
  await client.query(`CREATE SCHEMA ${identifier(schemaOfGeneration(number))}`)
  return { number, schema: schemaOfGeneration(number), state: 'building' }
}

/** Makes a built generation the active one and tells every listening replica, in one transaction. */
export async function publishGeneration(client: pg.ClientBase, generation: IndexGeneration): Promise<void> {
  await inTransaction(client, async () => {
    await client.query(`UPDATE ${GENERATIONS_TABLE} SET state = 'retired', retired_at = now() WHERE state = 'active'`)
    const updated = await client.query(`UPDATE ${GENERATIONS_TABLE} SET state = 'active', activated_at = now() WHERE number = $1 AND state = 'building'`, [generation.number])
    if (updated.rowCount !== 1) throw new CiteqaError('index_generation', `Index: generation ${generation.schema} is no longer being built; it cannot be published`)
    await client.query('SELECT pg_notify($1, $2)', [GENERATION_CHANNEL, generation.schema])
  })
}

/** Keeps a built generation for its builder alone: never active, dropped like a retired one after the grace period. */
export async function keepUnpublished(client: pg.ClientBase, generation: IndexGeneration): Promise<void> {
  await client.query(`UPDATE ${GENERATIONS_TABLE} SET state = 'unpublished', retired_at = now() WHERE number = $1 AND state = 'building'`, [generation.number])
}

/** Drops a failed build's schema and marks it failed; the active generation is not touched. */
export async function abandonBuild(client: pg.ClientBase, generation: IndexGeneration): Promise<void> {
  await client.query(`DROP SCHEMA IF EXISTS ${identifier(generation.schema)} CASCADE`)
  await client.query(`UPDATE ${GENERATIONS_TABLE} SET state = 'failed' WHERE number = $1 AND state = 'building'`, [generation.number])
}

/** Releases the build lock taken by beginBuild. */
export async function endBuild(client: pg.ClientBase): Promise<void> {
  await client.query('SELECT pg_advisory_unlock($1)', [BUILD_LOCK])
}

/**
 * Drops the schemas of generations retired (or kept unpublished) more than `graceSeconds` ago
 * (requests that began on them have finished). Several replicas may call it at once: one does the work, the others skip.
 */
export async function dropExpiredGenerations(client: pg.ClientBase, graceSeconds: number): Promise<string[]> {
  const exists = await client.query('SELECT to_regclass($1) IS NOT NULL AS present', [GENERATIONS_TABLE])
  if (!exists.rows[0].present) return []
  const { rows } = await client.query(`SELECT number FROM ${GENERATIONS_TABLE} WHERE state IN ('retired', 'unpublished') AND retired_at < now() - make_interval(secs => $1)`, [graceSeconds])
  const dropped: string[] = []
  for (const { number } of rows) {
    const schema = schemaOfGeneration(number)
    await inTransaction(client, async () => {
      const { rows: claimed } = await client.query(`UPDATE ${GENERATIONS_TABLE} SET state = 'dropped' WHERE number = $1 AND state IN ('retired', 'unpublished') RETURNING number`, [number])
      if (claimed.length === 1) {
        await client.query(`DROP SCHEMA IF EXISTS ${identifier(schema)} CASCADE`)
        dropped.push(schema)
      }
    })
  }
  return dropped
}
