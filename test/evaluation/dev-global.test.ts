import assert from 'node:assert/strict'
import { test } from 'node:test'
import { evaluate } from '../../src/evaluation/evaluate.ts'
import { citeqaSystem } from '../../src/evaluation/evaluated-systems.ts'
import { readQaSet } from '../../src/evaluation/qa-set.ts'
import { createOfflineCiteqa } from '../helpers/offline-citeqa.ts'

const HEADING_OF = { 一种意识: 2, 两个责任: 5, 三种能力: 9, 四个全面: 12, 五大发展理念: 18 } as Record<string, number>

test('whole-document dev set: all four answered with the five points, each cited into its heading paragraph; ordinary questions stay at passage scope', async () => {
  const citeqa = await createOfflineCiteqa()
  const report = await evaluate(citeqaSystem(citeqa), await readQaSet('data/qa/dev-global.jsonl'))
  assert.equal(report.questions, 4)
  assert.equal(report.falseRefusals, 0)
  assert.equal(report.answerAccuracy, 1)
  assert.equal(report.keysCitedInGold, 1)
  assert.equal(report.citationPrecision, 1)
  assert.equal(report.documentScoped, 4)
  for (const outcome of report.outcomes) {
    for (const key of outcome.question.keys) {
      const citation = outcome.citations.find((candidate) => candidate.text?.includes(key))
      assert.equal(citation?.paragraph, HEADING_OF[key], `${outcome.question.id}: ${key}`)
      assert.equal(citeqa.paragraph(citation!.paragraph).kind, 'heading')
    }
  }
  const ordinary = await evaluate(citeqaSystem(citeqa), await readQaSet('data/qa/dev.jsonl'))
  assert.equal(ordinary.documentScoped, 0, 'whole-document detection fires on no ordinary dev question')
})
