import { tokenizeForSearch } from '../text/tokenize.ts'

/** A chunk's search terms and how often each occurs in it. */
export type TermCounts = Map<string, number>

/** The search terms of a text (see tokenizeForSearch) with their counts. */
export function countTerms(text: string): TermCounts {
  const counts: TermCounts = new Map()
  for (const term of tokenizeForSearch(text)) counts.set(term, (counts.get(term) ?? 0) + 1)
  return counts
}

const MAGIC = 'citeqa-terms-2'

type Numbers = Uint8Array | Uint16Array | Uint32Array

/** The narrowest unsigned array that holds every value (2 bytes a term number up to 65,536 terms). */
function narrowest(values: Uint32Array, smallest: 1 | 2 = 1): Numbers {
  const largest = values.reduce((most, value) => Math.max(most, value), 0)
  if (largest < 0x100 && smallest === 1) return Uint8Array.from(values)
  if (largest < 0x10000) return Uint16Array.from(values)
  return values
}

/** A typed array over `length` elements of `data` from `offset`: a view when aligned, else a copy. */
type NumbersKind = { new (buffer: ArrayBufferLike, offset: number, length: number): Numbers; BYTES_PER_ELEMENT: number }

function viewOf(kind: NumbersKind, data: Uint8Array, offset: number, length: number): Numbers {
  const bytes = length * kind.BYTES_PER_ELEMENT
  if (offset + bytes > data.length) throw new RangeError('Index: terms file is truncated')
  const start = data.byteOffset + offset
  if (start % kind.BYTES_PER_ELEMENT === 0) return new kind(data.buffer, start, length)
  return new kind(data.buffer.slice(start, start + bytes), 0, length)
}

const WIDTHS: Record<1 | 2 | 4, NumbersKind> = { 1: Uint8Array, 2: Uint16Array, 4: Uint32Array }

/**
 * The search terms of every chunk (jieba words and character bigrams, as tokenizeForSearch gives
 * them) with their counts: what BM25 and the offline embedder both read. Tokenizing is the slow
 * part of building either (1.7 s for 10,000 chunks), so it is done once at ingest and stored
 * (`terms.bin`, ~3 bytes a term occurrence) instead of again at every start.
 *
 * Terms are numbered in sorted order; each chunk lists its term numbers ascending with their
 * counts, in fixed-width arrays the file holds as they are, so loading is reading. How many chunks
 * hold each term, and the inverted lists (term → chunks, in chunk order), are derived on first use.
 */
export class TermIndex {
  private termNumbers?: Map<string, number>
  private frequencies?: Uint32Array
  private inverted?: { starts: Uint32Array; chunks: Uint32Array; counts: Uint32Array }

  private constructor(
    /** Every term, by number. */
    readonly terms: string[],
    /** Chunk c's entries are [chunkStarts[c], chunkStarts[c + 1]). */
    private readonly chunkStarts: Uint32Array,
    private readonly entryTerms: Numbers,
    private readonly entryCounts: Numbers,
  ) {}

  /** Tokenizes the texts (or reuses counts already known for a text, see `known`). */
  static fromTexts(texts: string[], known?: (index: number) => TermCounts | undefined): TermIndex {
    return TermIndex.fromCounts(texts.map((text, index) => () => known?.(index) ?? countTerms(text)))
  }

