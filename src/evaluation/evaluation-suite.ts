import type { Citeqa } from '../citeqa.ts'
import { evaluateConversations, readConversationSet, type ConversationReport } from './conversation-set.ts'
import { evaluate, evaluateParts, type EvaluationReport } from './evaluate.ts'
import { baselineSystem, citeqaSystem } from './evaluated-systems.ts'
import { readQaSet, type QaQuestion } from './qa-set.ts'

/**
 * Every question set the project is measured on, with the corpus each is asked of. The same
 * settings answer them all: a change is judged on every set at once.
 */
export const SUITE_FILES = {
  /** The article and its dev set, and its whole-document questions. */
  articleDocuments: 'data/article.txt',
  articleQuestions: 'data/qa/dev.jsonl',
  globalQuestions: 'data/qa/dev-global.jsonl',
  /** The CMRC 2018 trial documents, their questions, and the out-of-corpus questions to refuse. */
  cmrcDocuments: 'data/qa/cmrc-trial/docs',
  cmrcQuestions: 'data/qa/cmrc-trial/qa.jsonl',
  cmrcNegatives: 'data/qa/cmrc-trial/negatives.jsonl',
  /** Questions in words the texts do not use, about the article and the CMRC documents (each names its corpus). */
  paraphraseQuestions: 'data/qa/paraphrase.jsonl',
  /** The article beside documents about other places, with cross-document traps. */
  multidocDocuments: 'data/qa/multidoc/docs',
  multidocQuestions: 'data/qa/multidoc/qa.jsonl',
  /** Conversations over the article: complete questions after others, elliptical ones, small talk. */
  followupConversations: 'data/qa/followup.jsonl',
} as const

/** The services the suite asks, one per corpus. */
export interface SuiteCorpora {
  article: Citeqa
  cmrc: Citeqa
  multidoc: Citeqa
}

/** A set's report for the service and for the naive baseline. */
export interface ComparedReports {
  citeqa: EvaluationReport
  baseline: EvaluationReport
}

export interface SuiteReport {
  article: ComparedReports
  global: ComparedReports
  cmrc: ComparedReports
  paraphrase: ComparedReports
  multidoc: ComparedReports
  followup: ConversationReport
}

async function compared(citeqa: Citeqa, questions: QaQuestion[]): Promise<ComparedReports> {
  return { citeqa: await evaluate(citeqaSystem(citeqa), questions), baseline: await evaluate(baselineSystem(citeqa.documents), questions) }
}

/** The paraphrase set asked of both its corpora, scored as one set. */
async function paraphraseReports(corpora: SuiteCorpora, questions: QaQuestion[]): Promise<ComparedReports> {
  const parts = (['article', 'cmrc'] as const).map((corpus) => ({ citeqa: corpora[corpus], questions: questions.filter((question) => (question.corpus ?? 'article') === corpus) }))
  return {
    citeqa: await evaluateParts('citeqa', parts.map(({ citeqa, questions }) => ({ system: citeqaSystem(citeqa), questions }))),
    baseline: await evaluateParts('bigram baseline', parts.map(({ citeqa, questions }) => ({ system: baselineSystem(citeqa.documents), questions }))),
  }
}

/** Runs every set of {@link SUITE_FILES} through the service and the baseline. */
export async function runEvaluationSuite(corpora: SuiteCorpora): Promise<SuiteReport> {
  const files = SUITE_FILES
  return {
    article: await compared(corpora.article, await readQaSet(files.articleQuestions)),
    global: await compared(corpora.article, await readQaSet(files.globalQuestions)),
    cmrc: await compared(corpora.cmrc, [...(await readQaSet(files.cmrcQuestions)), ...(await readQaSet(files.cmrcNegatives, 'negative'))]),
    paraphrase: await paraphraseReports(corpora, await readQaSet(files.paraphraseQuestions)),
    multidoc: await compared(corpora.multidoc, await readQaSet(files.multidocQuestions)),
    followup: await evaluateConversations(citeqaSystem(corpora.article), await readConversationSet(files.followupConversations)),
  }
}
