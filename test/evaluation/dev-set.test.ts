import assert from 'node:assert/strict'
import { test } from 'node:test'
import { evaluate } from '../../src/evaluation/evaluate.ts'
import { citeqaSystem } from '../../src/evaluation/evaluated-systems.ts'
import { readQaSet } from '../../src/evaluation/qa-set.ts'
import { createOfflineCiteqa } from '../helpers/offline-citeqa.ts'

// A regression guard for ranking and answering on the dev set (offline embedder), at the
// levels the core issue asks for. The dev set measures; no code looks at its questions.
test('dev set: hit@3 ≥ 95%, answer accuracy ≥ 85%, every unanswerable refused, ≤ 1 false refusal', async () => {
  const citeqa = await createOfflineCiteqa()
  const report = await evaluate(citeqaSystem(citeqa), await readQaSet('data/qa/dev.jsonl'))
  assert.ok(report.hitAt3 >= 0.95, `hit@3 ${report.hitAt3}`)
  assert.ok(report.answerAccuracy >= 0.85, `answer accuracy ${report.answerAccuracy}`)
  assert.equal(report.refusalAccuracy, 1)
  assert.ok(report.falseRefusals <= 1, `false refusals ${report.falseRefusals}`)
})
