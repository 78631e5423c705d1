import { loadGlossDictionary } from '../text/gloss-dictionary.ts'
import { preloadWordSpecificity } from '../text/word-specificity.ts'

// Part of `npm run build` (run by `npm ci`): derives the compact tables of jieba's IDF list and
// CC-CEDICT into node_modules/.cache/citeqa (see table-cache.ts) unless they are there already,
// so that neither the first start nor the first ingest has to.
const started = performance.now()
preloadWordSpecificity()
await loadGlossDictionary()
console.error(`Tables ready in node_modules/.cache/citeqa (${Math.round(performance.now() - started)} ms)`)
