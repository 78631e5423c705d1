import { test, before } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { buildTranslationLexicon } from '../../src/text/build-translation-lexicon.ts'
import { stemEnglishWord } from '../../src/text/english-stems.ts'
import { QueryTranslator } from '../../src/text/query-translator.ts'
import { parseLexicon, savedLexiconLookup, serializeLexicon, type TranslationLexicon } from '../../src/text/translation-lexicon.ts'
import { OfflineEmbeddings } from '../../src/embeddings/offline-embeddings.ts'

// The article's 24 body paragraphs; the page chrome after them is not part of the corpus.
const paragraphs = readFileSync(new URL('../../data/article.txt', import.meta.url), 'utf8').split('\n').slice(0, 24)

// Built once for the whole file: loading CC-CEDICT takes seconds.
let lexicon: TranslationLexicon
let translator: QueryTranslator
before(async () => {
  lexicon = await buildTranslationLexicon(paragraphs)
  translator = new QueryTranslator(lexicon)
})

function dot(left: number[], right: number[]): number {
  return left.reduce((sum, value, index) => sum + value * right[index], 0)
}

test('stemming folds the inflections of the brief, the same for questions and glosses', () => {
  assert.equal(stemEnglishWord('households'), stemEnglishWord('household'))
  assert.equal(stemEnglishWord('invested'), stemEnglishWord('invest'))
  assert.equal(stemEnglishWord('completed'), stemEnglishWord('complete'))
  assert.equal(stemEnglishWord('supplies'), stemEnglishWord('supply'))
  assert.equal(stemEnglishWord('boxes'), stemEnglishWord('box'))
  assert.equal(stemEnglishWord('planning'), stemEnglishWord('plan'))
  assert.equal(stemEnglishWord("town's"), 'town')
  assert.equal(stemEnglishWord('grass'), 'grass')
  // Inflections only: derivations keep their own meaning (Porter stemmers merge these; see stemEnglishWord).
  assert.notEqual(stemEnglishWord('organic'), stemEnglishWord('organ'))
  assert.notEqual(stemEnglishWord('national'), stemEnglishWord('nation'))
  assert.notEqual(stemEnglishWord('cooperative'), stemEnglishWord('cooperate'))
})

test('the lexicon is plain JSON and works the same after a round trip', () => {
  const reloaded = JSON.parse(JSON.stringify(lexicon)) as TranslationLexicon
  assert.deepEqual(reloaded, lexicon)
  assert.equal(reloaded.format, 'citeqa-translation-lexicon-v1')
  const question = 'How many rural police assistants does the town have?'
  assert.equal(new QueryTranslator(reloaded).translate(question), translator.translate(question))
})

test('translations are corpus terms, best first, with weights in (0, 1]', () => {
  const corpusText = paragraphs.join('\n')
  for (const translations of Object.values(lexicon.translations)) {
    assert.ok(translations.length > 0)
    for (const [index, { term, weight }] of translations.entries()) {
      assert.ok(corpusText.includes(term), term)
      assert.ok(weight > 0 && weight <= 1)
      if (index > 0) assert.ok(translations[index - 1].weight >= weight)
    }
  }
  // Short, specific glosses win: 污水 is just "sewage"; 助理 is just "assistant".
  assert.equal(lexicon.translations['sewag'][0].term, '污水')
  assert.equal(lexicon.translations['assistant'][0].term, '助理')
})

test('Chinese passes through unchanged and English words get Chinese terms appended', () => {
  assert.equal(translator.translate('维修了多少公里沟渠?'), '维修了多少公里沟渠?')
  assert.equal(translator.translate('What is the weather forecast for tomorrow? 天气'), translator.translate('What is the weather forecast for tomorrow? 天气'))

  const question = 'How many rural police assistants does the town have?'
  const translated = translator.translate(question)
  assert.ok(translated.startsWith(`${question} `))
  for (const term of ['农村', '警务', '助理', '镇']) assert.ok(translated.includes(term), `${term} in ${translated}`)
  // A few terms per word at most, not every term whose gloss mentions it.
  assert.ok(translated.slice(question.length).trim().split(' ').length <= 3 * 4)
})

test('English phrases match multi-word glosses', () => {
  assert.ok(translator.chineseTermsFor('the sewage treatment plant').includes('污水处理厂'))
  assert.ok(translator.chineseTermsFor('kiwi fruit').includes('猕猴桃'))
  assert.ok(translator.chineseTermsFor('kiwifruit').includes('猕猴桃'))
})

