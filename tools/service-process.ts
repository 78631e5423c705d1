import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { readFile, readdir } from 'node:fs/promises'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { PROJECT_FOLDER } from '../src/project-folder.ts'

// What the bench and the soak share: starting citeqa (or a command standing in for it) as its own
// process on a free loopback port, waiting for its /health, reading its log and memory, stopping it,
// and leaving no process behind when they end.

/** The project folder: package.json's scripts are run from here, as npm runs them. */
export const PROJECT_DIRECTORY = PROJECT_FOLDER

const HEALTH_POLL_MS = 10
const LOG_LINES_KEPT = 10_000

/**
 * A free loopback port: the OS picks one and it is released before the caller binds it, for a
 * service started as its own process on a port of the caller's choosing.
 */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolvePort(port))
    })
  })
}

/** The command of a package.json script (`start`, `ingest`, `prestart`…), or undefined when there is none. */
export function packageScript(name: string): string | undefined {
  const manifest = JSON.parse(readFileSync(join(PROJECT_DIRECTORY, 'package.json'), 'utf8')) as { scripts?: Record<string, string> }
  return manifest.scripts?.[name]
}

// Every process group started here, so an interrupted run leaves none behind.
const running = new Set<ChildProcess>()
let exitHookInstalled = false

/** Sends `signal` to the process group of `child` (each child is started as its own group leader). */
export function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal)
  } catch {
    // already gone
  }
}

/**
 * Spawns a process from the project folder as the leader of its own process group — tsx runs a
 * script in a child process, a shell runs its command in another, and stopping must reach them —
 * and kills the group when this process exits.
 */
export function spawnInGroup(file: string, args: string[], environment: NodeJS.ProcessEnv, stdout: 'ignore' | 'pipe'): ChildProcess {
  if (!exitHookInstalled) {
    exitHookInstalled = true
    process.once('exit', () => {
      for (const child of running) signalGroup(child, 'SIGKILL')
    })
  }
  const child = spawn(file, args, { cwd: PROJECT_DIRECTORY, env: environment, detached: true, stdio: ['ignore', stdout, 'pipe'] })
  running.add(child)
  child.once('exit', () => running.delete(child))
  return child
}

/**
 * Makes SIGINT and SIGTERM end this process (exit code 128 + the signal's number), which kills every
 * process group spawned here. For the bench's and the soak's command-line entry points only: a
 * module that installed it on import would take the signals from whoever imported it.
 */
export function exitOnSignals(): void {
  for (const [signal, number] of [['SIGINT', 2], ['SIGTERM', 15]] as const) process.once(signal, () => process.exit(128 + number))
}

/** The log of a child: its stderr as lines, JSON ones (the service logs JSON when stderr is not a terminal) readable by level. */
export class ProcessLog {
  readonly lines: string[] = []
  constructor(child: ChildProcess) {
    let partial = ''
    child.stderr?.on('data', (chunk: Buffer) => {
      const text = partial + chunk.toString('utf8')
      const lines = text.split('\n')
      partial = lines.pop() ?? ''
      this.lines.push(...lines.filter((line) => line.trim() !== ''))
      if (this.lines.length > LOG_LINES_KEPT) this.lines.splice(0, this.lines.length - LOG_LINES_KEPT)
    })
    child.stdout?.resume()
  }

  /** Log entries at `level` (pino numbers: 30 info, 40 warn, 50 error). */
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

  tail(count = 15): string {
    return this.lines.slice(-count).join('\n')
  }
}

/** A service started by the bench or the soak, healthy and listening on loopback. */
export interface ServiceProcess {
  baseUrl: string
  child: ChildProcess
  log: ProcessLog
  /** From spawn to the first 200 of GET /health, in milliseconds. */
  readyMs: number
  /** The body of that first /health answer. */
  health: unknown
  /** Resolves with the exit code (or signal name) once it exits. */
  exited: Promise<number | string>
  /** Resident memory of the service's whole process tree now, in bytes (undefined off Linux). */
  residentBytes(): Promise<number | undefined>
  /** SIGTERM to its process group, SIGKILL if it lingers past `stopTimeoutMs`; resolves when it is gone. */
  stop(): Promise<void>
}

export interface StartServiceOptions {
  /** Names the caller in error messages: `Bench`, `Soak`. */
  component: string
  /** What is started, for error messages. */
  description: string
  /** Spawns the service with these settings (HOST and PORT among them), e.g. through spawnInGroup. */
  spawnWith: (environment: Record<string, string>) => ChildProcess
  environment: Record<string, string>
  readyTimeoutMs: number
  /** How long stop() waits after SIGTERM before SIGKILL. */
  stopTimeoutMs: number
}

/**
 * Starts a service on a free loopback port (PORT/HOST in its environment) and polls GET /health
 * until it answers 200; fails, with the end of its log, after `readyTimeoutMs` or when it exits.
 */
export async function startService({ component, description, spawnWith, environment, readyTimeoutMs, stopTimeoutMs }: StartServiceOptions): Promise<ServiceProcess> {
  const port = await freePort()
  const baseUrl = `http://127.0.0.1:${port}`
  const started = performance.now()
  const child = spawnWith({ ...environment, HOST: '127.0.0.1', PORT: String(port) })
  const log = new ProcessLog(child)
  let gone: number | string | undefined
  const exited = new Promise<number | string>((resolveExit) =>
    child.once('exit', (code, signal) => {
      gone = code ?? signal ?? 'unknown'
      resolveExit(gone)
    }),
  )
  const stop = async () => {
    if (gone === undefined) {
      signalGroup(child, 'SIGTERM')
      const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), stopTimeoutMs)
      await exited
      clearTimeout(timer)
    }
    // tsx's child may outlive the shell by a moment; make sure the group is gone.
    signalGroup(child, 'SIGKILL')
  }
  while (performance.now() - started < readyTimeoutMs) {
    if (gone !== undefined) throw new Error(`${component}: ${description} exited (${gone}) before /health answered:\n${log.tail()}`)
    const response = await fetch(`${baseUrl}/health`).catch(() => undefined)
    if (response?.status === 200) {
      const readyMs = performance.now() - started
      const health: unknown = await response.json()
      return { baseUrl, child, log, readyMs, health, exited, residentBytes: () => processTreeResidentBytes(child.pid!), stop }
    }
    await response?.body?.cancel()
    await sleep(HEALTH_POLL_MS)
  }
  await stop()
  throw new Error(`${component}: ${description} was not healthy after ${readyTimeoutMs} ms:\n${log.tail()}`)
}

/** Sum of VmRSS over a process and its descendants, read from /proc; undefined where there is no /proc. */
async function processTreeResidentBytes(rootPid: number): Promise<number | undefined> {
  if (!existsSync('/proc/self/status')) return undefined
  const parents = new Map<number, number>()
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '')
    // The command name may hold spaces or parentheses; the fields after its closing ')' do not.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    if (fields.length > 1) parents.set(Number(entry), Number(fields[1]))
  }
  const tree = new Set([rootPid])
  for (let grown = true; grown; ) {
    grown = false
    for (const [pid, parent] of parents) {
      if (tree.has(parent) && !tree.has(pid)) {
        tree.add(pid)
        grown = true
      }
    }
  }
  let total = 0
  for (const pid of tree) {
    const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '')
    total += Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0) * 1024
  }
  return total
}
