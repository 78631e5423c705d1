import { parseCommandLine } from '../../src/cli/command-line.ts'
import { exitOnSignals } from '../service-process.ts'
import { fullSoak, quickSoak, runSoak, type SoakLine } from './soak.ts'

const USAGE = `npm run soak [-- --quick] [-- --json]

The load-and-fault suite, on loopback, stopping by itself: a Markdown table on stdout (progress on
stderr), exit 1 if a check fails.

  --quick   20 clients × 2 s load phases (what CI runs) instead of 200 × 10 s
  --json    the checks as one JSON object
  --help    this text`

const { values: options } = parseCommandLine('soak', USAGE, { options: { quick: { type: 'boolean', default: false }, json: { type: 'boolean', default: false } } })

exitOnSignals()
const started = Date.now()

function table(lines: SoakLine[]): string {
  const mark = (pass: SoakLine['pass']) => (pass === 'skip' ? 'skip' : pass ? 'pass' : '**FAIL**')
  const escape = (text: string) => text.replaceAll('|', '\\|')
  return ['| check | result | |', '| --- | --- | --- |', ...lines.map((line) => `| ${escape(line.check)} | ${escape(line.result)} | ${mark(line.pass)} |`)].join('\n')
}

const lines = await runSoak({ ...(options.quick ? quickSoak : fullSoak), progress: (message) => process.stderr.write(`soak: ${message}…\n`) })
const seconds = ((Date.now() - started) / 1000).toFixed(0)
if (options.json) console.log(JSON.stringify({ quick: options.quick, seconds: Number(seconds), lines }, null, 2))
else console.log(`${table(lines)}\n\n${options.quick ? 'quick soak' : 'soak'}: ${seconds} s, ${lines.filter((line) => line.pass === true).length} passed, ${lines.filter((line) => line.pass === false).length} failed, ${lines.filter((line) => line.pass === 'skip').length} skipped`)
process.exit(lines.some((line) => line.pass === false) ? 1 : 0)
