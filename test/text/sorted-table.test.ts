import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { SortedTable } from '../../src/text/sorted-table.ts'

test('a sorted table gives back every value bit for bit, and nothing for keys it does not hold', () => {
  fc.assert(
    fc.property(fc.dictionary(fc.string({ maxLength: 6 }), fc.double({ noNaN: true })), fc.array(fc.string({ maxLength: 6 })), (entries, others) => {
      const table = SortedTable.decode('test', SortedTable.encode('test', Object.entries(entries)))!
      assert.equal(table.size, Object.keys(entries).length)
      for (const [key, value] of Object.entries(entries)) assert.ok(Object.is(table.get(key), value), key)
      for (const key of others) if (!Object.hasOwn(entries, key)) assert.equal(table.get(key), undefined)
    }),
  )
})

test('a table of another kind or cut short is not read', () => {
  const encoded = SortedTable.encode('idf', [['神山', 1.5]])
  assert.equal(SortedTable.decode('pairs', encoded), undefined)
  assert.equal(SortedTable.decode('idf', encoded.subarray(0, encoded.length - 1)), undefined)
  assert.throws(() => SortedTable.encode('idf', [['a', 1], ['a', 2]]), /listed twice/)
})

test('keys of any script, above U+FFFF too, are found: the table is sorted by code point, as its UTF-8 bytes are searched', () => {
  fc.assert(
    fc.property(fc.dictionary(fc.string({ unit: 'binary', maxLength: 4 }), fc.integer()), (entries) => {
      // A code point above U+FFFF, one from U+E000 up and a common one, beside whatever is drawn.
      const all = { '\u{20000}': 1, '\uffe5': 2, 神: 3, ...entries }
      const table = SortedTable.decode('test', SortedTable.encode('test', Object.entries(all)))!
      for (const [key, value] of Object.entries(all)) assert.equal(table.get(key), value, key)
    }),
  )
})