  /**
   * The index of chunks' term counts, each given as it is or made when its turn comes. Made one at
   * a time, a chunk's counts are dropped once its entries are written: holding a Map for each of
   * 300,000 chunks at once took more than a gigabyte.
   */
  static fromCounts(countsPerChunk: (TermCounts | (() => TermCounts))[]): TermIndex {
    // Terms are numbered as they come, then renumbered in sorted order once all are known.
    const arrival = new Map<string, number>()
    const chunkStarts = new Uint32Array(countsPerChunk.length + 1)
    let entryTerms = new Uint32Array(1024)
    let entryCounts = new Uint32Array(1024)
    countsPerChunk.forEach((given, chunk) => {
      const counts = typeof given === 'function' ? given() : given
      const start = chunkStarts[chunk]
      const end = start + counts.size
      if (end > entryTerms.length) {
        const capacity = Math.max(end, entryTerms.length * 2)
        entryTerms = grown(entryTerms, capacity)
        entryCounts = grown(entryCounts, capacity)
      }
      let entry = start
      for (const [term, count] of counts) {
        let number = arrival.get(term)
        if (number === undefined) arrival.set(term, (number = arrival.size))
        entryTerms[entry] = number
        entryCounts[entry++] = count
      }
      chunkStarts[chunk + 1] = end
    })
    const terms = [...arrival.keys()].sort()
    if (terms.some((term) => term.includes('\n'))) throw new Error('Index: a search term holds a line break')
    const sortedNumber = new Uint32Array(terms.length)
    terms.forEach((term, number) => (sortedNumber[arrival.get(term)!] = number))
    arrival.clear()
    const entryCount = chunkStarts[countsPerChunk.length]
    const finalTerms = new Uint32Array(entryCount)
    const finalCounts = new Uint32Array(entryCount)
    const order: number[] = []
    for (let chunk = 0; chunk < countsPerChunk.length; chunk++) {
      // Each chunk lists its terms ascending by their sorted numbers.
      order.length = 0
      for (let entry = chunkStarts[chunk]; entry < chunkStarts[chunk + 1]; entry++) order.push(entry)
      order.sort((left, right) => sortedNumber[entryTerms[left]] - sortedNumber[entryTerms[right]])
      order.forEach((entry, offset) => {
        finalTerms[chunkStarts[chunk] + offset] = sortedNumber[entryTerms[entry]]
        finalCounts[chunkStarts[chunk] + offset] = entryCounts[entry]
      })
    }
    return new TermIndex(terms, chunkStarts, narrowest(finalTerms, 2), narrowest(finalCounts))
  }

  /** Reads what {@link encode} wrote; throws on a file of another format or a truncated one. */
  static decode(data: Uint8Array): TermIndex {
    const header = new DataView(data.buffer, data.byteOffset, data.length)
    const magic = new TextEncoder().encode(MAGIC)
    if (data.length < magic.length + 24 || new TextDecoder().decode(data.subarray(0, magic.length)) !== MAGIC) throw new Error(`Index: terms file is not of format "${MAGIC}"`)
    let offset = magic.length
    const [termCount, dictionaryBytes, chunkCount, entryCount, termWidth, countWidth] = [0, 4, 8, 12, 16, 20].map((field) => header.getUint32(offset + field, true))
    offset += 24
    if (!(termWidth in WIDTHS) || !(countWidth in WIDTHS)) throw new Error('Index: terms file has an unknown number width')
    const dictionary = new TextDecoder().decode(data.subarray(offset, offset + dictionaryBytes))
    const terms = termCount === 0 ? [] : dictionary.split('\n')
    if (terms.length !== termCount) throw new Error(`Index: terms file lists ${terms.length} terms, its header says ${termCount}`)
    offset = align(offset + dictionaryBytes)
    const chunkStarts = viewOf(Uint32Array, data, offset, chunkCount + 1) as Uint32Array
    offset = align(offset + (chunkCount + 1) * 4)
    const entryTerms = viewOf(WIDTHS[termWidth as 1 | 2 | 4], data, offset, entryCount)
    offset = align(offset + entryCount * termWidth)
    const entryCounts = viewOf(WIDTHS[countWidth as 1 | 2 | 4], data, offset, entryCount)
    offset = align(offset + entryCount * countWidth)
    if (offset !== data.length || chunkStarts[chunkCount] !== entryCount) throw new Error('Index: terms file does not add up')
    return new TermIndex(terms, chunkStarts, entryTerms, entryCounts)
  }

