import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import MiniSearch from 'minisearch'
import { chunkParagraphs } from '../../src/ingest/chunk-paragraphs.ts'
import { loadDocuments } from '../../src/ingest/load-documents.ts'
import { KeywordIndex } from '../../src/retrieval/keyword-index.ts'
import { passageText } from '../../src/retrieval/search-index.ts'
import { TermIndex } from '../../src/retrieval/term-index.ts'
import { tokenizeForSearch } from '../../src/text/tokenize.ts'

const questionsOf = (file: string) => readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => (JSON.parse(line) as { question: string }).question)

// The index citeqa used before it kept its terms: MiniSearch's BM25+, as it was configured.
function miniSearchOver(texts: string[], ids: string[]) {
  const search = new MiniSearch<{ id: string; text: string }>({ fields: ['text'], tokenize: (text) => tokenizeForSearch(text), processTerm: (term) => term })
  search.addAll(texts.map((text, index) => ({ id: ids[index], text })))
  return (query: string, limit: number) => search.search(query, { combineWith: 'OR', prefix: false, fuzzy: false }).slice(0, limit).map((result) => ({ id: String(result.id), score: result.score }))
}

for (const [name, corpus, questions] of [
  ['the article', 'data/article.txt', ['data/qa/dev.jsonl']],
  ['the CMRC trial documents', 'data/qa/cmrc-trial/docs', ['data/qa/cmrc-trial/qa.jsonl', 'data/qa/cmrc-trial/negatives.jsonl']],
] as const) {
  test(`BM25 ranks and scores exactly as MiniSearch did, on ${name} and its questions`, async () => {
    const chunks = chunkParagraphs((await loadDocuments(corpus)).flatMap((document) => document.paragraphs))
    const texts = chunks.map(passageText)
    const expected = miniSearchOver(texts, chunks.map((chunk) => chunk.id))
    // Built from stored terms, as the service does, and from the texts.
    const stored = new KeywordIndex(chunks, passageText, TermIndex.decode(TermIndex.fromTexts(texts).encode()))
    const tokenized = new KeywordIndex(chunks, passageText)
    for (const question of questions.flatMap(questionsOf)) {
      for (const limit of [1, 20]) {
        assert.deepEqual(stored.find(question, limit), expected(question, limit), question)
        assert.deepEqual(tokenized.find(question, limit), expected(question, limit), question)
      }
    }
  })
}
