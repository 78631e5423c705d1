import assert from 'node:assert/strict'
import { test } from 'node:test'
import { fillsSlot, slotFramesOf } from '../../src/answer/question-slot.ts'
import type { QuestionTerm } from '../../src/answer/question-terms.ts'

const term = (word: string, inCorpus: boolean): QuestionTerm => ({ word, alternatives: [word], weight: 1, inCorpus, specificity: 1, anchor: false, overlappingPairs: [] })

test('words no text holds, between a character of the question and a word the texts hold, sit in a slot of that frame', () => {
  const terms = [term('干活', false), term('偷懒', false), term('拖拉', false), term('干部', true), term('应该', false), term('处理', true)]
  const frames = slotFramesOf('对干活偷懒拖拉的干部应该怎么处理?', terms)
  assert.deepEqual(frames[0], { before: '对', link: '的', after: '干部' })
  assert.deepEqual(frames[2], frames[0])
  // 干部 is held; 应该 is followed by a question word, not by a word the texts hold.
  assert.equal(frames[3], undefined)
  assert.equal(frames[4], undefined)
  // A slot opening the question has no frame.
  assert.deepEqual(slotFramesOf('偷懒的干部怎么处理?', [term('偷懒', false), term('干部', true), term('处理', true)]), [undefined, undefined, undefined])
})

test('a sentence fills the slot when it frames other words as the question does', () => {
  const frame = { before: '对', link: '的', after: '干部' }
  assert.equal(fillsSlot('对不作为、慢作为、乱作为及慵懒散软的党员干部,要综合运用“四种形态”进行处理。', frame), true)
  assert.equal(fillsSlot('对的干部', frame), false)
  assert.equal(fillsSlot('要对党员干部进行教育。', frame), false)
})
