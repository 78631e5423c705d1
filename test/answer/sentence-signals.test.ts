import assert from 'node:assert/strict'
import { test } from 'node:test'
import { continuesPhrase, focusTermOf, overlapShare, sharedCharacters, topicShareOf, weightsInDocument } from '../../src/answer/sentence-signals.ts'
import type { QuestionTerm } from '../../src/answer/question-terms.ts'

const term = (word: string, weight: number, weightElsewhere?: number): QuestionTerm => ({ word, alternatives: [word], weight, weightElsewhere, inCorpus: true, specificity: weight, anchor: false, overlappingPairs: [] })

test('a two-character word is held through a word ending in its head: whole with the other character, in part without it', () => {
  // 围网 ends in 网, the head of 拦网; 拦 is not in the sentence.
  assert.equal(sharedCharacters('拦网', '拆除围网养殖4万亩', new Set(['除', '网', '殖']), 0.5), 0.5)
  assert.equal(sharedCharacters('拦网', '拦住围网', new Set(['住', '网']), 0.5), 1)
  // The same two characters the other way round are the same compound.
  assert.equal(sharedCharacters('改厕', '完成厕改任务', new Set(), 0.5), 1)
  // 王 opening a word is no head: 王神爱 is no 帝王.
  assert.equal(sharedCharacters('帝王', '王神爱', new Set(['爱']), 0.5), 0)
  // Longer words and Latin words are judged elsewhere.
  assert.equal(sharedCharacters('常住人口', '人口', new Set(['口']), 0.5), 0)
  assert.equal(sharedCharacters('ab', 'ba', new Set(['b']), 0.5), 0)
})

test('a word jieba does not know, made of a known word and a head (捕鱼 + 船), is held in part through a word ending in that head; a name is not', () => {
  assert.equal(sharedCharacters('捕鱼船', '拆除围网养殖4万亩、渔船990条', new Set(['除', '网', '殖', '船', '条']), 0.5), 0.5)
  assert.equal(sharedCharacters('捕鱼船', '拆除围网养殖4万亩', new Set(['除', '网', '殖']), 0.5), 0)
  // 虫纹阿南 is no known word: 虫纹阿南鱼 is a name, and 北斗阿南鱼 does not hold it.
  assert.equal(sharedCharacters('虫纹阿南鱼', '北斗阿南鱼分布于西太平洋', new Set(['鱼', '洋']), 0.5), 0)
})

test('overlap is the weighted share of the pairs held, 0 with no pairs to hold', () => {
  assert.equal(overlapShare(new Set(['污水', '水处']), [['污水', 1], ['水处', 1], ['处理', 2]], 4), 0.5)
  assert.equal(overlapShare(new Set(['污水']), [], 0), 0)
})

test('the topic share weighs what the title and section name', () => {
  assert.equal(topicShareOf([term('神山镇', 0.25), term('常住人口', 0.75)], Float64Array.from([1, 0])), 0.25)
  assert.equal(topicShareOf([], new Float64Array(0)), 0)
})

test('the focus is the heaviest candidate the topic does not name, and with onlyFromOtherDocuments only one this document lacks', () => {
  const terms = [term('有机茶', 0.9), term('种植', 0.7), term('南岭乡', 1)]
  assert.equal(focusTermOf(terms, [0, 1], Float64Array.from([0, 0, 1]), [false, false, false], false), 0)
  assert.equal(focusTermOf(terms, [0, 1], Float64Array.from([1, 0, 1]), [false, false, false], false), 1)
  assert.equal(focusTermOf(terms, [0, 1], Float64Array.from([0, 0, 1]), [false, false, false], true), -1)
  assert.equal(focusTermOf(terms, [0, 1], Float64Array.from([0, 0, 1]), [true, false, false], true), 0)
  assert.equal(focusTermOf(terms, [], Float64Array.from([0, 0, 0]), [true, true, true], false), -1)
})

test('a word other documents hold and this one lacks weighs more, up to the cap; the weight elsewhere off the subject', () => {
  const terms = [term('常住人口', 0.8, 1.2), term('人口', 0.3)]
  assert.deepEqual(weightsInDocument(terms, true, [false, false], 2, 2), [0.8, 0.3])
  assert.deepEqual(weightsInDocument(terms, false, [false, false], 2, 2), [1.2, 0.3])
  assert.deepEqual(weightsInDocument(terms, false, [true, true], 2, 2), [2, 0.6])
  // A factor of 1 or less is off.
  assert.deepEqual(weightsInDocument(terms, true, [true, true], 1, 2), [0.8, 0.3])
})

test('a text going on from the question’s words before a word with its first character (资产清理 for 资产清查) continues the phrase; the word alone or the lead alone does not', () => {
  const audit: QuestionTerm = { ...term('清查', 1), phraseLead: '资产清' }
  assert.equal(continuesPhrase(audit, '完成全镇18个村资产清理总计1480.83万元'), true)
  assert.equal(continuesPhrase(audit, '完成全镇18个村资产登记'), false)
  assert.equal(continuesPhrase(term('清查', 1), '完成全镇18个村资产清理'), false)
})