  /** The file form: a header, the sorted terms, then the chunks' entries as fixed-width little-endian arrays (each 4-byte aligned). */
  encode(): Buffer {
    const magic = Buffer.from(MAGIC, 'utf8')
    const dictionary = Buffer.from(this.terms.join('\n'), 'utf8')
    const header = Buffer.alloc(24)
    ;[this.terms.length, dictionary.length, this.chunkCount, this.entryTerms.length, this.entryTerms.BYTES_PER_ELEMENT, this.entryCounts.BYTES_PER_ELEMENT].forEach((value, field) =>
      header.writeUInt32LE(value, field * 4),
    )
    const parts: Buffer[] = [magic, header, dictionary]
    let length = magic.length + header.length + dictionary.length
    for (const array of [this.chunkStarts, this.entryTerms, this.entryCounts]) {
      const padding = align(length) - length
      parts.push(Buffer.alloc(padding), Buffer.from(array.buffer, array.byteOffset, array.byteLength))
      length += padding + array.byteLength
    }
    parts.push(Buffer.alloc(align(length) - length))
    return Buffer.concat(parts)
  }

  get chunkCount(): number {
    return this.chunkStarts.length - 1
  }

  /** The number of a term, or undefined when no chunk has it. */
  termNumber(term: string): number | undefined {
    this.termNumbers ??= new Map(this.terms.map((known, number) => [known, number]))
    return this.termNumbers.get(term)
  }

  /** Distinct terms of a chunk. */
  distinctTermCount(chunk: number): number {
    return this.chunkStarts[chunk + 1] - this.chunkStarts[chunk]
  }

  /** The entries as stored: chunk c's term numbers and counts are at [starts[c], starts[c + 1]) (for loops over every chunk). */
  entries(): { starts: Uint32Array; terms: ArrayLike<number>; counts: ArrayLike<number> } {
    return { starts: this.chunkStarts, terms: this.entryTerms, counts: this.entryCounts }
  }

  /** Calls `visit` with each term number of a chunk (ascending) and its count. */
  forEachTermOf(chunk: number, visit: (term: number, count: number) => void): void {
    for (let entry = this.chunkStarts[chunk]; entry < this.chunkStarts[chunk + 1]; entry++) visit(this.entryTerms[entry], this.entryCounts[entry])
  }

  /** A chunk's terms and counts, as strings (to carry them into a new index). */
  termCountsOf(chunk: number): TermCounts {
    const counts: TermCounts = new Map()
    this.forEachTermOf(chunk, (term, count) => counts.set(this.terms[term], count))
    return counts
  }

  /** In how many chunks the term occurs. */
  documentFrequency(term: number): number {
    if (!this.frequencies) {
      this.frequencies = new Uint32Array(this.terms.length)
      for (let entry = 0; entry < this.entryTerms.length; entry++) this.frequencies[this.entryTerms[entry]]++
    }
    return this.frequencies[term]
  }

  /** Calls `visit` with every chunk holding the term, in chunk order, and the term's count there. */
  forEachChunkWith(term: number, visit: (chunk: number, count: number) => void): void {
    const { starts, chunks, counts } = this.invertedLists()
    for (let entry = starts[term]; entry < starts[term + 1]; entry++) visit(chunks[entry], counts[entry])
  }

  private invertedLists() {
    if (this.inverted) return this.inverted
    const starts = new Uint32Array(this.terms.length + 1)
    for (let term = 0; term < this.terms.length; term++) starts[term + 1] = starts[term] + this.documentFrequency(term)
    const next = starts.slice(0, this.terms.length)
    const chunks = new Uint32Array(this.entryTerms.length)
    const counts = new Uint32Array(this.entryTerms.length)
    for (let chunk = 0; chunk < this.chunkCount; chunk++) {
      for (let entry = this.chunkStarts[chunk]; entry < this.chunkStarts[chunk + 1]; entry++) {
        const slot = next[this.entryTerms[entry]]++
        chunks[slot] = chunk
        counts[slot] = this.entryCounts[entry]
      }
    }
    this.inverted = { starts, chunks, counts }
    return this.inverted
  }
}

/** A copy of `values` with room for `capacity` elements. */
function grown(values: Uint32Array, capacity: number): Uint32Array<ArrayBuffer> {
  const copy = new Uint32Array(capacity)
  copy.set(values)
  return copy
}

function align(offset: number): number {
  return (offset + 3) & ~3
}
