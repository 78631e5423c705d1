// `npm start` and `npm run ingest` run the compiled dist/; this rebuilds it first when a source file
// is newer (an edit since the last build), so they never run stale code. Plain Node, no dependencies:
// it costs a few milliseconds when dist/ is current.
import { spawnSync } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const built = (() => {
  try {
    return statSync(join(root, 'dist', 'main.js')).mtimeMs
  } catch {
    return -Infinity
  }
})()

function newestIn(folder) {
  let newest = -Infinity
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name)
    if (entry.isDirectory()) newest = Math.max(newest, newestIn(path))
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs)
  }
  return newest
}

const sources = Math.max(newestIn(join(root, 'src')), ...['tsconfig.json', 'package.json', 'package-lock.json'].map((file) => statSync(join(root, file)).mtimeMs))
if (sources > built) {
  console.error('dist/ is older than src/: building (npm run build)')
  const result = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' })
  // tsc still writes the JavaScript when only types are wrong, as tsx would run it: warn, and go on when it did.
  if (result.status !== 0) {
    const emitted = (() => {
      try {
        return statSync(join(root, 'dist', 'main.js')).mtimeMs > built
      } catch {
        return false
      }
    })()
    if (!emitted) process.exit(result.status ?? 1)
    console.error('npm run build reported errors (above); starting with what it compiled')
  }
}
