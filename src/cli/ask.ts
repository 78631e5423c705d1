import 'dotenv/config'
import { answerQuestion } from '../ask/answer-question.ts'
import { createCiteqa } from '../citeqa.ts'
import { parseConfig } from '../config.ts'
import { exitOnFailure } from '../exit-on-failure.ts'
import { createCliLogger } from '../logger.ts'
import { parseCommandLine } from './command-line.ts'

const USAGE = `Usage: npm run ask -- "你的问题" [--json]

Answers a question about the article (ARTICLE_PATH) as POST /ask does: with the LLM when one is
configured, else extractively; prints the answer and its citations.

  --json    print the API's JSON body instead
  --help    this text

A question that begins with "-" goes after "--": npm run ask -- -- "-5 是什么?"`

const { values, positionals } = parseCommandLine('ask', USAGE, { allowPositionals: true, options: { json: { type: 'boolean', default: false } } })
const question = positionals.join(' ').trim()
if (!question) {
  console.error(USAGE)
  process.exit(2)
}
exitOnFailure('npm run ask')
const config = parseConfig()
const citeqa = await createCiteqa(config, { logger: createCliLogger(config) })
// The same path as POST /ask: the LLM when one is configured, else extractive.
const result = await answerQuestion(citeqa, { question })
if (values.json) {
  console.log(JSON.stringify(result, null, 2))
} else {
  console.log(result.answer)
  for (const citation of result.citations) {
    console.log(`\n[${citation.n}] ¶${citation.paragraph}${citation.section ? ` · ${citation.section}` : ''} (${citation.start}–${citation.end})\n    ${citation.text}`)
  }
  console.log(`\n(${result.mode}, ${result.embedder}, ${result.timings.totalMs} ms)`)
}
