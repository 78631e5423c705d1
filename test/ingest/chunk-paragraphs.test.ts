import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { chunkParagraph, chunkParagraphs, defaultChunkingOptions } from '../../src/ingest/chunk-paragraphs.ts'
import { loadDocuments } from '../../src/ingest/load-documents.ts'
import { splitIntoSentences } from '../../src/ingest/split-into-sentences.ts'
import type { Paragraph } from '../../src/ingest/types.ts'

test('chunk offsets round-trip to the article text and chunks never cross paragraphs', async () => {
  const [article] = await loadDocuments('data/article.txt')
  const chunks = chunkParagraphs(article.paragraphs)
  for (const chunk of chunks) {
    const paragraph = article.paragraphs[chunk.paragraph - 1]
    assert.equal(paragraph.text.slice(chunk.start, chunk.end), chunk.text)
    assert.equal(chunk.section, paragraph.section)
    assert.ok(chunk.text.length <= defaultChunkingOptions.maxCharacters, `chunk of ${chunk.text.length} characters`)
  }
  // Every paragraph is covered from its first character to its last.
  for (const paragraph of article.paragraphs) {
    const own = chunks.filter((chunk) => chunk.paragraph === paragraph.number)
    assert.equal(own[0].start, 0)
    assert.equal(own.at(-1)!.end, paragraph.text.length)
    for (let index = 1; index < own.length; index++) assert.ok(own[index].start <= own[index - 1].end, 'no gap between chunks')
  }
  assert.equal(new Set(chunks.map((chunk) => chunk.id)).size, chunks.length, 'chunk ids are unique')
})

test('chunk ids are content hashes: the same text gives the same ids', async () => {
  const [first] = await loadDocuments('data/article.txt')
  const [second] = await loadDocuments('data/article.txt')
  assert.deepEqual(chunkParagraphs(first.paragraphs).map((chunk) => chunk.id), chunkParagraphs(second.paragraphs).map((chunk) => chunk.id))
})

test('sentences split on Chinese and ASCII enders but keep decimals whole', () => {
  const sentences = splitIntoSentences('马嶂线6.5公里。他说:“好!”然后呢?是的;结束')
  assert.deepEqual(sentences.map((sentence) => sentence.text), ['马嶂线6.5公里。', '他说:“好!”', '然后呢?', '是的;', '结束'])
})

const paragraphText = fc
  .array(fc.constantFrom('甲', '乙', '丙', '。', ',', '!', '?', ';', ' ', '“', '”', '6', '.', 'a'), { minLength: 1, maxLength: 400 })
  .map((characters) => characters.join('').trim())
  .filter((text) => text.length > 0)

test('property: any paragraph chunks into slices of itself, within the cap, covering all of it', () => {
  fc.assert(
    fc.property(paragraphText, fc.integer({ min: 40, max: 200 }), fc.integer({ min: 0, max: 3 }), (text, maxCharacters, overlapSentences) => {
      const paragraph: Paragraph = { docId: 'd', number: 1, text, section: '', kind: 'body' }
      const chunks = chunkParagraph(paragraph, { maxCharacters, overlapSentences })
      assert.ok(chunks.length > 0)
      let covered = 0
      for (const chunk of chunks) {
        assert.equal(text.slice(chunk.start, chunk.end), chunk.text)
        assert.ok(chunk.text.length <= maxCharacters)
        assert.ok(chunk.start <= covered, 'no gap')
        covered = Math.max(covered, chunk.end)
      }
      assert.equal(covered, text.length)
    }),
    { numRuns: 300 },
  )
})
