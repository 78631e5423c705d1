import { spawnSync, type ChildProcess } from 'node:child_process'
import { PROJECT_DIRECTORY, packageScript, spawnInGroup, startService, type ServiceProcess } from '../service-process.ts'

/** main.ts's drain timeout: a service still running this long after SIGTERM is killed by itself with exit code 1. */
export const DRAIN_TIMEOUT_MS = 10_000

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
  const before = packageScript(`pre${name}`)
  if (before && !prepared.has(name)) {
    prepared.add(name)
    const result = spawnSync('/bin/sh', ['-c', before], { cwd: PROJECT_DIRECTORY, stdio: ['ignore', 'ignore', 'pipe'] })
    if (result.status !== 0) throw new Error(`Soak: "npm run pre${name}" failed (${result.status}): ${result.stderr.toString('utf8').slice(-500)}`)
  }
  const command = /^(node|tsx)\s+(\S+)$/.exec(packageScript(name)?.trim() ?? '')
  if (command?.[1] === 'node') return [command[2]]
  return ['--import', 'tsx', command?.[2] ?? SCRIPT_SOURCES[name]]
}

/** `npm start` or `npm run ingest` as package.json defines them, with only `environment` as settings. */
export function spawnScript(name: keyof typeof SCRIPT_SOURCES, environment: Record<string, string>): ChildProcess {
  // No .env: the soak's settings are exactly these (a developer's API keys or model must not leak in).
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DOTENV_CONFIG_PATH: '/dev/null', ...environment }
  return spawnInGroup(process.execPath, packageScriptArguments(name), env, 'pipe')
}

/** Starts the service as `npm start` does, with `environment` (logging JSON), on a free port, and waits for `GET /health` to answer 200. */
export async function startScriptService(environment: Record<string, string>, { readyTimeoutMs = 90_000 } = {}): Promise<ServiceProcess> {
  return startService({
    component: 'Soak',
    description: 'the service',
    spawnWith: (settings) => spawnScript('start', settings),
    environment: { LOG_FORMAT: 'json', ...environment },
    readyTimeoutMs,
    stopTimeoutMs: DRAIN_TIMEOUT_MS + 2000,
  })
}
