import pg from 'pg'
import type { Logger } from '../../logger.ts'
import { activeGeneration, dropExpiredGenerations, GENERATION_CHANNEL } from './index-generations.ts'
import { postgresPool } from './postgres-connection.ts'

/** Settings of a {@link GenerationWatcher}. */
export interface GenerationWatcherOptions {
  databaseUrl: string
  /** INDEX_GENERATION_POLL_MS: how often the active generation is checked besides the notifications. */
  pollMs: number
  /** INDEX_GENERATION_GRACE_SECONDS: retired generations older than this are dropped when the watcher checks. */
  graceSeconds: number
  logger: Logger
  /** The generation being served now (its schema). */
  served: () => string | undefined
  /** Loads and serves another generation; the watcher waits for it before it looks again. */
  serve: (schema: string) => Promise<void>
}

/**
 * Follows the active index generation for a replica: LISTEN on the channel that a publish
 * notifies in the same transaction, and a poll as a fallback (a notification is lost while the
 * listening connection is down). Switches one at a time; a check that finds the served generation
 * still active does nothing. A generation that fails to load is logged and tried again at the next check.
 */
export class GenerationWatcher {
  private listener?: pg.Client
  private timer?: NodeJS.Timeout
  private checking: Promise<void> = Promise.resolve()
  private pending = false
  private stopped = false

  constructor(private readonly options: GenerationWatcherOptions) {}

  async start(): Promise<void> {
    await this.listen()
    this.timer = setInterval(() => this.check(), this.options.pollMs)
    this.timer.unref()
  }

  async stop(): Promise<void> {
    this.stopped = true
    clearInterval(this.timer)
    await this.listener?.end().catch(() => undefined)
    await this.checking
  }

  /** Looks at the active generation now (a notification, the poll, or a caller that knows one was published). */
  check(): Promise<void> {
    // One check at a time, and at most one more queued behind it: notifications in a burst make one switch.
    if (this.pending) return this.checking
    this.pending = true
    this.checking = this.checking.then(async () => {
      this.pending = false
      if (this.stopped) return
      try {
        if (!this.listener) await this.listen()
        const pool = postgresPool(this.options.databaseUrl)
        const active = await activeGeneration(pool)
        if (active && active.schema !== this.options.served()) {
          const started = performance.now()
          await this.options.serve(active.schema)
          this.options.logger.info({ generation: active.schema, ms: Math.round(performance.now() - started) }, 'serving a new index generation')
        }
        const client = await pool.connect()
        try {
          const dropped = await dropExpiredGenerations(client, this.options.graceSeconds)
          if (dropped.length > 0) this.options.logger.info({ dropped }, 'dropped retired index generations')
        } finally {
          client.release()
        }
      } catch (error) {
        this.options.logger.warn({ err: error }, 'Index: could not follow the active index generation; trying again at the next check')
      }
    })
    return this.checking
  }

  private async listen(): Promise<void> {
    const listener = new pg.Client({ connectionString: this.options.databaseUrl })
    listener.on('notification', () => void this.check())
    listener.on('error', (error) => {
      // The poll reconnects; until then the poll alone finds new generations.
      this.options.logger.warn({ err: error }, 'Index: the connection listening for index generations dropped')
      if (this.listener === listener) this.listener = undefined
      listener.end().catch(() => undefined)
    })
    await listener.connect()
    await listener.query(`LISTEN ${GENERATION_CHANNEL}`)
    this.listener = listener
  }
}
