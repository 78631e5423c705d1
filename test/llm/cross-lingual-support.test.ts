import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { CrossLingualSupportScorer, isNeuralEmbedder } from '../../src/llm/cross-lingual-support.ts'
import { verifyCitations } from '../../src/llm/verify-citations.ts'
import { TransformersEmbeddings } from '../../src/embeddings/transformers-embeddings.ts'
import { buildTranslationLexicon } from '../../src/text/build-translation-lexicon.ts'
import { QueryTranslator } from '../../src/text/query-translator.ts'
import { writeTinyModel } from '../fixtures/tiny-model.ts'

const WATER_PLANT = '加强农村水源地保护工作,投资877万元对张家坝水厂进行扩建升级,改造供水管网,解决偏远村组供水不足问题。'
const RIGHT = 'The town invested 8.77 million yuan to expand and upgrade the Zhangjiaba water plant.'
const WRONG_NUMBER = 'The town invested 9.77 million yuan to expand and upgrade the Zhangjiaba water plant.'
const MIN_SUPPORT = 0.4

// The article's 24 body paragraphs, as the index's lexicon is built from them (CC-CEDICT loads once: seconds).
const paragraphs = readFileSync(new URL('../../data/article.txt', import.meta.url), 'utf8').split('\n').slice(0, 24)
let translator: QueryTranslator
let scorer: CrossLingualSupportScorer
before(async () => {
  translator = new QueryTranslator(await buildTranslationLexicon(paragraphs))
  scorer = new CrossLingualSupportScorer({ translator })
})

test('an English sentence is supported by the Chinese sentence it renders; the same with a wrong number is not', () => {
  assert.ok(scorer.score(RIGHT, WATER_PLANT) >= MIN_SUPPORT, `right: ${scorer.score(RIGHT, WATER_PLANT)}`)
  assert.equal(scorer.score(WRONG_NUMBER, WATER_PLANT), 0)
  // Written any way, the amount is the passage's.
  assert.ok(scorer.score('It invested 8,770,000 yuan in the Zhangjiaba water plant.', WATER_PLANT) >= MIN_SUPPORT)
})

test('numbers are converted on both sides: households, mu, square metres, percentages', () => {
  const toilets = '建立完善农村人居环境整治长效机制,并建立人大监督落实机制,完成厕所革命厕改任务2302户,完成莲塘、大桥四个美丽乡村试点建设。'
  assert.ok(scorer.score('The toilet renovation was completed for 2,302 households.', toilets) >= MIN_SUPPORT)
  assert.equal(scorer.score('The toilet renovation was completed for 2,320 households.', toilets), 0)
  const nets = '全面开展西凉湖流域“拆围”“退捕”行动,拆除围网养殖4万亩、渔船990条,拆除西凉湖周边违法建筑500平方米。'
  assert.ok(scorer.score('Net-pen aquaculture on 40,000 mu and 990 fishing boats were removed from Xiliang Lake.', nets) >= MIN_SUPPORT)
  assert.equal(scorer.score('Net-pen aquaculture on 4,000 mu and 990 fishing boats were removed from Xiliang Lake.', nets), 0)
  const hall = '投资近300万元新建一个占地316.5平方米的便民服务大厅,并于2020年10月投入使用。'
  assert.ok(scorer.score('A 316.5 square metre service hall was built with nearly 3 million yuan.', hall) >= MIN_SUPPORT)
  const grain = '全镇粮食总产量达到3.5万吨，比上年增长6%。'
  assert.ok(scorer.score('Grain output grew by 6 percent.', grain) >= MIN_SUPPORT)
  assert.equal(scorer.score('Grain output grew by 8 percent.', grain), 0)
})

test('Chinese claims: bigram support as before, and a number the passage lacks makes them unsupported', () => {
  assert.ok(scorer.score('投资877万元对张家坝水厂进行扩建升级。', WATER_PLANT) > 0.8)
  assert.equal(scorer.score('投资977万元对张家坝水厂进行扩建升级。', WATER_PLANT), 0)
  assert.ok(scorer.score('张家坝水厂扩建升级的投资是877万元。', WATER_PLANT) >= MIN_SUPPORT)
})

test('unrelated English sentences are not supported', () => {
  assert.ok(scorer.score('It will rain heavily in Beijing tomorrow.', WATER_PLANT) < MIN_SUPPORT)
  assert.ok(scorer.score('The town opened a new hospital with 200 beds.', WATER_PLANT) < MIN_SUPPORT)
})

test('verifyCitations with the scorer: an English answer is answerable, a wrong number is not, Chinese answers behave as before', () => {
  const passages = [
    { n: 1, text: '乡镇党委书记要切实履行基层党建第一责任人职责，抓好班子、带好队伍。' },
    { n: 2, text: WATER_PLANT },
  ]
  const right = verifyCitations(`${RIGHT} [2]`, passages, { scorer })
  assert.equal(right.answerable, true)
  assert.deepEqual(right.segments.map(({ cites, supported }) => ({ cites, supported })), [{ cites: [2], supported: true }])
  // Cited to the wrong passage, or not at all: attached to the one that supports it.
  assert.deepEqual(verifyCitations(`${RIGHT} [1]`, passages, { scorer }).segments[0].cites, [2])
  assert.deepEqual(verifyCitations(RIGHT, passages, { scorer }).segments[0].cites, [2])
  const wrong = verifyCitations(`${WRONG_NUMBER} [2]`, passages, { scorer })
  assert.equal(wrong.answerable, false)
  assert.equal(wrong.segments[0].score, 0)
  // Without a scorer, the old bigram support: the English answer finds nothing in Chinese.
  assert.equal(verifyCitations(`${RIGHT} [2]`, passages).answerable, false)
  const chinese = verifyCitations('乡镇党委书记要抓好班子、带好队伍。投资877万元对张家坝水厂进行扩建升级。', passages, { scorer })
  assert.deepEqual(chinese.segments.map((segment) => segment.cites), [[1], [2]])
  assert.equal(chinese.answerable, true)
})

