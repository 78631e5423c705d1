import assert from 'node:assert/strict'
import { test } from 'node:test'
import { RewordingEvidence } from '../../src/answer/rewording-evidence.ts'
import type { GlossDictionary } from '../../src/text/gloss-dictionary.ts'

// A few CC-CEDICT entries as the table gives them.
const glosses: GlossDictionary = {
  definitionsOf: (word) =>
    ({
      渔民: ['fisherman'],
      渔夫: ['fisherman'],
      进驻: ['to enter and garrison', '(fig.) to establish a presence in'],
      入驻: ['to enter and take up residence', 'to establish a presence in'],
      清理: ['to clear up', 'to tidy up'],
      是: ['to be', 'yes'],
      有: ['to have', 'there is'],
    })[word],
  readingOf: () => undefined,
}

test('two words meet through a shared CC-CEDICT sense, never a generic one', () => {
  const evidence = new RewordingEvidence(glosses)
  assert.equal(evidence.coverage('渔夫', ['拆除', '渔民']), 0.8)
  assert.equal(evidence.coverage('入驻', ['进驻', '单位']), 0.8)
  assert.equal(evidence.coverage('清理', ['渔民']), 0)
  // "to be" and "to have" say nothing.
  assert.equal(new RewordingEvidence({ definitionsOf: () => ['to be'], readingOf: () => undefined }).coverage('是否', ['具有']), 0)
})

test('a word jieba does not know (a name) is never reworded, and the shared head is off unless asked for', () => {
  const evidence = new RewordingEvidence(glosses)
  assert.equal(evidence.coverage('渠成', ['钟成']), 0)
  assert.equal(evidence.coverage('渔民', ['农民']), 0)
  assert.equal(new RewordingEvidence(undefined, { longHeadCredit: 0.8, headCredit: 0.5 }).coverage('渔民', ['农民']), 0.5)
})
