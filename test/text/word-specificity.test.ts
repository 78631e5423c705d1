import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { test } from 'node:test'
import { isKnownWord, wordSpecificity } from '../../src/text/word-specificity.ts'

test('the cached table holds jieba idf.txt values exactly (every 97th word checked), and unknown words are most specific', () => {
  const lines = readFileSync(createRequire(import.meta.url).resolve('@node-rs/jieba/idf.txt'), 'utf8').split('\n')
  const entries = new Map<string, number>()
  for (const line of lines) {
    const space = line.lastIndexOf(' ')
    if (space > 0) entries.set(line.slice(0, space), Number(line.slice(space + 1)))
  }
  let checked = 0
  for (const [index, [word, idf]] of [...entries].entries()) {
    if (index % 97 !== 0) continue
    assert.equal(wordSpecificity(word), Math.min(1, Math.max(0, (idf - 4) / 7)), word)
    assert.equal(isKnownWord(word), true)
    checked++
  }
  assert.ok(checked > 2000)
  assert.equal(isKnownWord('罗保铭'), false)
  assert.equal(wordSpecificity('罗保铭'), 1)
  assert.ok(wordSpecificity('主要') < 0.1 && wordSpecificity('常住人口') > 0.9)
})
