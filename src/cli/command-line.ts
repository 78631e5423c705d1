import { parseArgs, type ParseArgsConfig } from 'node:util'

/**
 * The command line of a CLI, parsed by node:util's parseArgs in strict mode: an unknown option or a
 * typo (`--jsn`) is an error, never a word of the question. `--help` (or `-h`) prints `usage` and
 * exits 0; an error prints what was wrong and `usage` to stderr and exits 2, without a stack trace.
 * `config.options` must not declare `help`: it is added here.
 */
export function parseCommandLine<const T extends ParseArgsConfig>(command: string, usage: string, config: T): ReturnType<typeof parseArgs<T>> {
  let parsed: ReturnType<typeof parseArgs<T>>
  let help: unknown
  try {
    const all = parseArgs({ args: process.argv.slice(2), ...config, strict: true, options: { ...config.options, help: { type: 'boolean', short: 'h' } } })
    const values = all.values as Record<string, unknown>
    help = values.help
    delete values.help
    parsed = all as unknown as ReturnType<typeof parseArgs<T>>
  } catch (error) {
    process.stderr.write(`${command}: ${(error as Error).message}\n\n${usage}\n`)
    process.exit(2)
  }
  if (help) {
    process.stdout.write(`${usage}\n`)
    process.exit(0)
  }
  return parsed
}
