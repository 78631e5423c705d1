/**
 * A string → number table in one buffer: its keys' UTF-8 bytes in byte order, where each key
 * begins, and the values as float64 (the same numbers, bit for bit). A key is found by binary
 * search on the bytes in place, so opening a table is one file read and no parsing — where a
 * Map of jieba's 270,000 IDF entries took ~0.4 s to build.
 */
export class SortedTable {
  private constructor(
    private readonly view: DataView,
    /** Number of keys. */
    readonly size: number,
    private readonly startsAt: number,
    private readonly valuesAt: number,
    private readonly keys: Buffer,
  ) {}

  /** The table's bytes: `magic`, the key count, where each key begins (uint32), the values (float64), the keys. */
  static encode(magic: string, entries: Iterable<[string, number]>): Buffer {
    const sorted = [...entries].map(([key, value]): [Buffer, number] => [Buffer.from(key, 'utf8'), value]).sort((left, right) => Buffer.compare(left[0], right[0]))
    for (let index = 1; index < sorted.length; index++) {
      if (sorted[index - 1][0].equals(sorted[index][0])) throw new Error(`Table: the key "${sorted[index][0].toString('utf8')}" is listed twice`)
    }
    const header = Buffer.from(magic, 'utf8')
    const count = Buffer.alloc(4)
    count.writeUInt32LE(sorted.length)
    const starts = new Uint32Array(sorted.length + 1)
    sorted.forEach(([key], index) => (starts[index + 1] = starts[index] + key.length))
    const values = Float64Array.from(sorted, ([, value]) => value)
    const magicLength = Buffer.alloc(4)
    magicLength.writeUInt32LE(header.length)
    return Buffer.concat([magicLength, header, count, Buffer.from(starts.buffer), Buffer.from(values.buffer), ...sorted.map(([key]) => key)])
  }

  /** The table in these bytes, or undefined when they are not a whole table of this `magic`. */
  static decode(magic: string, data: Buffer | undefined): SortedTable | undefined {
    const header = Buffer.from(magic, 'utf8')
    if (!data || data.length < 8 + header.length || data.readUInt32LE(0) !== header.length || !data.subarray(4, 4 + header.length).equals(header)) return undefined
    const countAt = 4 + header.length
    const size = data.readUInt32LE(countAt)
    const startsAt = countAt + 4
    const valuesAt = startsAt + (size + 1) * 4
    const keysAt = valuesAt + size * 8
    if (keysAt > data.length || keysAt + data.readUInt32LE(startsAt + size * 4) !== data.length) return undefined
    return new SortedTable(new DataView(data.buffer, data.byteOffset, data.length), size, startsAt, valuesAt, data.subarray(keysAt))
  }

  /** The value of a key, or undefined when the table does not hold it. */
  get(key: string): number | undefined {
    const wanted = Buffer.from(key, 'utf8')
    let low = 0
    let high = this.size - 1
    while (low <= high) {
      const middle = (low + high) >>> 1
      const order = wanted.compare(this.keys, this.view.getUint32(this.startsAt + middle * 4, true), this.view.getUint32(this.startsAt + middle * 4 + 4, true))
      if (order === 0) return this.view.getFloat64(this.valuesAt + middle * 8, true)
      if (order > 0) low = middle + 1
      else high = middle - 1
    }
    return undefined
  }

  has(key: string): boolean {
    return this.get(key) !== undefined
  }
}
