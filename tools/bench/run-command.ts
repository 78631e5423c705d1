import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { PROJECT_DIRECTORY, ProcessLog, signalGroup, spawnInGroup, startService, type ServiceProcess } from '../service-process.ts'

const GNU_TIME = '/usr/bin/time'
const STOP_TIMEOUT_MS = 5_000

/**
 * A package.json script's command runs the way npm runs it — through the shell, with
 * node_modules/.bin on the PATH — but without the npm CLI in front, whose own start-up (~0.3 s)
 * would be counted against the service and not against the hello-world, and without its `pre`
 * script (the bench runs those once, untimed). When `npm start` changes, the bench follows.
 */
function scriptEnvironment(environment: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, PATH: `${join(PROJECT_DIRECTORY, 'node_modules', '.bin')}${delimiter}${process.env.PATH ?? ''}`, ...environment }
}

function spawnShell(command: string, environment: Record<string, string>, stdout: 'ignore' | 'pipe') {
  return spawnInGroup('/bin/sh', ['-c', command], scriptEnvironment(environment), stdout)
}

/** Starts a shell command as a service on a free loopback port and waits for its /health (see startService). */
export async function startShellService(command: string, environment: Record<string, string>, timeoutMs: number): Promise<ServiceProcess> {
  return startService({
    component: 'Bench',
    description: `"${command}"`,
    spawnWith: (settings) => spawnShell(command, settings, 'ignore'),
    environment,
    readyTimeoutMs: timeoutMs,
    stopTimeoutMs: STOP_TIMEOUT_MS,
  })
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
  child.stdout!.on('data', (data: Buffer) => (stdout += data.toString()))
  const log = new ProcessLog(child)
  const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), timeoutMs)
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolveExit) => child.once('exit', (...result) => resolveExit(result)))
  clearTimeout(timer)
  const wallMs = performance.now() - started
  try {
    if (signal === 'SIGKILL') throw new Error(`Bench: "${command}" took longer than ${timeoutMs} ms and was stopped`)
    if (code !== 0) throw new Error(`Bench: "${command}" exited with ${signal ?? code}:\n${log.tail()}`)
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
