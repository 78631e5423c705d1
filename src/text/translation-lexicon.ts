// The English → Chinese translation lexicon of a corpus, and its file as saved with the index.

/** A Chinese corpus term proposed as a translation, with how good a translation it is (0–1]. */
export interface WeightedTerm {
  term: string
  weight: number
}

/**
 * English → Chinese translations of one corpus, saved next to the search index (see
 * serializeLexicon) and used at query time without CC-CEDICT.
 */
export interface TranslationLexicon {
  format: typeof LEXICON_FORMAT
  /**
   * Key: a stemmed English content word (`invest`), or 2–3 stemmed content words joined by a space
   * for phrases of multi-word glosses (`treatment plant`). Value: corpus terms, best first.
   */
  translations: Record<string, WeightedTerm[]>
}

export const LEXICON_FORMAT = 'citeqa-translation-lexicon-v1'

/**
 * The lexicon as saved with the index: a header line, then one line a key — the key, then each
 * translation as `term weight`, tab-separated. A third of the size of its JSON form, and read only
 * on the first English question (see {@link QueryTranslator}).
 */
export function serializeLexicon(lexicon: TranslationLexicon): string {
  const lines: string[] = [lexicon.format]
  // Keys in order, so that a saved lexicon is searched where it lies (see savedLexiconLookup).
  for (const [key, translations] of Object.entries(lexicon.translations).sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0))) {
    if (/[\t\n]/.test(key)) throw new Error(`Lexicon: the key "${key}" holds a tab or line break`)
    if (/[\t\n ]/.test(translations.map((translation) => translation.term).join(''))) throw new Error(`Lexicon: a translation of "${key}" holds a tab, space or line break`)
    lines.push([key, ...translations.map(({ term, weight }) => `${term} ${weight}`)].join('\t'))
  }
  return `${lines.join('\n')}\n`
}

/** Translations by English key: a lexicon object, or a saved lexicon searched in place. */
export interface LexiconLookup {
  translationsOf(key: string): WeightedTerm[]
}

/**
 * A saved lexicon searched where it lies: its lines are sorted by key, so a key is found by binary
 * search and only its own line is parsed. At a thousand documents (130,000 keys) parsing the whole
 * lexicon took ~0.4 s and 30 MB on the first English question; this needs the text and its line starts.
 */
export function savedLexiconLookup(text: string): LexiconLookup {
  if (!text.startsWith(`${LEXICON_FORMAT}\n`)) throw new Error(`Lexicon: format "${text.slice(0, Math.max(0, text.indexOf('\n'))).slice(0, 60)}", expected "${LEXICON_FORMAT}"`)
  const starts: number[] = []
  for (let start = LEXICON_FORMAT.length + 1; start < text.length; ) {
    const end = text.indexOf('\n', start)
    if (end !== start) starts.push(start)
    start = end === -1 ? text.length : end + 1
  }
  const lineStarts = Uint32Array.from(starts)
  const keyAt = (line: number) => text.slice(lineStarts[line], text.indexOf('\t', lineStarts[line]))
  return {
    translationsOf(key) {
      let low = 0
      let high = lineStarts.length - 1
      while (low <= high) {
        const middle = (low + high) >>> 1
        const candidate = keyAt(middle)
        if (candidate === key) {
          const end = text.indexOf('\n', lineStarts[middle])
          return parseTranslations(text.slice(lineStarts[middle], end === -1 ? text.length : end), middle + 2)
        }
        if (candidate < key) low = middle + 1
        else high = middle - 1
      }
      return []
    },
  }
}

/** The translations on one line of a saved lexicon (`key`, then `term weight` entries, tab-separated). */
function parseTranslations(line: string, number: number): WeightedTerm[] {
  const [key, ...entries] = line.split('\t')
  return entries.map((entry) => {
    const space = entry.lastIndexOf(' ')
    const weight = Number(entry.slice(space + 1))
    if (space <= 0 || !(weight > 0)) throw new Error(`Lexicon: line ${number} ("${key}") has a malformed translation "${entry}"`)
    return { term: entry.slice(0, space), weight }
  })
}

/** Reads what {@link serializeLexicon} wrote; throws naming the line that is wrong. */
export function parseLexicon(text: string): TranslationLexicon {
  const lines = text.split('\n')
  if (lines[0] !== LEXICON_FORMAT) throw new Error(`Lexicon: format "${lines[0].slice(0, 60)}", expected "${LEXICON_FORMAT}"`)
  const translations: Record<string, WeightedTerm[]> = {}
  for (let number = 1; number < lines.length; number++) {
    if (lines[number] === '') continue
    const key = lines[number].slice(0, lines[number].indexOf('\t'))
    // Stems are lower-case letters; a key that could reach the prototype is never written.
    if (key === '__proto__') continue
    translations[key] = parseTranslations(lines[number], number + 1)
  }
  return { format: LEXICON_FORMAT, translations }
}

