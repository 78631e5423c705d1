import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { loadDocuments } from '../../src/ingest/load-documents.ts'
import { splitIntoSentences } from '../../src/ingest/split-into-sentences.ts'
import { seededRandom } from '../../src/seeded-random.ts'

/** What the synthetic corpora are mixed from: titles and sentences of real Chinese documents. */
export interface SentencePool {
  titles: string[]
  sentences: string[]
}

// A title line is short and ends without sentence punctuation; a sentence worth mixing has some substance.
const TITLE_MAX_CHARACTERS = 30
const SENTENCE_MIN_CHARACTERS = 8

/** Reads the source documents (files or folders) and pools their title lines and sentences, in file order. */
export async function readSentencePool(sources: string[]): Promise<SentencePool> {
  const titles: string[] = []
  const sentences: string[] = []
  for (const source of sources) {
    for (const document of await loadDocuments(source)) {
      for (const paragraph of document.paragraphs) {
        const text = paragraph.text.trim()
        if (paragraph.number === 1 && [...text].length <= TITLE_MAX_CHARACTERS && !/[。！？!?；;]$/.test(text)) titles.push(text)
        else for (const { text: sentence } of splitIntoSentences(text)) if ([...sentence].length >= SENTENCE_MIN_CHARACTERS) sentences.push(sentence)
      }
    }
  }
  if (titles.length === 0 || sentences.length === 0) throw new Error(`Bench: no titles or sentences to mix in ${sources.join(', ')}`)
  return { titles, sentences }
}

/** A written corpus: the folder and what it holds. */
export interface GrowthCorpus {
  folder: string
  documents: number
  /** Characters of text (line breaks not counted). */
  characters: number
}

/**
 * Writes a folder of synthetic documents of about `targetCharacters` in all: each a title line
 * and one to four paragraphs of two to seven sentences drawn at random from every source document,
 * under new ids (`grow-00001.txt`, …) — realistic vocabulary and sentence lengths, no duplicate
 * documents. The same seed writes the same documents in the same order, so a larger corpus begins
 * with the smaller one.
 */
export async function writeGrowthCorpus(pool: SentencePool, targetCharacters: number, folder: string, seed = 8): Promise<GrowthCorpus> {
  const random = seededRandom(seed)
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)]
  const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1))
  await mkdir(folder, { recursive: true })
  let characters = 0
  let documents = 0
  while (characters < targetCharacters) {
    const lines = [pick(pool.titles)]
    const paragraphs = between(1, 4)
    for (let paragraph = 0; paragraph < paragraphs; paragraph++) lines.push(Array.from({ length: between(2, 7) }, () => pick(pool.sentences)).join(''))
    documents++
    characters += lines.reduce((sum, line) => sum + [...line].length, 0)
    await writeFile(join(folder, `grow-${String(documents).padStart(5, '0')}.txt`), `${lines.join('\n')}\n`)
  }
  return { folder, documents, characters }
}
