import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { decodeSentencePairs } from '../text/sentence-pairs.ts'
import { assembleSearchIndex, type BuildInputs } from './assemble-search-index.ts'
import { writeIndexAtomically } from './atomic-index-write.ts'
import { CHUNKS_FILE, serializeChunks } from './chunk-file.ts'
import type { IndexManifest } from './index-manifest.ts'
import { OUTLINE_FILE, serializeOutlines } from './outline-file.ts'
import { LEXICON_FILE, SENTENCE_PAIRS_FILE, TERMS_FILE } from './stored-index.ts'
import type { OpenSearchIndexOptions, SearchIndex } from './types.ts'

export type { BuildInputs } from './assemble-search-index.ts'

/**
 * Builds the index (assembleSearchIndex) and writes it atomically. When it cannot be written
 * (read-only, full or missing disk) it is served from memory, with one warning and `unsaved` saying why.
 */
export async function buildSearchIndex(options: OpenSearchIndexOptions, inputs: BuildInputs): Promise<SearchIndex> {
  const { directory, documents, logger } = options
  const { chunks, terms, lexiconText, translator, embeddings, vectors, similarityCalibration, outlines, sentencePairsFile, changes, described } = await assembleSearchIndex(options, inputs)
  let manifest: IndexManifest
  let unsaved: string | undefined
  try {
    manifest = await writeIndexAtomically(directory, async (folder) => {
      await vectors.save(folder)
      await writeFile(join(folder, CHUNKS_FILE), serializeChunks(chunks, documents))
      await writeFile(join(folder, TERMS_FILE), terms.encode())
      await writeFile(join(folder, LEXICON_FILE), lexiconText)
      await writeFile(join(folder, OUTLINE_FILE), serializeOutlines(outlines))
      await writeFile(join(folder, SENTENCE_PAIRS_FILE), sentencePairsFile)
      return described
    })
  } catch (error) {
    // A read-only, full or missing disk must not keep the service from answering: it serves this
    // index from memory, and the next start tries to write it again.
    const { code } = error as NodeJS.ErrnoException
    unsaved = `could not save the index in ${directory} (${code ?? (error as Error).message})`
    logger.warn({ err: error, directory, code }, `Index: ${unsaved}; serving it from memory, it will be rebuilt at the next start`)
    manifest = { ...described, files: {} }
  }
  const sentencePairs = decodeSentencePairs(sentencePairsFile)
  const { vectorStore } = vectors
  return { chunks, terms, vectorStore, embeddings, translator, manifest, similarityCalibration, outlines, sentencePairs, origin: 'built', rebuildReason: inputs.staleness, changes, ...(unsaved ? { unsaved } : {}) }
}
