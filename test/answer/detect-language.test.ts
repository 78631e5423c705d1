import assert from 'node:assert/strict'
import { test } from 'node:test'
import { detectLanguage, inReaderLanguage, ownLanguage } from '../../src/answer/detect-language.ts'

test('a question in Chinese or English has its own language, whatever the reader reads', async () => {
  for (const [text, language] of [
    ['维修了多少公里沟渠?', 'zh'],
    ['How many households completed the toilet renovation?', 'en'],
    ['IC卡怎么办理?', 'zh'],
  ] as const) {
    assert.equal(ownLanguage(text), language, text)
    assert.equal(detectLanguage(text), language, text)
    for (const reader of ['zh', 'en'] as const) assert.equal(await inReaderLanguage(reader, async () => detectLanguage(text)), language, `${text} read in ${reader}`)
  }
})

test('text in neither language is answered in the reader\'s language, else as before (kanji Chinese, the rest English)', async () => {
  for (const [text, before] of [
    ['😀😀', 'en'],
    ['12345', 'en'],
    ['???', 'en'],
    ['天気はどうですか', 'zh'],
    ['この記事の著者は誰ですか？', 'zh'],
    ['안녕하세요', 'en'],
    ['ありがとう', 'en'],
  ] as const) {
    assert.equal(ownLanguage(text), undefined, text)
    assert.equal(detectLanguage(text), before, `${text} without a reader's language`)
    for (const reader of ['zh', 'en'] as const) {
      // Across an await, as in a request: the reader's language holds for everything the work awaits.
      const detected = await inReaderLanguage(reader, async () => {
        await new Promise((resolve) => setImmediate(resolve))
        return detectLanguage(text)
      })
      assert.equal(detected, reader, `${text} read in ${reader}`)
    }
    assert.equal(detectLanguage(text), before, `${text} after the request`)
  }
})

test('concurrent requests keep their own reader language', async () => {
  const ask = (reader: 'zh' | 'en', delay: number) =>
    inReaderLanguage(reader, async () => {
      await new Promise((resolve) => setTimeout(resolve, delay))
      return detectLanguage('😀')
    })
  assert.deepEqual(await Promise.all([ask('zh', 20), ask('en', 5), ask('zh', 1)]), ['zh', 'en', 'zh'])
})
