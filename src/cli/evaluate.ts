import 'dotenv/config'
import { createHash } from 'node:crypto'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createCiteqa } from '../citeqa.ts'
import { parseConfig } from '../config.ts'
import { evaluate, type EvaluationReport, type QuestionOutcome } from '../evaluation/evaluate.ts'
import { baselineSystem, citeqaSystem, serviceOverHttp } from '../evaluation/evaluated-systems.ts'
import { loadDocuments } from '../ingest/load-documents.ts'
import { isAnswerable, readQaSet } from '../evaluation/qa-set.ts'
import { createLogger } from '../logger.ts'
import { parseCommandLine } from './command-line.ts'

const USAGE = `Usage: npm run eval [-- options]

Runs a question set through the retriever and answerer, and through a naive bigram baseline, and
prints their figures. By default: the article (ARTICLE_PATH) with data/qa/dev.jsonl, and the
whole-document questions of data/qa/dev-global.jsonl in a table of their own.

  --docs DIR            another corpus (it keeps its own index, in the temporary folder)
  --qa FILE             its questions (JSON lines)
  --negatives FILE      questions about documents not in the corpus
  --global FILE         whole-document questions
  --index DIR           where the corpus's index is kept
  --url URL             a running service, through POST /ask (hits then count its citations)
  --min-evidence N      another abstention threshold, 0 to 1
  --json                one JSON object (both systems, misses included)
  --verbose, -v         every miss: question, gold, answer, citations
  --help                this text`

const { values } = parseCommandLine('eval', USAGE, {
  options: {
    docs: { type: 'string' },
    qa: { type: 'string' },
    negatives: { type: 'string' },
    global: { type: 'string' },
    index: { type: 'string' },
    url: { type: 'string' },
    'min-evidence': { type: 'string' },
    json: { type: 'boolean', default: false },
    verbose: { type: 'boolean', short: 'v', default: false },
  },
})

const environment = { ...process.env }
if (values.docs) {
  environment.ARTICLE_PATH = values.docs
  // Each corpus keeps its own index, so evaluating one never rebuilds the service's.
  environment.INDEX_DIR = values.index ?? join(tmpdir(), `citeqa-eval-${createHash('sha256').update(resolve(values.docs)).digest('hex').slice(0, 12)}`)
} else if (values.index) {
  environment.INDEX_DIR = values.index
}
const config = parseConfig(environment)
const minEvidence = values['min-evidence'] === undefined ? undefined : Number(values['min-evidence'])
if (minEvidence !== undefined && !(minEvidence >= 0 && minEvidence <= 1)) throw new Error(`Evaluation: --min-evidence must be a number from 0 to 1, got "${values['min-evidence']}"`)
// With --url the service under test runs elsewhere; only the documents are read here, for the baseline.
const citeqa = values.url
  ? undefined
  : await createCiteqa(config, { logger: createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL), answerer: minEvidence === undefined ? {} : { minEvidence } })
const documents = citeqa?.documents ?? (await loadDocuments(config.ARTICLE_PATH))
const system = citeqa ? citeqaSystem(citeqa) : serviceOverHttp(values.url!)
const embedderId = citeqa?.embedderId ?? (await fetch(new URL('/health', values.url)).then((response) => response.json() as Promise<{ embedder: string }>)).embedder
const questions = [
  ...(await readQaSet(values.qa ?? 'data/qa/dev.jsonl')),
  ...(values.negatives ? await readQaSet(values.negatives, 'negative') : []),
]
const service = await evaluate(system, questions)
const baseline = await evaluate(baselineSystem(documents), questions)
const globalPath = values.global ?? (values.docs || values.qa ? undefined : 'data/qa/dev-global.jsonl')
const globalQuestions = globalPath ? await readQaSet(globalPath) : []
const globalReports = globalPath ? { service: await evaluate(system, globalQuestions), baseline: await evaluate(baselineSystem(documents), globalQuestions) } : undefined

if (values.json) {
  const summary = ({ outcomes, ...figures }: EvaluationReport) => ({ ...figures, misses: outcomes.filter(isMiss).map(describeMiss) })
  const global = globalReports && { questions: globalPath, citeqa: summary(globalReports.service), baseline: summary(globalReports.baseline) }
  console.log(JSON.stringify({ corpus: config.ARTICLE_PATH, embedder: embedderId, citeqa: summary(service), baseline: summary(baseline), ...(global ? { global } : {}) }, null, 2))
} else {
  if (values.verbose) printMisses(service)
  printTable(service, baseline)
  if (globalReports) {
    if (values.verbose) printMisses(globalReports.service)
    printGlobalTable(globalReports.service, globalReports.baseline)
  }
}

function isMiss(outcome: QuestionOutcome): boolean {
  return isAnswerable(outcome.question) ? !outcome.correct : outcome.answerable
}

