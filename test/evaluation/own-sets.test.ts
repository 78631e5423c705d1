import assert from 'node:assert/strict'
import { before, test } from 'node:test'
import { runEvaluationSuite, SUITE_FILES, type SuiteReport } from '../../src/evaluation/evaluation-suite.ts'
import { createOfflineCiteqa } from '../helpers/offline-citeqa.ts'

// Floors for the sets written for issue 14 before any tuning (data/qa/PARAPHRASE.md,
// data/qa/multidoc/README.md, data/qa/FOLLOWUP.md), on the offline embedder with the same settings
// as every other set. They guard what the method reaches today; the goals are higher
// (paraphrase 85%, every trap, 90% of conversations) and the README says where it stands.
let report: SuiteReport

before(async () => {
  report = await runEvaluationSuite({
    article: await createOfflineCiteqa(),
    cmrc: await createOfflineCiteqa({ ARTICLE_PATH: SUITE_FILES.cmrcDocuments }),
    multidoc: await createOfflineCiteqa({ ARTICLE_PATH: SUITE_FILES.multidocDocuments }),
  })
})

test('paraphrase set: questions in words the texts do not use answered ≥ 80%, its unanswerable ones refused ≥ 85%', () => {
  const { citeqa, baseline } = report.paraphrase
  assert.ok(citeqa.answerableQuestions >= 40 && citeqa.unanswerableQuestions >= 10, 'the set holds at least 40 answerable and 10 unanswerable questions')
  assert.ok(citeqa.answerAccuracy >= 0.8, `answer accuracy ${citeqa.answerAccuracy}`)
  assert.ok(citeqa.refusalAccuracy >= 0.85, `unanswerable refused ${citeqa.refusalAccuracy}`)
  assert.ok(citeqa.refusalAccuracy > baseline.refusalAccuracy, 'refuses more than the baseline')
})

test('multi-document set: answers from the right document ≥ 95%, cross-document traps refused ≥ 95%', () => {
  const { citeqa } = report.multidoc
  assert.ok(citeqa.answerableQuestions >= 20, 'at least 20 questions')
  assert.ok(citeqa.answerAccuracy >= 0.95, `answer accuracy ${citeqa.answerAccuracy}`)
  assert.ok(citeqa.citationPrecision >= 0.95, `citation precision ${citeqa.citationPrecision}`)
  assert.ok(citeqa.refusalAccuracy >= 0.95, `traps refused ${citeqa.refusalAccuracy}`)
})

test('follow-up conversations: ≥ 85% pass whole, every small-talk turn answered as chat', () => {
  const { followup } = report
  assert.ok(followup.conversations >= 20, 'at least 20 conversations')
  assert.ok(followup.conversationsPassed / followup.conversations >= 0.85, `conversations passed ${followup.conversationsPassed} of ${followup.conversations}`)
  const chatTurns = followup.outcomes.filter((outcome) => outcome.expected.expect === 'chat')
  assert.ok(chatTurns.length > 0 && chatTurns.every((outcome) => outcome.passed), 'small talk answered as chat')
  const completeAfter = followup.byKind['complete-after']
  assert.ok(completeAfter.passed / completeAfter.total >= 0.8, `complete questions after another ${completeAfter.passed} of ${completeAfter.total}`)
})

test('the article and CMRC sets hold where they were (same run, same settings)', () => {
  assert.ok(report.article.citeqa.answerAccuracy >= 0.96, `dev accuracy ${report.article.citeqa.answerAccuracy}`)
  assert.equal(report.article.citeqa.refusalAccuracy, 1)
  assert.ok(report.cmrc.citeqa.answerAccuracy >= 0.85, `CMRC accuracy ${report.cmrc.citeqa.answerAccuracy}`)
  assert.ok(report.cmrc.citeqa.falseRefusalRate <= 0.015, `CMRC false refusals ${report.cmrc.citeqa.falseRefusalRate}`)
  assert.ok(report.cmrc.citeqa.outOfCorpusRefusal >= 0.91, `CMRC out-of-corpus refused ${report.cmrc.citeqa.outOfCorpusRefusal}`)
})
