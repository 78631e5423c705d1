import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { TermIndex, type TermCounts } from '../../src/retrieval/term-index.ts'

const counts = fc.array(fc.dictionary(fc.string({ minLength: 1, maxLength: 4 }).filter((term) => !term.includes('\n')), fc.integer({ min: 1, max: 300 }), { maxKeys: 12 }), { maxLength: 12 })
const asCounts = (chunks: Record<string, number>[]): TermCounts[] => chunks.map((chunk) => new Map(Object.entries(chunk)))

test('a term index reads back what it wrote: every chunk its terms and counts, frequencies and inverted lists', () => {
  fc.assert(
    fc.property(counts, (chunks) => {
      const built = TermIndex.fromCounts(asCounts(chunks))
      const read = TermIndex.decode(built.encode())
      assert.equal(read.chunkCount, chunks.length)
      chunks.forEach((chunk, index) => {
        assert.deepEqual(Object.fromEntries(read.termCountsOf(index)), Object.fromEntries(Object.entries(chunk).sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0))))
        assert.equal(read.distinctTermCount(index), Object.keys(chunk).length)
      })
      for (const term of new Set(chunks.flatMap(Object.keys))) {
        const number = read.termNumber(term)!
        const holding = chunks.flatMap((chunk, index) => (Object.hasOwn(chunk, term) ? [[index, chunk[term]]] : []))
        assert.equal(read.documentFrequency(number), holding.length)
        const visited: number[][] = []
        read.forEachChunkWith(number, (chunk, count) => visited.push([chunk, count]))
        assert.deepEqual(visited, holding)
      }
      assert.equal(read.termNumber('\n'), undefined)
    }),
  )
})

test('term numbers past 65,535 and counts past 255 widen the stored arrays', () => {
  const many = new Map(Array.from({ length: 70_000 }, (_, index) => [`t${index}`, index === 5 ? 1000 : 1]))
  const read = TermIndex.decode(TermIndex.fromCounts([many, new Map([['t69999', 2]])]).encode())
  assert.equal(read.termCountsOf(0).get('t5'), 1000)
  assert.equal(read.termCountsOf(1).get('t69999'), 2)
  assert.equal(read.documentFrequency(read.termNumber('t69999')!), 2)
})

test('a damaged terms file is refused, not misread', () => {
  const encoded = TermIndex.fromCounts([new Map([['甲', 1]])]).encode()
  assert.throws(() => TermIndex.decode(encoded.subarray(0, encoded.length - 4)), /terms file/)
  assert.throws(() => TermIndex.decode(Buffer.from('something else entirely, long enough')), /terms file/)
})

test('counts made on demand are made one chunk at a time, in order, and index as the same counts given whole', () => {
  const chunks: Record<string, number>[] = [{ 乙: 2, 甲: 1 }, {}, { 丙: 1, 甲: 3 }]
  const made: number[] = []
  const lazily = TermIndex.fromCounts(
    asCounts(chunks).map((chunkCounts, index) => () => {
      made.push(index)
      return chunkCounts
    }),
  )
  assert.deepEqual(made, [0, 1, 2])
  assert.deepEqual(lazily.encode(), TermIndex.fromCounts(asCounts(chunks)).encode())
})
