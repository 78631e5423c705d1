import assert from 'node:assert/strict'
import { test } from 'node:test'
import { evaluate } from '../../src/evaluation/evaluate.ts'
import { baselineSystem, citeqaSystem } from '../../src/evaluation/evaluated-systems.ts'
import { readQaSet } from '../../src/evaluation/qa-set.ts'
import { createOfflineCiteqa } from '../helpers/offline-citeqa.ts'

// Regression guards for ranking, answering and abstaining (offline embedder), at the levels the
// generalization issue asks for. The sets measure; no code looks at their questions.
test('article dev set: hit@3 ≥ 95%, answer accuracy ≥ 96%, every unanswerable refused, ≤ 1 false refusal', async () => {
  const citeqa = await createOfflineCiteqa()
  const report = await evaluate(citeqaSystem(citeqa), await readQaSet('data/qa/dev.jsonl'))
  assert.ok(report.hitAt3 >= 0.95, `hit@3 ${report.hitAt3}`)
  assert.ok(report.answerAccuracy >= 0.96, `answer accuracy ${report.answerAccuracy}`)
  assert.equal(report.refusalAccuracy, 1)
  assert.ok(report.falseRefusals <= 1, `false refusals ${report.falseRefusals}`)
})

test('CMRC trial set (all 255 out-of-corpus questions): gold span in ≥ 85% of answers, ≤ 1.5% false refusals, ≥ 91% out-of-corpus refused, first citation in the right document ≥ 97%, short answers, above the baseline', async () => {
  const citeqa = await createOfflineCiteqa({ ARTICLE_PATH: 'data/qa/cmrc-trial/docs' })
  const questions = [...(await readQaSet('data/qa/cmrc-trial/qa.jsonl')), ...(await readQaSet('data/qa/cmrc-trial/negatives.jsonl', 'negative'))]
  const report = await evaluate(citeqaSystem(citeqa), questions)
  const baseline = await evaluate(baselineSystem(citeqa.documents), questions)
  assert.ok(report.answerAccuracy >= 0.85, `answer accuracy ${report.answerAccuracy}`)
  assert.ok(report.falseRefusalRate <= 0.015, `false refusals ${report.falseRefusalRate}`)
  assert.ok(report.outOfCorpusRefusal >= 0.91, `out-of-corpus refused ${report.outOfCorpusRefusal}`)
  assert.ok(report.firstCitationInGold >= 0.97, `first citation in gold ${report.firstCitationInGold}`)
  assert.ok(report.meanAnswerCharacters <= 90, `mean answer length ${report.meanAnswerCharacters}`)
  for (const figure of ['hitAt1', 'hitAt3', 'mrr', 'answerAccuracy', 'outOfCorpusRefusal', 'firstCitationInGold', 'citationPrecision'] as const) {
    assert.ok(report[figure] > baseline[figure], `${figure}: ${report[figure]} vs baseline ${baseline[figure]}`)
  }
})
