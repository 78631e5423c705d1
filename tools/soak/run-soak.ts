import { fullSoak, quickSoak, runSoak, type SoakLine } from './soak.ts'

// npm run soak [-- --quick] [-- --json]: the load-and-fault suite, on loopback, stopping by itself.
const quick = process.argv.includes('--quick')
const json = process.argv.includes('--json')
const started = Date.now()

function table(lines: SoakLine[]): string {
  const mark = (pass: SoakLine['pass']) => (pass === 'skip' ? 'skip' : pass ? 'pass' : '**FAIL**')
  const escape = (text: string) => text.replaceAll('|', '\\|')
  return ['| check | result | |', '| --- | --- | --- |', ...lines.map((line) => `| ${escape(line.check)} | ${escape(line.result)} | ${mark(line.pass)} |`)].join('\n')
}

const lines = await runSoak({ ...(quick ? quickSoak : fullSoak), progress: (message) => process.stderr.write(`soak: ${message}…\n`) })
const seconds = ((Date.now() - started) / 1000).toFixed(0)
if (json) console.log(JSON.stringify({ quick, seconds: Number(seconds), lines }, null, 2))
else console.log(`${table(lines)}\n\n${quick ? 'quick soak' : 'soak'}: ${seconds} s, ${lines.filter((line) => line.pass === true).length} passed, ${lines.filter((line) => line.pass === false).length} failed, ${lines.filter((line) => line.pass === 'skip').length} skipped`)
process.exit(lines.some((line) => line.pass === false) ? 1 : 0)