function verdictOf(outcome: QuestionOutcome): string {
  if (!isAnswerable(outcome.question)) return 'ANSWERED (should refuse)'
  return outcome.answerable ? 'WRONG' : 'REFUSED'
}

function describeMiss(outcome: QuestionOutcome) {
  const { id, question, gold, doc, keys, answers } = outcome.question
  return { id, question, verdict: verdictOf(outcome), gold: { doc, paragraphs: gold, keys, answers }, goldRank: outcome.goldRank, answer: outcome.answer, citations: outcome.citations.map(({ docId, paragraph }) => ({ docId, paragraph })) }
}

function printMisses(report: EvaluationReport): void {
  for (const outcome of report.outcomes.filter(isMiss)) {
    const { id, question, gold, doc, keys, answers } = outcome.question
    const goldText = [doc && `doc ${doc}`, gold.length && `¶${gold.join(',')}`, [...keys, ...answers].join(' | ')].filter(Boolean).join(' · ')
    const cited = outcome.citations.map((citation) => `${citation.docId}¶${citation.paragraph}`).join(' ')
    console.log(`${id} ${verdictOf(outcome)} rank=${outcome.goldRank}  ${question}\n    gold: ${goldText || 'none'}\n    → ${outcome.answer.slice(0, 200)}${cited ? `  (${cited})` : ''}`)
  }
  console.log()
}

function printTable(report: EvaluationReport, other: EvaluationReport): void {
  const rows: [string, (r: EvaluationReport) => string][] = [
    ['hit@1', (r) => percent(r.hitAt1)],
    ['hit@3', (r) => percent(r.hitAt3)],
    ['MRR@10', (r) => r.mrr.toFixed(3)],
    ['answer accuracy', (r) => percent(r.answerAccuracy)],
    ['false refusals', (r) => `${r.falseRefusals} (${percent(r.falseRefusalRate)})`],
    ['refusal accuracy', (r) => (r.unanswerableQuestions ? percent(r.refusalAccuracy) : '–')],
    ['out-of-corpus refused', (r) => (r.outOfCorpusQuestions ? percent(r.outOfCorpusRefusal) : '–')],
    ['first citation in gold', (r) => percent(r.firstCitationInGold)],
    ['citation precision', (r) => percent(r.citationPrecision)],
    ['mean answer length', (r) => `${r.meanAnswerCharacters.toFixed(1)} chars, ${r.meanAnswerSentences.toFixed(2)} sent.`],
    ['latency p50 / p95', (r) => `${r.p50Ms.toFixed(1)} / ${r.p95Ms.toFixed(1)} ms`],
    // Whole-document detection must not fire on ordinary questions: this stays 0 on the dev and CMRC sets.
    ['whole-document scope', (r) => (r === report ? `${r.documentScoped} of ${r.questions}` : '–')],
  ]
  console.log(`corpus   ${config.ARTICLE_PATH} (${documents.length} documents)`)
  console.log(`questions ${report.questions}: ${report.answerableQuestions} answerable, ${report.unanswerableQuestions} unanswerable, ${report.outOfCorpusQuestions} out of corpus`)
  console.log(`embedder ${embedderId}\n`)
  printRows(rows, report, other)
}

function printGlobalTable(report: EvaluationReport, other: EvaluationReport): void {
  const rows: [string, (r: EvaluationReport) => string][] = [
    ['answer accuracy (every key)', (r) => percent(r.answerAccuracy)],
    ['keys cited in gold', (r) => percent(r.keysCitedInGold)],
    ['false refusals', (r) => `${r.falseRefusals} (${percent(r.falseRefusalRate)})`],
    ['first citation in gold', (r) => percent(r.firstCitationInGold)],
    ['citation precision', (r) => percent(r.citationPrecision)],
    ['whole-document scope', (r) => (r === report ? `${r.documentScoped} of ${r.questions}` : '–')],
    ['mean answer length', (r) => `${r.meanAnswerCharacters.toFixed(1)} chars, ${r.meanAnswerSentences.toFixed(2)} sent.`],
  ]
  console.log(`\nwhole-document questions  ${globalPath} (${report.questions})\n`)
  printRows(rows, report, other)
}

function percent(value: number): string {
  return `${(value * 100).toFixed(1)}%`
}

function printRows(rows: [string, (r: EvaluationReport) => string][], report: EvaluationReport, other: EvaluationReport): void {
  const width = Math.max(...rows.map(([label]) => label.length))
  const column = Math.max(...rows.map(([, cell]) => cell(report).length), report.system.length)
  console.log(`| ${''.padEnd(width)} | ${report.system.padEnd(column)} | ${other.system} |`)
  console.log(`|${'-'.repeat(width + 2)}|${'-'.repeat(column + 2)}|${'-'.repeat(other.system.length + 2)}|`)
  for (const [label, cell] of rows) console.log(`| ${label.padEnd(width)} | ${cell(report).padEnd(column)} | ${cell(other)} |`)
}