/** Embeddings whose cosine is scripted: every text maps to a fixed unit vector. */
function scriptedEmbeddings(id: string, vectors: Record<string, number[]>, calls: string[] = []) {
  const vectorOf = (text: string) => {
    calls.push(text)
    const vector = vectors[text]
    if (!vector) throw new Error(`scripted embeddings: no vector for "${text}"`)
    return vector
  }
  return {
    id,
    embedQuery: async (text: string) => vectorOf(text),
    embedDocuments: async (texts: string[]) => texts.map(vectorOf),
  }
}

test('with a neural embedder, calibrated similarity can support a paraphrase the lexicon misses; numbers still gate it', async () => {
  const paraphrase = 'The waterworks was enlarged.'
  const paraphraseWithWrongNumber = 'The waterworks was enlarged for 9.77 million yuan.'
  const vectors = { [paraphrase]: [1, 0], [paraphraseWithWrongNumber]: [1, 0], [WATER_PLANT]: [0.95, Math.sqrt(1 - 0.95 ** 2)] }
  const calls: string[] = []
  const neural = new CrossLingualSupportScorer({ translator, embeddings: scriptedEmbeddings('transformers:scripted', vectors, calls) })
  assert.ok(neural.usesSimilarity)
  assert.ok(neural.score(paraphrase, WATER_PLANT) < MIN_SUPPORT, 'lexically the paraphrase is not enough')

  const answer = `${paraphrase} [1] ${paraphraseWithWrongNumber} [1]`
  const forAnswer = await neural.forAnswer(answer, [WATER_PLANT])
  assert.equal(forAnswer.score(paraphrase, WATER_PLANT), 1, 'cosine 0.95 is above the 0.92 ceiling')
  assert.equal(forAnswer.score(paraphraseWithWrongNumber, WATER_PLANT), 0)
  assert.deepEqual(calls.sort(), [WATER_PLANT, paraphrase, paraphraseWithWrongNumber].sort(), 'each text embedded once')
  const verified = verifyCitations(answer, [{ n: 1, text: WATER_PLANT }], { scorer: forAnswer })
  assert.deepEqual(verified.segments.map((segment) => segment.supported), [true, false])

  assert.equal(neural.calibrate(0.8), 0)
  assert.ok(Math.abs(neural.calibrate(0.86) - 0.5) < 1e-9)
  assert.equal(neural.calibrate(0.99), 1)
})

test('the offline embedder is not used for similarity, and an embedding failure leaves the lexical score', async () => {
  assert.equal(isNeuralEmbedder('offline-hashing-v1:1024'), false)
  const offline = new CrossLingualSupportScorer({ translator, embeddings: scriptedEmbeddings('offline-hashing-v1:1024', {}) })
  assert.equal(offline.usesSimilarity, false)
  assert.equal(await offline.forAnswer(RIGHT, [WATER_PLANT]), offline)

  const warnings: unknown[] = []
  const logger = { info() {}, error() {}, warn: (object: unknown) => warnings.push(object) }
  const failing = new CrossLingualSupportScorer({ translator, embeddings: scriptedEmbeddings('transformers:broken', {}) })
  const fallback = await failing.forAnswer(`${RIGHT} [1]`, [WATER_PLANT], logger)
  assert.equal(fallback.score(RIGHT, WATER_PLANT), failing.score(RIGHT, WATER_PLANT))
  assert.equal(warnings.length, 1)
})

test('plumbing with a real transformers.js model (the generated tiny one: its similarity means nothing)', async () => {
  const modelsFolder = await mkdtemp(path.join(os.tmpdir(), 'citeqa-tiny-model-'))
  try {
    await writeTinyModel(modelsFolder, 'test/tiny-bert')
    const embeddings = new TransformersEmbeddings({ model: 'test/tiny-bert', localModelPath: modelsFolder, cacheDir: path.join(modelsFolder, '.cache'), allowRemoteModels: false })
    const neural = new CrossLingualSupportScorer({ translator, embeddings })
    assert.ok(neural.usesSimilarity)
    const forAnswer = await neural.forAnswer(`${RIGHT} [1] ${WRONG_NUMBER} [1]`, [WATER_PLANT, '今天天气很好。'])
    assert.notEqual(forAnswer, neural)
    for (const passage of [WATER_PLANT, '今天天气很好。']) {
      const score = forAnswer.score(RIGHT, passage)
      assert.ok(score >= 0 && score <= 1, `score ${score}`)
      assert.equal(forAnswer.score(WRONG_NUMBER, passage), 0)
    }
    assert.ok(forAnswer.score(RIGHT, WATER_PLANT) >= scorer.score(RIGHT, WATER_PLANT), 'similarity only ever adds')
  } finally {
    await rm(modelsFolder, { recursive: true, force: true })
  }
})
