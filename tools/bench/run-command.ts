import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { delimiter, join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { freePort } from '../free-port.ts'

/** The project folder: package.json's scripts are run from here, as npm runs them. */
export const PROJECT_DIRECTORY = resolve(import.meta.dirname, '../..')

const GNU_TIME = '/usr/bin/time'
const HEALTH_POLL_MS = 10
const STOP_TIMEOUT_MS = 5_000

/**
 * The command of a package.json script (`start`, `ingest`), run the way npm runs it — through the
 * shell, with node_modules/.bin on the PATH — but without the npm CLI in front, whose own start-up
 * (~0.3 s) would be counted against the service and not against the hello-world, and without its
 * `pre` script (the bench runs those once, untimed). When `npm start` changes, the bench follows.
 */
export async function packageScript(name: string): Promise<string> {
  const manifest = JSON.parse(await readFile(join(PROJECT_DIRECTORY, 'package.json'), 'utf8')) as { scripts?: Record<string, string> }
  const command = manifest.scripts?.[name]
  if (!command) throw new Error(`Bench: package.json has no "${name}" script`)
  return command
}

function scriptEnvironment(environment: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, PATH: `${join(PROJECT_DIRECTORY, 'node_modules', '.bin')}${delimiter}${process.env.PATH ?? ''}`, ...environment }
}

// Every process group the bench started, so an interrupted bench leaves none behind.
const running = new Set<ChildProcess>()
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal)
  } catch {
    // already gone
  }
}
for (const [signal, number] of [['SIGINT', 2], ['SIGTERM', 15]] as const) {
  process.once(signal, () => {
    for (const child of running) killGroup(child, 'SIGKILL')
    process.exit(128 + number)
  })
}
process.once('exit', () => {
  for (const child of running) killGroup(child, 'SIGKILL')
})

function spawnShell(command: string, environment: Record<string, string>, output: 'ignore' | 'pipe'): ChildProcess {
  // Its own process group: tsx runs the script in a child process, and stopping must reach it.
  const child = spawn('/bin/sh', ['-c', command], { cwd: PROJECT_DIRECTORY, env: scriptEnvironment(environment), detached: true, stdio: ['ignore', output, 'pipe'] })
  running.add(child)
  child.once('exit', () => running.delete(child))
  return child
}

function lastLines(text: string, count = 15): string {
  return text.trim().split('\n').slice(-count).join('\n')
}

/** A service started by the bench, healthy and listening on loopback. */
export interface RunningService {
  baseUrl: string
  /** From spawn to the first 200 of GET /health, in milliseconds. */
  readyMs: number
  /** The body of that first /health answer. */
  health: unknown
  /** Resident memory of the service's whole process tree now, in bytes (undefined off Linux). */
  residentBytes(): Promise<number | undefined>
  stop(): Promise<void>
}

/**
 * Starts a command as a service on a free loopback port (PORT/HOST in its environment) and
 * polls GET /health until it answers 200; fails after `timeoutMs` or when the process exits.
 */
export async function startService(command: string, environment: Record<string, string>, timeoutMs: number): Promise<RunningService> {
  const port = await freePort()
  const baseUrl = `http://127.0.0.1:${port}`
  const started = performance.now()
  const child = spawnShell(command, { ...environment, HOST: '127.0.0.1', PORT: String(port) }, 'ignore')
  let stderr = ''
  child.stderr!.on('data', (data: Buffer) => {
    stderr = (stderr + data.toString()).slice(-20_000)
  })
  let exited: string | undefined
  child.once('exit', (code, signal) => {
    exited = `exited with ${signal ?? code}`
  })
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return
    const gone = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()))
    killGroup(child, 'SIGTERM')
    const timer = setTimeout(() => killGroup(child, 'SIGKILL'), STOP_TIMEOUT_MS)
    await gone
    clearTimeout(timer)
    // tsx's child may outlive the shell by a moment; make sure the group is gone.
    killGroup(child, 'SIGKILL')
  }
  while (performance.now() - started < timeoutMs) {
    if (exited) throw new Error(`Bench: "${command}" ${exited} before /health answered:\n${lastLines(stderr)}`)
    const response = await fetch(`${baseUrl}/health`).catch(() => undefined)
    if (response?.status === 200) {
      const readyMs = performance.now() - started
      return { baseUrl, readyMs, health: await response.json(), residentBytes: () => processTreeResidentBytes(child.pid!), stop }
    }
    await response?.body?.cancel()
    await new Promise((wait) => setTimeout(wait, HEALTH_POLL_MS))
  }
  await stop()
  throw new Error(`Bench: "${command}" was not healthy after ${timeoutMs} ms:\n${lastLines(stderr)}`)
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

/** What a command run to completion cost. */
export interface CommandCost {
  wallMs: number
  /** Largest resident set of the command or any one of its descendants, in bytes (GNU time's %M); undefined without /usr/bin/time. */
  peakResidentBytes?: number
  /** User plus system CPU time of the command and its descendants, in milliseconds (GNU time's %U + %S): unlike wall time, barely moved by other load on the machine. */
  cpuMs?: number
  stdout: string
}

/** Runs a command to completion (killed after `timeoutMs`), measuring its wall time and, through GNU time, its peak memory and CPU time. */
export async function runCommand(command: string, environment: Record<string, string>, timeoutMs: number): Promise<CommandCost> {
  const timeFolder = await mkdtemp(join(tmpdir(), 'citeqa-bench-time-'))
  const timeFile = join(timeFolder, 'rusage')
  const withTime = existsSync(GNU_TIME)
  // exec: the shell becomes GNU time, which waits for the command and reports its (and its children's) maximum RSS.
  const wrapped = withTime ? `exec ${GNU_TIME} -f '%M %U %S' -o ${timeFile} /bin/sh -c '${command.replaceAll("'", `'\\''`)}'` : command
  const started = performance.now()
  const child = spawnShell(wrapped, environment, 'pipe')
  let stdout = ''
  let stderr = ''
  child.stdout!.on('data', (data: Buffer) => (stdout += data.toString()))
  child.stderr!.on('data', (data: Buffer) => {
    stderr = (stderr + data.toString()).slice(-20_000)
  })
  const timer = setTimeout(() => killGroup(child, 'SIGKILL'), timeoutMs)
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolveExit) => child.once('exit', (...result) => resolveExit(result)))
  clearTimeout(timer)
  const wallMs = performance.now() - started
  try {
    if (signal === 'SIGKILL') throw new Error(`Bench: "${command}" took longer than ${timeoutMs} ms and was stopped`)
    if (code !== 0) throw new Error(`Bench: "${command}" exited with ${signal ?? code}:\n${lastLines(stderr)}`)
    // GNU time's last line: maximum RSS in KB, user and system seconds.
    const [kilobytes, user, system] = withTime ? (await readFile(timeFile, 'utf8')).trim().split('\n').at(-1)!.split(' ').map(Number) : []
    return {
      wallMs,
      stdout,
      ...(Number.isFinite(kilobytes) && { peakResidentBytes: kilobytes * 1024 }),
      ...(Number.isFinite(user + system) && { cpuMs: (user + system) * 1000 }),
    }
  } finally {
    await rm(timeFolder, { recursive: true, force: true })
  }
}
