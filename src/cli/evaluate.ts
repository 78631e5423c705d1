import 'dotenv/config'
import { createHash } from 'node:crypto'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createCiteqa, type Citeqa } from '../citeqa.ts'
import { parseConfig } from '../config.ts'
import type { ConversationReport } from '../evaluation/conversation-set.ts'
import { evaluate, type EvaluationReport, type QuestionOutcome } from '../evaluation/evaluate.ts'
import { baselineSystem, citeqaSystem, serviceOverHttp } from '../evaluation/evaluated-systems.ts'
import { runEvaluationSuite, SUITE_FILES, type ComparedReports, type SuiteReport } from '../evaluation/evaluation-suite.ts'
import { loadDocuments } from '../ingest/load-documents.ts'
import { isAnswerable, readQaSet } from '../evaluation/qa-set.ts'
import { exitOnFailure } from '../exit-on-failure.ts'
import { createCliLogger } from '../logger.ts'
import { parseCommandLine } from './command-line.ts'

const USAGE = `npm run eval                      every set: the article's dev and whole-document questions, the paraphrase,
                                  multi-document and follow-up sets, and the CMRC trial set (offline embedder unless EMBEDDINGS says)
npm run eval -- --docs DIR --qa FILE [--negatives FILE] [--global FILE]   one corpus and its questions
npm run eval -- --url http://127.0.0.1:3000 [--docs DIR --qa FILE …]       a running service, through POST /ask
options: --min-evidence 0.45   another abstention threshold
         --sweep 0.3,0.35,0.4  the abstention trade-off on every set, one row a threshold
         --verbose             every miss: question, gold, answer, citations
         --json                one JSON object
         --index DIR           where the (single) corpus's index is kept
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
    sweep: { type: 'string' },
    json: { type: 'boolean', default: false },
    verbose: { type: 'boolean', short: 'v', default: false },
  },
})

function thresholdOf(text: string): number {
  const value = Number(text)
  if (!(text.trim() !== '' && value >= 0 && value <= 1)) {
    console.error(`Evaluation: --min-evidence and --sweep take numbers from 0 to 1, got "${text}"`)
    process.exit(1)
  }
  return value
}

const minEvidence = values['min-evidence'] === undefined ? undefined : thresholdOf(values['min-evidence'])
const baseEnvironment = { ...process.env }
exitOnFailure('npm run eval')
const baseConfig = parseConfig(baseEnvironment)

/** Each corpus keeps its own index in the temp folder, so evaluating one never rebuilds the service's. */
function indexFolderOf(documents: string): string {
  return join(tmpdir(), `citeqa-eval-${createHash('sha256').update(resolve(documents)).digest('hex').slice(0, 12)}`)
}

async function openCorpus(documents: string | undefined, threshold: number | undefined, indexFolder?: string): Promise<Citeqa> {
  const environment = { ...baseEnvironment }
  if (documents) environment.ARTICLE_PATH = documents
  if (documents || indexFolder) environment.INDEX_DIR = indexFolder ?? indexFolderOf(documents!)
  const config = parseConfig(environment)
  // With the postgres store, a corpus the active generation does not hold gets a generation of this run's own: evaluating must not switch the replicas.
  return createCiteqa(config, { logger: createCliLogger(baseConfig), answerer: threshold === undefined ? {} : { minEvidence: threshold }, generation: 'unpublished' })
}

const singleCorpus = values.docs !== undefined || values.qa !== undefined || values.url !== undefined
if (values.sweep !== undefined) {
  await sweep(values.sweep.split(',').map(thresholdOf))
} else if (singleCorpus) {
  await evaluateOneCorpus()
} else {
  await evaluateSuite()
}

async function evaluateSuite(): Promise<void> {
  const corpora = {
    article: await openCorpus(undefined, minEvidence, values.index),
    cmrc: await openCorpus(SUITE_FILES.cmrcDocuments, minEvidence),
    multidoc: await openCorpus(SUITE_FILES.multidocDocuments, minEvidence),
  }
  const report = await runEvaluationSuite(corpora)
  if (values.json) {
    const compared = ({ citeqa, baseline }: ComparedReports) => ({ citeqa: summary(citeqa), baseline: summary(baseline) })
    const followup = { ...report.followup, outcomes: undefined, misses: report.followup.outcomes.filter((outcome) => !outcome.passed) }
    console.log(JSON.stringify({ embedder: corpora.article.embedderId, article: compared(report.article), global: compared(report.global), cmrc: compared(report.cmrc), paraphrase: compared(report.paraphrase), multidoc: compared(report.multidoc), followup }, null, 2))
    return
  }
  console.log(`embedder ${corpora.article.embedderId}\n`)
  printSet(`article dev set  ${SUITE_FILES.articleQuestions} over ${corpora.article.documents.length} document(s)`, report.article)
  printGlobalTable(SUITE_FILES.globalQuestions, report.global)
  printSet(`paraphrase set  ${SUITE_FILES.paraphraseQuestions} (article and CMRC trial documents, in words the texts do not use)`, report.paraphrase)
  printSet(`multi-document set  ${SUITE_FILES.multidocQuestions} over ${corpora.multidoc.documents.length} documents`, report.multidoc)
  printConversations(SUITE_FILES.followupConversations, report.followup)
  printSet(`CMRC trial set  ${SUITE_FILES.cmrcQuestions} + ${SUITE_FILES.cmrcNegatives} over ${corpora.cmrc.documents.length} documents`, report.cmrc)
}

async function evaluateOneCorpus(): Promise<void> {
  const environment = { ...baseEnvironment, ...(values.docs ? { ARTICLE_PATH: values.docs } : {}) }
  const config = parseConfig(environment)
  // With --url the service under test runs elsewhere; only the documents are read here, for the baseline.
  const citeqa = values.url ? undefined : await openCorpus(values.docs, minEvidence, values.index)
  const documents = citeqa?.documents ?? (await loadDocuments(config.ARTICLE_PATH))
  const system = citeqa ? citeqaSystem(citeqa) : serviceOverHttp(values.url!)
  const embedderId = citeqa?.embedderId ?? (await fetch(new URL('/health', values.url)).then((response) => response.json() as Promise<{ embedder: string }>)).embedder
  const questions = [...(await readQaSet(values.qa ?? SUITE_FILES.articleQuestions)), ...(values.negatives ? await readQaSet(values.negatives, 'negative') : [])]
  const reports = { citeqa: await evaluate(system, questions), baseline: await evaluate(baselineSystem(documents), questions) }
  const globalPath = values.global ?? (values.docs || values.qa ? undefined : SUITE_FILES.globalQuestions)
  const globalQuestions = globalPath ? await readQaSet(globalPath) : []
  const global = globalPath ? { citeqa: await evaluate(system, globalQuestions), baseline: await evaluate(baselineSystem(documents), globalQuestions) } : undefined
  if (values.json) {
    const globalSummary = global && { questions: globalPath, citeqa: summary(global.citeqa), baseline: summary(global.baseline) }
    console.log(JSON.stringify({ corpus: config.ARTICLE_PATH, embedder: embedderId, citeqa: summary(reports.citeqa), baseline: summary(reports.baseline), ...(globalSummary ? { global: globalSummary } : {}) }, null, 2))
    return
  }
  console.log(`embedder ${embedderId}\n`)
  printSet(`corpus   ${config.ARTICLE_PATH} (${documents.length} documents)`, reports)
  if (global) printGlobalTable(globalPath!, global)
}

/** The abstention trade-off: every set at each threshold, one row each (the README's table). */
async function sweep(thresholds: number[]): Promise<void> {
  const rows: string[] = []
  for (const threshold of thresholds) {
    const report = await runEvaluationSuite({
      article: await openCorpus(undefined, threshold),
      cmrc: await openCorpus(SUITE_FILES.cmrcDocuments, threshold),
      multidoc: await openCorpus(SUITE_FILES.multidocDocuments, threshold),
    })
    rows.push(sweepRow(threshold, report))
    console.error(`min evidence ${threshold}: done`)
  }
  console.log(
    '| min evidence | article: accuracy | article: false refusals | article: unanswerable refused | CMRC: accuracy | CMRC: false refusals | CMRC: out-of-corpus refused | paraphrase: accuracy | paraphrase: unanswerable refused | multi-document: accuracy | multi-document: traps refused | follow-up conversations |',
  )
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |')
  for (const row of rows) console.log(row)
}

function sweepRow(threshold: number, report: SuiteReport): string {
  const { article, cmrc, paraphrase, multidoc, followup } = report
  const refusals = (r: EvaluationReport) => `${r.falseRefusals} (${percent(r.falseRefusalRate)})`
  return `| ${threshold.toFixed(2)} | ${percent(article.citeqa.answerAccuracy)} | ${refusals(article.citeqa)} | ${percent(article.citeqa.refusalAccuracy)} | ${percent(cmrc.citeqa.answerAccuracy)} | ${refusals(cmrc.citeqa)} | ${percent(cmrc.citeqa.outOfCorpusRefusal)} | ${percent(paraphrase.citeqa.answerAccuracy)} | ${percent(paraphrase.citeqa.refusalAccuracy)} | ${percent(multidoc.citeqa.answerAccuracy)} | ${percent(multidoc.citeqa.refusalAccuracy)} | ${followup.conversationsPassed} of ${followup.conversations} |`
}

function summary({ outcomes, ...figures }: EvaluationReport) {
  return { ...figures, misses: outcomes.filter(isMiss).map(describeMiss) }
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

function printSet(heading: string, { citeqa: report, baseline }: ComparedReports): void {
  if (values.verbose) printMisses(report)
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
  console.log(heading)
  console.log(`questions ${report.questions}: ${report.answerableQuestions} answerable, ${report.unanswerableQuestions} unanswerable, ${report.outOfCorpusQuestions} out of corpus\n`)
  printRows(rows, report, baseline)
  console.log()
}

function printGlobalTable(path: string, { citeqa: report, baseline }: ComparedReports): void {
  if (values.verbose) printMisses(report)
  const rows: [string, (r: EvaluationReport) => string][] = [
    ['answer accuracy (every key)', (r) => percent(r.answerAccuracy)],
    ['keys cited in gold', (r) => percent(r.keysCitedInGold)],
    ['false refusals', (r) => `${r.falseRefusals} (${percent(r.falseRefusalRate)})`],
    ['first citation in gold', (r) => percent(r.firstCitationInGold)],
    ['citation precision', (r) => percent(r.citationPrecision)],
    ['whole-document scope', (r) => (r === report ? `${r.documentScoped} of ${r.questions}` : '–')],
    ['mean answer length', (r) => `${r.meanAnswerCharacters.toFixed(1)} chars, ${r.meanAnswerSentences.toFixed(2)} sent.`],
  ]
  console.log(`whole-document questions  ${path} (${report.questions})\n`)
  printRows(rows, report, baseline)
  console.log()
}

function printConversations(path: string, report: ConversationReport): void {
  if (values.verbose) {
    for (const outcome of report.outcomes.filter((candidate) => !candidate.passed)) {
      const { expected, answer } = outcome
      const wanted = expected.expect ?? `¶${expected.gold.join(',')} ${expected.keys.join(' | ')}`
      console.log(`${outcome.conversation}#${outcome.turn} ${outcome.kind}  ${expected.question}\n    expected: ${wanted}\n    → ${answer.answer.slice(0, 160)}  (${answer.scope ?? ''}${answer.citations.map((citation) => ` ¶${citation.paragraph}`).join('')})`)
    }
    console.log()
  }
  console.log(`follow-up conversations  ${path}: each turn asked with the turns before it and the answers given\n`)
  console.log('| kind | conversations passed |')
  console.log('| --- | --- |')
  for (const [kind, { passed, total }] of Object.entries(report.byKind)) console.log(`| ${kind} | ${passed} of ${total} |`)
  console.log(`| all conversations | ${report.conversationsPassed} of ${report.conversations} (${percent(report.conversationsPassed / report.conversations)}) |`)
  console.log(`| all turns | ${report.turnsPassed} of ${report.turns} (${percent(report.turnsPassed / report.turns)}) |\n`)
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
