import { hashDocuments } from '../../ingest/load-documents.ts'
import { assembleSearchIndex } from '../assemble-search-index.ts'
import type { IndexManifest } from '../index-manifest.ts'
import type { OpenSearchIndexOptions, SearchIndex } from '../types.ts'
import { abandonBuild, activeGeneration, beginBuild, endBuild, keepUnpublished, publishGeneration } from './index-generations.ts'
import { loadGeneration } from './load-generation.ts'
import { identifier, postgresPool } from './postgres-connection.ts'
import { reusableGeneration } from './reusable-generation.ts'
import { writeGeneration } from './write-generation.ts'

/** Options of the `postgres` store beyond those every store takes. */
export interface PostgresIndexOptions extends OpenSearchIndexOptions {
  /** DATABASE_URL. */
  databaseUrl: string
  /** INDEX_GENERATION_GRACE_SECONDS: how long a retired generation is kept before a build drops it. */
  graceSeconds: number
  /**
   * Which generation serves, and what a build does with it:
   * - `active`: the active generation whatever documents it holds (a replica starting: the ingest
   *   that published it decides what is served); one is built from `documents` and published only
   *   when none is active;
   * - `publish` (default): the active generation when it holds exactly `documents` with this
   *   chunking, else a new one built and published (npm run ingest, the documents API);
   * - `unpublished`: likewise, but a generation built is this process's own, never made active
   *   and dropped after the grace period (npm run eval over its corpora, which must not switch the replicas).
   */
  generation?: 'active' | 'publish' | 'unpublished'
}

async function activeManifest(options: PostgresIndexOptions): Promise<{ schema: string; manifest: IndexManifest } | undefined> {
  const pool = postgresPool(options.databaseUrl)
  const active = await activeGeneration(pool)
  if (!active) return undefined
  const { rows } = await pool.query(`SELECT manifest FROM ${identifier(active.schema)}.index_info`)
  return rows[0] ? { schema: active.schema, manifest: rows[0].manifest as IndexManifest } : undefined
}

/**
 * The `postgres` store's openSearchIndex: the active generation when it serves (see
 * PostgresIndexOptions.generation), else a new generation built from `documents`.
 */
export async function openPostgresIndex(options: PostgresIndexOptions): Promise<SearchIndex> {
  const contentHash = hashDocuments(options.documents)
  const active = options.forceRebuild ? undefined : await activeManifest(options)
  if (active) {
    const { schema, manifest } = active
    const fits = manifest.contentHash === contentHash && JSON.stringify(manifest.chunking) === JSON.stringify(options.chunking)
    if (options.generation === 'active' || fits) {
      if (!fits) options.logger.info({ generation: schema }, `Index: serving the active generation ${schema}, which holds other documents than this process read (npm run ingest publishes them)`)
      return loadGeneration(postgresPool(options.databaseUrl), schema, options)
    }
  }
  return buildGeneration(options, options.forceRebuild ? 'rebuild requested' : active ? 'the documents or the chunking changed since the active generation was built' : 'no index generation in the database')
}

/**
 * Builds a new generation from `options.documents` into its own schema, then publishes it (one
 * transaction: active, NOTIFY), or keeps it unpublished (`generation: 'unpublished'`). Any failure
 * before that drops the new schema and leaves the active generation as it was; a process killed
 * mid-build leaves a schema the next build drops.
 */
export async function buildGeneration(options: PostgresIndexOptions, reason: string): Promise<SearchIndex> {
  const pool = postgresPool(options.databaseUrl)
  const client = await pool.connect()
  let generation: Awaited<ReturnType<typeof beginBuild>> | undefined
  let published = false
  try {
    generation = await beginBuild(client, options.graceSeconds)
    // The manifest of the generation replaced (read under the build lock), for what changed.
    const previous = await activeManifest(options)
    const started = performance.now()
    // What the active generation holds for unchanged chunks and documents is reused (npm run ingest -- --full reuses nothing).
    const reusable = previous && options.reuse !== false ? await reusableGeneration(pool, previous.schema, previous.manifest) : undefined
    const assembled = await assembleSearchIndex(options, {
      contentHash: hashDocuments(options.documents),
      staleness: reason,
      reusable,
      previousDocuments: previous?.manifest.documents,
      embeddingsOfCorpus: undefined,
    })
    await writeGeneration(client, generation.schema, options.documents, assembled)
    if (options.generation === 'unpublished') {
      await keepUnpublished(client, generation)
    } else {
      await publishGeneration(client, generation)
      options.logger.info({ generation: generation.schema, chunks: assembled.chunks.length, ms: Math.round(performance.now() - started) }, 'index generation published')
    }
    published = true
    const index = await loadGeneration(pool, generation.schema, { ...options, createEmbeddings: async () => assembled.embeddings })
    return { ...index, origin: 'built', rebuildReason: reason, changes: assembled.changes }
  } catch (error) {
    // Never once it is published (or kept unpublished): the schema is in use then.
    if (generation && !published) await abandonBuild(client, generation).catch(() => undefined)
    throw error
  } finally {
    await endBuild(client).catch(() => undefined)
    client.release()
  }
}
