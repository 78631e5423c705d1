import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { freePort } from '../free-port.ts'

/** The project folder: the service and the ingest CLI run from here. */
export const PROJECT_DIRECTORY = resolve(import.meta.dirname, '../..')

/** main.ts's drain timeout: a service still running this long after SIGTERM is killed by itself with exit code 1. */
export const DRAIN_TIMEOUT_MS = 10_000

// Every child the soak started, so an interrupted soak leaves none behind.
const running = new Set<ChildProcess>()
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL')
})

/** Sources of the two package scripts the soak runs, used when package.json's command is not a plain `node`/`tsx` one. */
const SCRIPT_SOURCES = { start: 'src/main.ts', ingest: 'src/cli/ingest.ts' } as const
const prepared = new Set<string>()

/**
 * How `npm start` / `npm run ingest` run, from package.json — `node dist/main.js` after its
 * `prestart` build step, or `tsx src/main.ts` — as Node's own arguments, so the soak's child is the
 * service's own process (a signal reaches it, not a shell or npm in between). The `pre` script
 * runs once, first. Another form of command falls back to the source through tsx.
 */
export function packageScriptArguments(name: keyof typeof SCRIPT_SOURCES): string[] {
  const scripts = (JSON.parse(readFileSync(resolve(PROJECT_DIRECTORY, 'package.json'), 'utf8')) as { scripts?: Record<string, string> }).scripts ?? {}
  const before = scripts[`pre${name}`]
  if (before && !prepared.has(name)) {
    prepared.add(name)
    const result = spawnSync('/bin/sh', ['-c', before], { cwd: PROJECT_DIRECTORY, stdio: ['ignore', 'ignore', 'pipe'] })
    if (result.status !== 0) throw new Error(`Soak: "npm run pre${name}" failed (${result.status}): ${result.stderr.toString('utf8').slice(-500)}`)
  }
  const command = /^(node|tsx)\s+(\S+)$/.exec(scripts[name]?.trim() ?? '')
  if (command?.[1] === 'node') return [command[2]]
  return ['--import', 'tsx', command?.[2] ?? SCRIPT_SOURCES[name]]
}

/** `npm start` or `npm run ingest` as package.json defines them, with only `environment` as settings. */
export function spawnScript(name: keyof typeof SCRIPT_SOURCES, environment: Record<string, string>): ChildProcess {
  // No .env: the soak's settings are exactly these (a developer's API keys or model must not leak in).
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DOTENV_CONFIG_PATH: '/dev/null', ...environment }
  const child = spawn(process.execPath, packageScriptArguments(name), { cwd: PROJECT_DIRECTORY, env, stdio: ['ignore', 'pipe', 'pipe'] })
  running.add(child)
  child.once('exit', () => running.delete(child))
  return child
}

/** The log of a child: its stderr as JSON lines (the service logs JSON when stderr is not a terminal), the rest as text. */
export class ProcessLog {
  readonly lines: string[] = []
  constructor(child: ChildProcess) {
    let partial = ''
    child.stderr?.on('data', (chunk: Buffer) => {
      const text = partial + chunk.toString('utf8')
      const lines = text.split('\n')
      partial = lines.pop() ?? ''
      this.lines.push(...lines.filter((line) => line.trim() !== ''))
    })
    child.stdout?.resume()
  }

  /** Log entries at `level` (pino numbers: 40 warn, 50 error). */
  entries(level: number): Record<string, unknown>[] {
    return this.lines.flatMap((line) => {
      try {
        const entry = JSON.parse(line) as Record<string, unknown>
        return entry.level === level ? [entry] : []
      } catch {
        return []
      }
    })
  }

  tail(count = 12): string {
    return this.lines.slice(-count).join('\n')
  }
}

/** A citeqa service started by the soak, healthy on loopback. */
export interface ServiceProcess {
  baseUrl: string
  pid: number
  child: ChildProcess
  log: ProcessLog
  /** Resolves with the exit code (or signal name) once it exits. */
  exited: Promise<number | string>
  /** Resident memory now, in bytes (Linux /proc), or undefined elsewhere. */
  residentMemory(): Promise<number | undefined>
  /** SIGTERM, then SIGKILL if it lingers; resolves when it is gone. */
  stop(): Promise<void>
}

/** Starts the service as `npm start` does, with `environment`, on a free port, and waits for `GET /health` to answer 200. */
export async function startService(environment: Record<string, string>, { readyTimeoutMs = 90_000 } = {}): Promise<ServiceProcess> {
  const port = await freePort()
  const child = spawnScript('start', { HOST: '127.0.0.1', PORT: String(port), LOG_FORMAT: 'json', ...environment })
  const log = new ProcessLog(child)
  const exited = new Promise<number | string>((resolveExit) => child.once('exit', (code, signal) => resolveExit(code ?? signal ?? 'unknown')))
  const baseUrl = `http://127.0.0.1:${port}`
  const deadline = Date.now() + readyTimeoutMs
  let gone: number | string | undefined
  void exited.then((code) => (gone = code))
  for (;;) {
    if (gone !== undefined) throw new Error(`Soak: the service exited (${gone}) before it was ready:\n${log.tail()}`)
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`Soak: the service was not ready within ${readyTimeoutMs} ms:\n${log.tail()}`)
    }
    const healthy = await fetch(`${baseUrl}/health`).then((response) => response.ok, () => false)
    if (healthy) break
    await sleep(50)
  }
  return {
    baseUrl,
    pid: child.pid!,
    child,
    log,
    exited,
    async residentMemory() {
      const status = await readFile(`/proc/${child.pid}/status`, 'utf8').catch(() => undefined)
      const kilobytes = status && /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1]
      return kilobytes ? Number(kilobytes) * 1024 : undefined
    },
    async stop() {
      if (gone !== undefined) return
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), DRAIN_TIMEOUT_MS + 2000)
      await exited
      clearTimeout(timer)
    },
  }
}
