import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { copyFile, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { promisify } from 'node:util'
import { PROJECT_DIRECTORY } from '../service-process.ts'

// The growth curve's corpus: distinct real documents, never copies of the same ones (copies share
// every term and flatter the index's growth). The article and the CMRC trial documents come
// first; then classical poems from the `chinese-poetry` package (MIT, ~300,000 poems). That
// package is 85 MB packed, so it is no dependency of the project: it is fetched on first use with
// `npm pack` into a cache folder, and only its poem files are unpacked.

const run = promisify(execFile)

/** The pinned version of the poems: the same corpus on every machine. */
export const POETRY_PACKAGE = 'chinese-poetry@2.0.1'
/** Where the fetched package is kept between runs (git-ignored). */
export const POETRY_CACHE = join(PROJECT_DIRECTORY, '.cache', 'chinese-poetry')
// The poems of the Quan Tang Shi and Quan Song Shi: JSON arrays of {title, author, paragraphs}.
const POEM_FILES = 'package/dist/quantangshi'
const POEM_FILE = /^poet\.(?:tang|song)\.\d+\.json$/

const ARTICLE = join(PROJECT_DIRECTORY, 'data', 'article.txt')
const CMRC_DOCS = join(PROJECT_DIRECTORY, 'data', 'qa', 'cmrc-trial', 'docs')
// A poem shorter than this (a fragment, a lost line) says too little to be a document.
const POEM_MIN_CHARACTERS = 20

interface Poem {
  title?: string
  author?: string
  paragraphs?: string[]
}

/** The folder of unpacked poem files, fetching and unpacking the package on first use. */
export async function poetryFolder(log: (message: string) => void = () => {}): Promise<string> {
  const folder = join(POETRY_CACHE, POEM_FILES)
  if (existsSync(join(POETRY_CACHE, 'complete'))) return folder
  await mkdir(POETRY_CACHE, { recursive: true })
  log(`fetching ${POETRY_PACKAGE} (85 MB, once) into ${POETRY_CACHE}`)
  const { stdout } = await run('npm', ['pack', POETRY_PACKAGE, '--silent', '--pack-destination', POETRY_CACHE], { cwd: POETRY_CACHE, maxBuffer: 1 << 20 })
  const tarball = join(POETRY_CACHE, basename(stdout.trim().split('\n').at(-1)!))
  await run('tar', ['-xzf', tarball, '-C', POETRY_CACHE, POEM_FILES])
  await rm(tarball, { force: true })
  // Written last: an interrupted fetch is fetched again.
  await writeFile(join(POETRY_CACHE, 'complete'), `${POETRY_PACKAGE}\n`)
  return folder
}

/** Poems as documents (title, author, lines), in a fixed order, up to `count`. */
async function* poemDocuments(folder: string, count: number): AsyncGenerator<string> {
  // poet.tang.0.json, poet.tang.1000.json…: numeric order, Tang before Song.
  const files = (await readdir(folder)).filter((file) => POEM_FILE.test(file)).sort((a, b) => {
    const [, dynastyA, startA] = /^poet\.(\w+)\.(\d+)/.exec(a)!
    const [, dynastyB, startB] = /^poet\.(\w+)\.(\d+)/.exec(b)!
    return dynastyB.localeCompare(dynastyA) || Number(startA) - Number(startB)
  })
  let written = 0
  for (const file of files) {
    for (const poem of JSON.parse(await readFile(join(folder, file), 'utf8')) as Poem[]) {
      // A poem's lines are one paragraph (a stanza), as a short document's text is.
      const body = (poem.paragraphs ?? []).join('').trim()
      if ([...body].length < POEM_MIN_CHARACTERS || !poem.title) continue
      yield `${poem.title}\n${poem.author ?? ''}\n${body}\n`
      if (++written >= count) return
    }
  }
  throw new Error(`Bench: ${POETRY_PACKAGE} holds fewer than ${count} poems`)
}

/** A written corpus: the folder and what it holds. */
export interface DistinctCorpus {
  folder: string
  documents: number
  /** Characters of text (line breaks not counted). */
  characters: number
}

/**
 * Writes `documents` distinct documents into `folder`: the article (as `article.txt`, so the dev
 * questions keep their document), the CMRC trial documents, then poems. The same count writes the
 * same documents; a larger corpus begins with the smaller one.
 */
export async function writeDistinctCorpus(folder: string, documents: number, log?: (message: string) => void): Promise<DistinctCorpus> {
  await rm(folder, { recursive: true, force: true })
  const staging = `${folder}.partial`
  await rm(staging, { recursive: true, force: true })
  await mkdir(staging, { recursive: true })
  let written = 0
  let characters = 0
  const count = async (path: string) => (characters += [...(await readFile(path, 'utf8')).replace(/\s/g, '')].length)
  await copyFile(ARTICLE, join(staging, 'article.txt'))
  await count(ARTICLE)
  written++
  for (const file of (await readdir(CMRC_DOCS)).sort()) {
    if (written >= documents) break
    await copyFile(join(CMRC_DOCS, file), join(staging, file))
    await count(join(CMRC_DOCS, file))
    written++
  }
  if (written < documents) {
    for await (const poem of poemDocuments(await poetryFolder(log), documents - written)) {
      written++
      characters += [...poem.replace(/\s/g, '')].length
      await writeFile(join(staging, `poem-${String(written).padStart(6, '0')}.txt`), poem)
    }
  }
  await rename(staging, folder)
  return { folder, documents: written, characters }
}
