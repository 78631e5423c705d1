import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { TermStatistics } from '../../src/retrieval/term-statistics.ts'

test('document frequency is the number of passages containing the term, as a scan of every passage counts it', () => {
  const text = fc.string({ unit: fc.constantFrom('神', '山', '镇', '赤', '壁', 'a', 'B', '１', '\u{20000}'), maxLength: 12 })
  fc.assert(
    fc.property(fc.array(text, { maxLength: 15 }), fc.array(text, { maxLength: 10 }), (passages, terms) => {
      const statistics = new TermStatistics(passages)
      const normalized = passages.map((passage) => passage.normalize('NFKC').toLowerCase())
      for (const term of terms) assert.equal(statistics.documentFrequency(term), normalized.filter((passage) => passage.includes(term)).length, term)
    }),
  )
})
