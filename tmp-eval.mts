import { readFileSync } from 'node:fs'
import { buildTranslationLexicon, QueryTranslator } from './src/text/query-translator.ts'
import { OfflineEmbeddings } from './src/embeddings/offline-embeddings.ts'
const lines = readFileSync('data/article.txt', 'utf8').split('\n').slice(0, 24)
const lexicon = await buildTranslationLexicon(lines)
const translator = new QueryTranslator(lexicon)
const cases: [string, number][] = [
 ["How much was invested in the town's sewage treatment plant?", 23],
 ['How many rural police assistants does the town have?', 16],
 ['How many households completed the toilet renovation?', 24],
 ['How many mu of kiwifruit were newly planted?', 14],
 ['How many mu of tea were planted?', 14],
 ['How much was invested in the new convenience service hall?', 15],
 ['What is the floor area of the service hall?', 15],
 ['When was the service hall put into use?', 15],
 ['How much was invested to expand the Zhangjiaba water plant?', 24],
 ['How many kilometers of channels were repaired?', 21],
 ['How many poor households were lifted out of poverty?', 14],
 ['How many fishing boats were removed?', 22],
 ['How many mu of crayfish farming were developed?', 14],
 ['Who is the author of the article?', 24],
 ['How many window units are in the service hall?', 15],
 ['How much money was integrated for street hardening and water supply pipes?', 23],
 ['How many reservoirs were renovated?', 21],
 ['How many kilometers of river embankment were reinforced and greened?', 22],
 ['How many key municipal construction projects are there?', 20],
 ['How much did the collective economic income increase?', 21],
]
for (const dims of [1024, 4096]) for (const mode of ['full', 'chinese-only']) {
  const emb = new OfflineEmbeddings({ corpus: lines, dimensions: dims })
  const docs = await emb.embedDocuments(lines)
  let top1 = 0, top3 = 0; const ranks: number[] = []
  for (const [q, target] of cases) {
    const text = mode === 'full' ? translator.translate(q) : translator.chineseTermsFor(q).join(' ')
    const v = await emb.embedQuery(text)
    const order = docs.map((d, i) => [i + 1, d.reduce((s, x, j) => s + x * v[j], 0)] as const).sort((a, b) => b[1] - a[1]).map(([i]) => i)
    const rank = order.indexOf(target) + 1; ranks.push(rank)
    if (rank === 1) top1++; if (rank <= 3) top3++
  }
  console.log(dims, mode, 'top1', top1, 'top3', top3, '/', cases.length, 'ranks', ranks.join(','))
}
if (process.env.SHOW) for (const [q] of cases) console.log(q, '->', translator.chineseTermsFor(q).join(' '))
