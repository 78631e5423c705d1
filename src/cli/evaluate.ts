import 'dotenv/config'
import { parseArgs } from 'node:util'
import { createCiteqa } from '../citeqa.ts'
import { parseConfig } from '../config.ts'
import { evaluate, readQuestions } from '../evaluation/evaluate.ts'
import { createLogger } from '../logger.ts'

// npm run eval [-- --questions data/qa/dev.jsonl] [--verbose]
const { values } = parseArgs({
  options: {
    questions: { type: 'string', default: 'data/qa/dev.jsonl' },
    verbose: { type: 'boolean', short: 'v', default: false },
  },
})

const config = parseConfig()
const citeqa = await createCiteqa(config, { logger: createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL) })
const report = await evaluate(citeqa, await readQuestions(values.questions!))

const percent = (value: number) => `${(value * 100).toFixed(1)}%`
if (values.verbose) {
  for (const outcome of report.outcomes) {
    const verdict = outcome.question.gold.length === 0 ? (outcome.answerable ? 'ANSWERED' : 'refused ok') : outcome.correct ? 'ok' : outcome.answerable ? 'WRONG' : 'REFUSED'
    console.log(`${outcome.question.id} [${outcome.question.type}] rank=${outcome.goldRank} ${verdict}  ${outcome.question.question}\n    → ${outcome.answer.slice(0, 160)}`)
  }
  console.log()
}
console.log(`questions          ${report.questions} (${report.answerableQuestions} answerable, ${report.unanswerableQuestions} unanswerable)`)
console.log(`embedder           ${citeqa.embedderId}`)
console.log(`hit@1              ${percent(report.hitAt1)}`)
console.log(`hit@3              ${percent(report.hitAt3)}`)
console.log(`MRR@10             ${report.mrr.toFixed(3)}`)
console.log(`answer accuracy    ${percent(report.answerAccuracy)}`)
console.log(`citation precision ${percent(report.citationPrecision)} (answered questions whose every citation is in a gold paragraph)`)
console.log(`refusal accuracy   ${percent(report.refusalAccuracy)}`)
console.log(`false refusals     ${report.falseRefusals}`)
console.log(`latency p50 / p95  ${report.p50Ms.toFixed(1)} ms / ${report.p95Ms.toFixed(1)} ms`)