test('other topics of the article translate too', () => {
  assert.ok(translator.chineseTermsFor('tea').includes('茶'))
  assert.ok(translator.chineseTermsFor('service hall').includes('大厅'))
  assert.ok(translator.chineseTermsFor('water supply').includes('供水'))
  assert.ok(translator.chineseTermsFor('fishing boats').includes('渔船'))
  assert.deepEqual(translator.chineseTermsFor('constructor toString __proto__'), [])
})

test('with the translator, English questions retrieve the paragraph that answers them', async () => {
  const embeddings = new OfflineEmbeddings({ corpus: paragraphs, translator })
  const passageVectors = await embeddings.embedDocuments(paragraphs)
  const expectations: Array<[question: string, line: number]> = [
    ["How much was invested in the town's sewage treatment plant?", 23],
    ['How many rural police assistants does the town have?', 16],
    ['How many households completed the toilet renovation?', 24],
  ]
  for (const [question, line] of expectations) {
    const queryVector = await embeddings.embedQuery(question)
    const scores = passageVectors.map((vector) => dot(vector, queryVector))
    const best = scores.indexOf(Math.max(...scores)) + 1
    assert.equal(best, line, `${question} → ${translator.translate(question)}`)
  }
})

test('place names written in pinyin find the Chinese names of the article', () => {
  assert.ok(translator.chineseTermsFor('the Zhangjiaba water plant').includes('张家坝'))
  assert.ok(translator.chineseTermsFor('Shenshan town').includes('神山'))
  // A romanization never replaces an English word that has its own translation.
  assert.ok(!translator.chineseTermsFor('service').some((term) => /^[\p{Script=Han}]+$/u.test(term) && term.length > 4))
})

test('the lexicon holds only what the translator can use, and its saved form reads back the same, on the first English word', () => {
  for (const [key, translations] of Object.entries(lexicon.translations)) {
    assert.ok(translations.length <= 3, key)
    assert.ok(translations.every((translation) => translation.weight >= translations[0].weight * 0.5), key)
    if (key.includes(' ')) assert.ok(translations[0].weight >= 0.3, `phrase ${key}`)
  }
  const saved = serializeLexicon(lexicon)
  assert.deepEqual(parseLexicon(saved), lexicon)
  assert.ok(saved.length < JSON.stringify(lexicon).length / 2, 'half the size of its JSON form at most')
  // Searched where it lies: every key finds its translations, and nothing else is found.
  const lookup = savedLexiconLookup(saved)
  for (const [key, translations] of Object.entries(lexicon.translations)) assert.deepEqual(lookup.translationsOf(key), translations, key)
  for (const missing of ['', 'zzzz', 'constructor', '__proto__', 'a b c d']) assert.deepEqual(lookup.translationsOf(missing), [])
  let reads = 0
  const lazy = new QueryTranslator(() => {
    reads++
    return savedLexiconLookup(saved)
  })
  assert.equal(lazy.translate('维修了多少公里沟渠?'), '维修了多少公里沟渠?')
  assert.equal(reads, 0, 'a Chinese question never reads the lexicon')
  const question = 'How many rural police assistants does the town have?'
  assert.equal(lazy.translate(question), translator.translate(question))
  assert.equal(lazy.translate(question), translator.translate(question))
  assert.equal(reads, 1)
  assert.throws(() => parseLexicon('something else\n'), /Lexicon: format/)
  assert.throws(() => savedLexiconLookup('something else\n'), /Lexicon: format/)
})

test('an acronym a gloss gives in parentheses translates too: CCTV → 央视 (China Central Television (CCTV))', () => {
  assert.ok(translator.chineseTermsFor('cctv').includes('央视'), translator.chineseTermsFor('cctv').join(' '))
  assert.match(translator.translate('Which CCTV program came to film in 2020?'), /央视/)
})

test('the lexicon keeps the best translations of each key as they come, the same as ranking every proposal', async () => {
  // Kept to one a key, each key's translation must be the one ranked first when three are kept.
  const one = await buildTranslationLexicon(paragraphs, { usableBy: { maxTermsPerWord: 1 } })
  assert.deepEqual(Object.keys(one.translations), Object.keys(lexicon.translations))
  for (const [key, translations] of Object.entries(lexicon.translations)) assert.deepEqual(one.translations[key], translations.slice(0, 1), key)
  assert.ok(Object.values(lexicon.translations).some((translations) => translations.length === 3))
})
