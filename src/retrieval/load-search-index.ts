import type { CiteqaEmbeddings } from '../embeddings/citeqa-embeddings.ts'
import { QueryTranslator } from '../text/query-translator.ts'
import { decodeSentencePairs } from '../text/sentence-pairs.ts'
import { savedLexiconLookup } from '../text/translation-lexicon.ts'
import { CHUNKS_FILE, parseChunks } from './chunk-file.ts'
import { findStaleness } from './index-manifest.ts'
import { OUTLINE_FILE, parseOutlines } from './outline-file.ts'
import { passageText } from './passage-text.ts'
import { LEXICON_FILE, SENTENCE_PAIRS_FILE, TERMS_FILE, requireFile, type StoredIndex } from './stored-index.ts'
import { TermIndex } from './term-index.ts'
import type { OpenSearchIndexOptions, SearchIndex } from './types.ts'
import { loadVectorStore } from './vector-storage.ts'

/**
 * The stored index, or why it does not serve (another embedder, outlines of another format) with
 * the embedder made for it, which a build of the same corpus can use. Throws when a file cannot be parsed.
 */
export async function loadStoredIndex(stored: StoredIndex, options: OpenSearchIndexOptions, contentHash: string): Promise<{ index: SearchIndex } | { staleness: string; embeddings?: CiteqaEmbeddings }> {
  const { documents, chunking } = options
  const terms = TermIndex.decode(requireFile(stored, TERMS_FILE))
  const chunks = parseChunks(requireFile(stored, CHUNKS_FILE), documents)
  if (terms.chunkCount !== chunks.length) throw new Error(`${terms.chunkCount} chunks of terms for ${chunks.length} chunks`)
  const lexicon = requireFile(stored, LEXICON_FILE)
  const translator = new QueryTranslator(() => savedLexiconLookup(lexicon.toString('utf8')))
  const embeddings = await options.createEmbeddings({ corpus: terms, translator })
  const embedder = { id: embeddings.id, dimensions: await embeddings.dimensions() }
  const staleness = findStaleness(stored.manifest, { contentHash, chunking, embedder })
  if (staleness) return { staleness, embeddings }
  // An index from before outlines (or with another outline format) is rebuilt.
  const outlines = parseOutlines(stored.files.get(OUTLINE_FILE)?.toString('utf8'), documents)
  if (outlines.problem) return { staleness: outlines.problem, embeddings }
  const vectorStore = await loadVectorStore(stored, embeddings, embedder, { chunks, corpus: chunks.map(passageText), terms })
  const sentencePairs = decodeSentencePairs(requireFile(stored, SENTENCE_PAIRS_FILE))
  return {
    index: {
      chunks,
      terms,
      vectorStore,
      embeddings,
      translator,
      manifest: stored.manifest,
      similarityCalibration: stored.manifest.similarityCalibration,
      outlines: outlines.outlines!,
      sentencePairs,
      origin: 'loaded',
    },
  }
}
