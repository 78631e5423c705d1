import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * The project folder (the one holding package.json), found by walking up from this module: it
 * sits in src/ when run through tsx and in the dist/ bundle after `npm run build`, at different
 * depths, so paths to public/, prompts/ and node_modules/ start from here rather than from a module.
 */
export const PROJECT_FOLDER = findProjectFolder(dirname(fileURLToPath(import.meta.url)))

function findProjectFolder(start: string): string {
  for (let folder = start; ; folder = dirname(folder)) {
    if (existsSync(join(folder, 'package.json'))) return folder
    if (dirname(folder) === folder) return start
  }
}
