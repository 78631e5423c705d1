import { test } from 'node:test'
import assert from 'node:assert/strict'
import { verifyCitations } from '../../src/llm/verify-citations.ts'
import { supportScore } from '../../src/llm/support-score.ts'
import { readFollowUp } from '../../src/ask/follow-up-question.ts'
import { parsePromptFile, loadPromptFile } from '../../src/llm/prompt-files.ts'

const passages = [
  { n: 1, text: '乡镇党委书记要切实履行基层党建第一责任人职责，抓好班子、带好队伍。' },
  { n: 2, text: '全镇粮食总产量达到3.5万吨，比上年增长6%。' },
]

test('support score: copied claims score high, unrelated ones low', () => {
  assert.ok(supportScore('全镇粮食总产量达到3.5万吨。', passages[1].text) > 0.8)
  assert.ok(supportScore('明天北京有大雨。', passages[1].text) < 0.2)
})

test('markers to passages that were not given are dropped', () => {
  const verified = verifyCitations('全镇粮食总产量达到3.5万吨。[2][7]', passages)
  assert.deepEqual(verified.droppedMarkers, [7])
  assert.equal(verified.answer, '全镇粮食总产量达到3.5万吨。[2]')
  assert.deepEqual(verified.segments[0].cites, [2])
  assert.equal(verified.segments[0].supported, true)
  assert.equal(verified.answerable, true)
})

test('sentences without markers are attached to their best-supporting passage', () => {
  const verified = verifyCitations('乡镇党委书记要抓好班子、带好队伍。粮食总产量比上年增长6%。', passages)
  assert.deepEqual(
    verified.segments.map((segment) => segment.cites),
    [[1], [2]],
  )
  assert.equal(verified.answer, '乡镇党委书记要抓好班子、带好队伍。[1]粮食总产量比上年增长6%。[2]')
})

test('a wrongly cited sentence moves to the passage that supports it; an unsupported answer is unanswerable', () => {
  assert.deepEqual(verifyCitations('全镇粮食总产量达到3.5万吨。[1]', passages).segments[0].cites, [2])
  const unsupported = verifyCitations('文章中没有提到明天的天气预报。', passages)
  assert.equal(unsupported.answerable, false)
  assert.deepEqual(unsupported.segments[0].cites, [])
})

test('marker forms: [1,2], 【1】 and [^1]', () => {
  const verified = verifyCitations('全镇粮食总产量达到3.5万吨【2】。抓好班子、带好队伍[^1]。', passages)
  assert.deepEqual(
    verified.segments.map((segment) => segment.cites),
    [[2], [1]],
  )
})

test('extractive follow-ups carry the previous question only when they depend on it', () => {
  const history = [{ role: 'user' as const, content: '乡镇党委书记要强化哪两个责任？' }]
  assert.equal(readFollowUp('它具体指什么？', history).elliptical, true)
  assert.equal(readFollowUp('乡镇党委书记应当树立什么样的政治意识？', history).standalone, '乡镇党委书记应当树立什么样的政治意识？')
})

test('prompt files load into chat prompt templates with their variables', async () => {
  assert.deepEqual(loadPromptFile('answer').inputVariables.sort(), ['passages', 'question'])
  assert.deepEqual(loadPromptFile('condense').inputVariables.sort(), ['history', 'question'])
  assert.throws(() => parsePromptFile('no heading', 'x.md'), /x\.md/)
})
