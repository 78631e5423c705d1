import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { splitIntoSentences } from '../../src/ingest/split-into-sentences.ts'

test('a ； inside brackets does not end the sentence', () => {
  const text = "纽西兰鸡毛松（学名：'；毛利语：kahikatea），是罗汉松科鸡毛松属的一种。树高可达55米。"
  assert.deepEqual(
    splitIntoSentences(text).map((sentence) => sentence.text),
    ["纽西兰鸡毛松（学名：'；毛利语：kahikatea），是罗汉松科鸡毛松属的一种。", '树高可达55米。'],
  )
})

test('an unclosed bracket does not swallow the rest of the paragraph', () => {
  const text = '（注：见下文。这是第二句。这是第三句。'
  assert.equal(splitIntoSentences(text).length, 3)
})

test('sentences tile the paragraph: offsets exact, nothing but whitespace lost', () => {
  fc.assert(
    fc.property(fc.array(fc.constantFrom('甲', '乙', '。', '；', '（', '）', '(', ')', ' ', 'a', '.', '6', '”'), { maxLength: 60 }), (characters) => {
      const text = characters.join('')
      const sentences = splitIntoSentences(text)
      for (const sentence of sentences) assert.equal(text.slice(sentence.start, sentence.end), sentence.text)
      assert.equal(sentences.map((sentence) => sentence.text).join('').replace(/\s/g, ''), text.replace(/\s/g, ''))
    }),
  )
})
