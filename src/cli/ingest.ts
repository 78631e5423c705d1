import 'dotenv/config'
import cliProgress from 'cli-progress'
import { openIndexOf } from '../citeqa.ts'
import { parseConfig } from '../config.ts'
import { exitOnFailure } from '../exit-on-failure.ts'
import { loadServedDocuments } from '../documents/document-library.ts'
import { createCliLogger } from '../logger.ts'
import { parseCommandLine } from './command-line.ts'

const USAGE = `Usage: npm run ingest [-- --full]

Rebuilds the index from the article or folder (ARTICLE_PATH) and the documents added through the
API (DOCUMENTS_DIR), whatever is on disk: into INDEX_DIR (INDEX_STORE=files), or as a new
generation in PostgreSQL (INDEX_STORE=postgres, DATABASE_URL), made active once it is complete —
every running replica switches to it.
With the files store, what the stored index holds for unchanged chunks and documents is reused.

  --full    build everything anew, reusing nothing
  --help    this text`

const { values } = parseCommandLine('ingest', USAGE, { options: { full: { type: 'boolean', default: false } } })
const full = values.full
exitOnFailure('npm run ingest')
const config = parseConfig()
const bar = new cliProgress.SingleBar({ format: 'Embedding passages [{bar}] {value}/{total}', stream: process.stderr }, cliProgress.Presets.shades_classic)
let started = false
// The documents the service serves: ARTICLE_PATH's and those added through POST /documents (DOCUMENTS_DIR),
// in the service's order, so the index built here is the one it loads. A running service's staged uploads are left alone.
const { documents } = await loadServedDocuments(config, { onSkipped: ({ path, reason }) => process.stderr.write(`Skipped ${path}: ${reason}\n`), removeLeftovers: false })
const index = await openIndexOf(config, documents, {
  logger: createCliLogger(config),
  forceRebuild: true,
  reuse: !full,
  onEmbeddingProgress: (done, total) => {
    if (!started) bar.start(total, 0)
    started = true
    bar.update(done)
  },
})
if (started) bar.stop()
if (index.unsaved) {
  // The service would serve such an index from memory; an ingest that saves nothing has failed.
  console.error(`Ingest: ${index.unsaved}; the index on disk is unchanged`)
  process.exit(1)
}
const { manifest, chunks, changes } = index
const list = (ids: string[]) => (ids.length === 0 ? '' : ` (${ids.slice(0, 5).join(', ')}${ids.length > 5 ? `, … ${ids.length - 5} more` : ''})`)
console.log(
  `Indexed ${documents.length} document(s), ${documents.reduce((sum, document) => sum + document.paragraphs.length, 0)} paragraphs, ` +
    `${chunks.length} chunks with ${manifest.embedder.id} (${manifest.embedder.dimensions} dimensions) into ${index.generation ? `PostgreSQL generation ${index.generation} (now active)` : `${config.INDEX_DIR}/current`}`,
)
if (changes) {
  console.log(
    `Documents: ${changes.added.length} added${list(changes.added)}, ${changes.changed.length} changed${list(changes.changed)}, ` +
      `${changes.removed.length} removed${list(changes.removed)}, ${changes.unchanged} unchanged; ` +
      (full ? `all ${changes.chunks} chunks embedded (--full: nothing reused)` : `${changes.embeddedChunks} of ${changes.chunks} chunks embedded${changes.embeddedChunks < changes.chunks ? ', the rest reused' : ''}`),
  )
}
