import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { OfflineEmbeddings } from '../../src/embeddings/offline-embeddings.ts'
import { defaultChunkingOptions } from '../../src/ingest/chunk-paragraphs.ts'
import { OUTLINE_FORMAT_VERSION } from '../../src/ingest/document-outline.ts'
import { loadDocuments } from '../../src/ingest/load-documents.ts'
import { silentLogger } from '../../src/logger.ts'
import { MANIFEST_FILE } from '../../src/retrieval/index-manifest.ts'
import { OUTLINE_FILE } from '../../src/retrieval/outline-file.ts'
import { openSearchIndex, type OpenSearchIndexOptions } from '../../src/retrieval/search-index.ts'

async function options(): Promise<OpenSearchIndexOptions> {
  return {
    directory: await mkdtemp(join(tmpdir(), 'citeqa-outline-')),
    documents: await loadDocuments('data/article.txt'),
    chunking: defaultChunkingOptions,
    createEmbeddings: async ({ corpus, translator }) => new OfflineEmbeddings({ corpus, translator }),
    logger: silentLogger,
  }
}

test('the outlines are built with the index, checksummed in its manifest, and loaded back from it', async () => {
  const settings = await options()
  const built = await openSearchIndex(settings)
  assert.deepEqual(built.outlines[0].sections.map((section) => section.heading.paragraph), [2, 5, 9, 12, 18])
  const manifest = JSON.parse(await readFile(join(settings.directory, 'current', MANIFEST_FILE), 'utf8'))
  assert.ok(manifest.files[OUTLINE_FILE], 'the outline file is one of the index files')
  const loaded = await openSearchIndex(settings)
  assert.equal(loaded.origin, 'loaded')
  assert.deepEqual(loaded.outlines, built.outlines)
  await rm(settings.directory, { recursive: true, force: true })
})

test('an index without outlines, or with another outline format, is rebuilt and says why', async () => {
  const settings = await options()
  await openSearchIndex(settings)
  const folder = join(settings.directory, 'current')
  const manifestPath = join(folder, MANIFEST_FILE)
  // An index written before outlines existed: no file, none in the manifest.
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8'))
  delete manifest.files[OUTLINE_FILE]
  await writeFile(manifestPath, JSON.stringify(manifest))
  await rm(join(folder, OUTLINE_FILE))
  const rebuilt = await openSearchIndex(settings)
  assert.equal(rebuilt.rebuildReason, 'the index has no document outlines')
  assert.equal(rebuilt.outlines.length, 1)

  const outlinePath = join(folder, OUTLINE_FILE)
  const stored = JSON.parse(await readFile(outlinePath, 'utf8'))
  await writeFile(outlinePath, JSON.stringify({ ...stored, formatVersion: 0 }))
  const current = JSON.parse(await readFile(manifestPath, 'utf8'))
  current.files[OUTLINE_FILE] = createHash('sha256').update(await readFile(outlinePath)).digest('hex')
  await writeFile(manifestPath, JSON.stringify(current))
  const again = await openSearchIndex(settings)
  assert.equal(again.rebuildReason, `outline format version 0, this build reads version ${OUTLINE_FORMAT_VERSION}`)
  await rm(settings.directory, { recursive: true, force: true })
})
