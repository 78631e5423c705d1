import 'dotenv/config'
import cliProgress from 'cli-progress'
import { createCiteqa } from '../citeqa.ts'
import { parseConfig } from '../config.ts'
import { createLogger } from '../logger.ts'

// npm run ingest: rebuild the index from the article, whatever is on disk.
const config = parseConfig()
const bar = new cliProgress.SingleBar({ format: 'Embedding passages [{bar}] {value}/{total}', stream: process.stderr }, cliProgress.Presets.shades_classic)
let started = false
const citeqa = await createCiteqa(config, {
  logger: createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL),
  forceRebuild: true,
  onEmbeddingProgress: (done, total) => {
    if (!started) bar.start(total, 0)
    started = true
    bar.update(done)
  },
})
if (started) bar.stop()
const { manifest, chunks } = citeqa.index
console.log(
  `Indexed ${citeqa.documents.length} document(s), ${citeqa.documents.reduce((sum, document) => sum + document.paragraphs.length, 0)} paragraphs, ` +
    `${chunks.length} chunks with ${manifest.embedder.id} (${manifest.embedder.dimensions} dimensions) into ${config.INDEX_DIR}/current`,
)
