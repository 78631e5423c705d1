import { randomUUID } from 'node:crypto'
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { MANIFEST_FILE, type IndexManifest } from './index-manifest.ts'
import { CURRENT_FOLDER, fileChecksum } from './stored-index.ts'

/**
 * Writes a new index beside the live one, then swaps it in with renames, so a crash at any
 * point leaves either the old index or the new one, never a half-written one. `write` fills the
 * staging folder and describes the index; the manifest, with every file's checksum, goes last.
 */
export async function writeIndexAtomically(directory: string, write: (folder: string) => Promise<Omit<IndexManifest, 'files'>>): Promise<IndexManifest> {
  await mkdir(directory, { recursive: true })
  const staging = join(directory, `.staging-${randomUUID()}`)
  const retired = join(directory, `.retired-${randomUUID()}`)
  await mkdir(staging)
  try {
    const partial = await write(staging)
    const files: Record<string, string> = {}
    for (const file of (await readdir(staging)).sort()) files[file] = fileChecksum(await readFile(join(staging, file)))
    const manifest: IndexManifest = { ...partial, files }
    // The manifest goes last: a folder without one is never loaded.
    await writeFile(join(staging, MANIFEST_FILE), JSON.stringify(manifest, null, 2))
    const live = join(directory, CURRENT_FOLDER)
    await rename(live, retired).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error
    })
    await rename(staging, live)
    await rm(retired, { recursive: true, force: true })
    return manifest
  } catch (error) {
    await rm(staging, { recursive: true, force: true }).catch(() => undefined)
    throw error
  }
}

/** Removes staging folders left by a process that died mid-build. */
export async function removeLeftovers(directory: string): Promise<void> {
  const entries = await readdir(directory).catch(() => [] as string[])
  await Promise.all(
    entries.filter((name) => name.startsWith('.staging-') || name.startsWith('.retired-')).map((name) => rm(join(directory, name), { recursive: true, force: true })),
  )
}
