import assert from 'node:assert/strict'
import { test } from 'node:test'
import { heldOnlyQualified, measuredTermsOf } from '../../src/answer/measured-noun.ts'
import type { QuestionTerm } from '../../src/answer/question-terms.ts'

const termsOf = (...words: string[]): QuestionTerm[] => words.map((word) => ({ word, alternatives: [word], weight: 1, inCorpus: true, specificity: 1, anchor: false, overlappingPairs: [] }))

test('what a quantity question measures is the word of two characters or more just before or after its cue', () => {
  assert.deepEqual(measuredTermsOf('神山镇面积有多大?', termsOf('神山镇', '面积', '大')), [1])
  assert.deepEqual(measuredTermsOf('神山镇有多少人口?', termsOf('神山镇', '人口')), [1])
  assert.deepEqual(measuredTermsOf('山东女子学院现有几个校区？', termsOf('山东女子学院', '现有', '校区')), [2])
  // 多长 says what is measured; the gorge is what it is measured of.
  assert.deepEqual(measuredTermsOf('帕特纳赫峡谷有多长？', termsOf('帕特纳赫', '峡谷')), [1])
  assert.deepEqual(measuredTermsOf('珠峰有多高？', termsOf('珠峰')), [0])
  // A unit is no noun: 沟渠 is what 多少公里 measures, and 投资 what 多少万元 does.
  assert.deepEqual(measuredTermsOf('维修了多少公里沟渠?', termsOf('维修', '公里', '沟渠')), [2])
  assert.deepEqual(measuredTermsOf('新建的水厂投资多少万元?', termsOf('新建', '水厂', '投资', '万元')), [2])
})

test('a measured noun written only after a word of its own the question lacks is another thing’s measure', () => {
  const sentence = '全镇各村均已设立便民服务室,设有3个服务窗口,办公面积约20余平方米。'
  assert.equal(heldOnlyQualified('面积', sentence, '神山镇面积有多大?'), true)
  // The question names that word: the office's area is what it asks.
  assert.equal(heldOnlyQualified('面积', sentence, '便民服务室的办公面积有多大?'), false)
  // Once written plainly, or after a single character (总) or a stop word, it is the thing itself.
  assert.equal(heldOnlyQualified('面积', '全镇面积120平方公里,办公面积约20平方米。', '神山镇面积有多大?'), false)
  assert.equal(heldOnlyQualified('面积', '总面积120平方公里。', '神山镇面积有多大?'), false)
  assert.equal(heldOnlyQualified('面积', '其面积120平方公里。', '神山镇面积有多大?'), false)
  // A time word before it dates it; it names no other thing.
  assert.equal(heldOnlyQualified('有效期', '条约经两次自动延长,现在有效期至2021年。', '条约的有效期是多长时间?'), false)
  // Not written at all: nothing to say.
  assert.equal(heldOnlyQualified('人口', '贫困户942户3581人脱贫。', '神山镇有多少人口?'), false)
})
