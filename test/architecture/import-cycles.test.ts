import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'

// The layers read from the imports: no module may reach itself through them (type-only imports
// count too — a circle of types is how a circle of values starts). Issue 17 found one of 11 files
// through citeqa.ts and src/ask/.
const PROJECT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const SOURCE = join(PROJECT, 'src')

function sourceFilesUnder(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name)
    if (entry.isDirectory()) return sourceFilesUnder(path)
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : []
  })
}

function compilerOptions(): ts.CompilerOptions {
  const configPath = join(PROJECT, 'tsconfig.json')
  const { config, error } = ts.readConfigFile(configPath, ts.sys.readFile)
  if (error) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, '\n'))
  return ts.parseJsonConfigFileContent(config, ts.sys, PROJECT, undefined, configPath).options
}

/** Each file under src/ with the files under src/ it imports (static, type-only, re-exports, dynamic `import()`). */
function importGraph(): Map<string, string[]> {
  const options = compilerOptions()
  const files = sourceFilesUnder(SOURCE)
  const known = new Set(files)
  const graph = new Map<string, string[]>()
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true)
    const targets = importedFiles
      .map(({ fileName }) => ts.resolveModuleName(fileName, file, options, ts.sys).resolvedModule?.resolvedFileName)
      .filter((target): target is string => target !== undefined && known.has(resolve(target)))
      .map((target) => resolve(target))
    graph.set(file, [...new Set(targets)])
  }
  return graph
}

/** The strongly connected components with a circle in them (Tarjan): each a set of files that import one another. */
function importCircles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>()
  const lowest = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const circles: string[][] = []
  const visit = (file: string) => {
    index.set(file, index.size)
    lowest.set(file, index.get(file)!)
    stack.push(file)
    onStack.add(file)
    for (const target of graph.get(file) ?? []) {
      if (!index.has(target)) {
        visit(target)
        lowest.set(file, Math.min(lowest.get(file)!, lowest.get(target)!))
      } else if (onStack.has(target)) {
        lowest.set(file, Math.min(lowest.get(file)!, index.get(target)!))
      }
    }
    if (lowest.get(file) !== index.get(file)) return
    const component: string[] = []
    let member: string
    do {
      member = stack.pop()!
      onStack.delete(member)
      component.push(member)
    } while (member !== file)
    if (component.length > 1 || graph.get(file)!.includes(file)) circles.push(component)
  }
  for (const file of graph.keys()) if (!index.has(file)) visit(file)
  return circles
}

/** One path round a circle, for the message: a.ts → b.ts → a.ts. */
function onePathRound(component: string[], graph: Map<string, string[]>): string {
  const members = new Set(component)
  const start = [...component].sort()[0]
  const path = [start]
  const seen = new Set([start])
  let current = start
  for (;;) {
    const targets = graph.get(current)!.filter((target) => members.has(target))
    const next = targets.find((target) => target === start) ?? targets.find((target) => !seen.has(target)) ?? targets[0]
    path.push(next)
    if (next === start || seen.has(next)) break
    seen.add(next)
    current = next
  }
  return path.map((file) => relative(SOURCE, file)).join(' → ')
}

test('the graph sees the imports it must (the check is not vacuous)', () => {
  const graph = importGraph()
  const citeqa = graph.get(join(SOURCE, 'citeqa.ts'))!.map((file) => relative(SOURCE, file))
  assert.ok(citeqa.includes('ask/answer-cache.ts'), 'a value import')
  assert.ok(citeqa.includes('config.ts'), 'a type-only import (import type { Config })')
  assert.ok(graph.size > 50, `${graph.size} files under src/`)
  const circles = importCircles(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['d']], ['e', ['a']]]))
  assert.deepEqual(circles.map((component) => component.sort()), [['a', 'b', 'c'], ['d']])
})

test('no import circle under src/', () => {
  const graph = importGraph()
  const circles = importCircles(graph)
  assert.deepEqual(
    circles.map((component) => onePathRound(component, graph)),
    [],
    'files that import one another (a type-only import counts): move the shared types or constants into a module both can import',
  )
})
