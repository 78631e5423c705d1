import 'dotenv/config'
import { answerQuestion } from '../ask/answer-question.ts'
import { createCiteqa } from '../citeqa.ts'
import { parseConfig } from '../config.ts'
import { createLogger } from '../logger.ts'

// npm run ask -- "问题" [--json]
const args = process.argv.slice(2)
const asJson = args.includes('--json')
const question = args.filter((arg) => arg !== '--json').join(' ').trim()
if (!question) {
  console.error('Usage: npm run ask -- "你的问题" [--json]')
  process.exit(2)
}
const config = parseConfig()
const citeqa = await createCiteqa(config, { logger: createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL) })
// The same path as POST /ask: the LLM when one is configured, else extractive.
const result = await answerQuestion(citeqa, { question })
if (asJson) {
  console.log(JSON.stringify(result, null, 2))
} else {
  console.log(result.answer)
  for (const citation of result.citations) {
    console.log(`\n[${citation.n}] ¶${citation.paragraph}${citation.section ? ` · ${citation.section}` : ''} (${citation.start}–${citation.end})\n    ${citation.text}`)
  }
  console.log(`\n(${result.mode}, ${result.embedder}, ${result.timings.totalMs} ms)`)
}
