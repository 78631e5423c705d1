import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ExtractiveAnswerer } from '../../src/answer/extractive-answerer.ts'
import { questionTermsOf } from '../../src/answer/question-terms.ts'
import { chunkParagraphs } from '../../src/ingest/chunk-paragraphs.ts'
import { extractDocumentMetadata } from '../../src/ingest/document-metadata.ts'
import { parseParagraphs } from '../../src/ingest/parse-paragraphs.ts'
import type { ArticleDocument } from '../../src/ingest/types.ts'
import type { RetrievedPassage } from '../../src/retrieval/hybrid-retriever.ts'
import { TermStatistics } from '../../src/retrieval/term-statistics.ts'
import { QueryTranslator } from '../../src/text/query-translator.ts'

// Two small documents with titles, as a folder of Wikipedia-style pages would give them.
function documentOf(id: string, text: string): ArticleDocument {
  const paragraphs = parseParagraphs(id, text)
  return { id, source: `${id}.txt`, paragraphs, metadata: extractDocumentMetadata(paragraphs) }
}
const documents = [
  documentOf('fish', '黄鳍紫鱼\n黄鳍紫鱼，又称黄鳍姬鲷，为辐鳍鱼纲鲈形目的其中一个种。本鱼分布于西太平洋区。体呈淡蓝红色。体长可达50公分。以其他鱼类、甲壳类为食。'),
  documentOf('tree', '纽西兰鸡毛松\n纽西兰鸡毛松（学名：Dacrycarpus；毛利语：kahikatea），是罗汉松科鸡毛松属的一种。树高可达55米。此树的用途广泛。'),
]
const chunks = chunkParagraphs(documents.flatMap((document) => document.paragraphs))
const statistics = new TermStatistics(chunks.map((chunk) => chunk.text))
const translator = new QueryTranslator({ format: 'citeqa-translation-lexicon-v1', translations: {} })
const answerer = new ExtractiveAnswerer(documents, statistics, translator)

/** Every chunk of a document as a retrieved passage, best first, with an optional semantic evidence. */
function passagesOf(docId: string, semanticEvidence?: number): RetrievedPassage[] {
  return chunks
    .filter((chunk) => chunk.docId === docId)
    .map((chunk, index) => ({ chunk, score: 1 / (index + 1), denseRank: index + 1, denseScore: 0.5, keywordRank: index + 1, keywordScore: 1, semanticEvidence }))
}

test('the sentence holding what is asked, not the one naming the topic', () => {
  const place = answerer.answer('黄鳍紫鱼分布在哪里？', passagesOf('fish'))
  assert.equal(place.answerable, true)
  assert.match(place.citations[0].text, /西太平洋/)
  const food = answerer.answer('黄鳍紫鱼以什么为食？', passagesOf('fish'))
  assert.match(food.citations.map((citation) => citation.text).join(''), /甲壳类/)
})

test('a title line is never the answer, and a ； inside brackets does not cut the sentence', () => {
  const height = answerer.answer('纽西兰鸡毛松有多高？', passagesOf('tree'))
  assert.equal(height.answerable, true)
  assert.ok(height.citations.every((citation) => citation.paragraph !== 1), 'no citation of the title line')
  assert.match(height.answer, /55米/)
})

test('a name no document holds makes the question unanswerable', () => {
  const result = answerer.answer('盾柱木的别名是什么？', passagesOf('tree'))
  assert.equal(result.answerable, false)
  // Two documents are served: the refusal speaks of the documents, not of an article.
  assert.equal(result.answer, '所给文档中没有找到相关内容。')
  assert.equal(townAnswerer.answer('石桥乡有多少亩茶园？', townPassages()).answer, '文章中没有找到相关内容。')
})

test('a neural embedder’s calibrated similarity can lift the evidence of a paraphrase, and cannot override a missing name', () => {
  const question = '鸡毛松的木料派什么用场？'
  const lexicalOnly = answerer.answer(question, passagesOf('tree'))
  const withSimilarity = answerer.answer(question, passagesOf('tree', 1))
  assert.ok(withSimilarity.evidence > lexicalOnly.evidence, `${withSimilarity.evidence} > ${lexicalOnly.evidence}`)
  assert.equal(answerer.answer('盾柱木的别名是什么？', passagesOf('tree', 1)).answerable, false)
})

/** An answerer over one document, and a question's passages: every chunk of it, best first. */
function answererOf(id: string, text: string) {
  const document = documentOf(id, text)
  const documentChunks = chunkParagraphs(document.paragraphs)
  const statistics = new TermStatistics(documentChunks.map((chunk) => chunk.text))
  const passages = (): RetrievedPassage[] => documentChunks.map((chunk, index) => ({ chunk, score: 1 / (index + 1), denseRank: index + 1, denseScore: 0.5, keywordRank: index + 1, keywordScore: 1 }))
  return { answerer: new ExtractiveAnswerer([document], statistics, translator), statistics, passages }
}

// A town report: its own figures, a neighbour named once after them, a list, a daily figure.
const { answerer: townAnswerer, statistics: statisticsOfTown, passages: townPassages } = answererOf(
  'town',
  '青溪镇发展报告\n青溪镇位于山区,全镇有茶园5000亩。邻近的石桥乡也种茶。\n一是强班子。二是固阵地。要抓住镇机关副科级以上干部、各村党支部书记、镇直各单位负责人“关键的少数”,推动从严治党。\n青溪镇新建水厂,日供水能力3000吨。',
)

test('a figure belongs to the subject named before it, not to one the text names after it', () => {
  assert.match(townAnswerer.answer('青溪镇有多少亩茶园？', townPassages()).answer, /5000亩/)
  assert.equal(townAnswerer.answer('石桥乡有多少亩茶园？', townPassages()).answerable, false)
})

test('a list question is answered by the sentence listing the items, not by the 一是/二是 before it', () => {
  const result = townAnswerer.answer('从严治党要抓住的“关键的少数”是哪几类人？', townPassages())
  assert.equal(result.answerable, true)
  assert.equal(result.citations.length, 1)
  assert.match(result.answer, /副科级以上干部、各村党支部书记、镇直各单位负责人/)
})

test('a quantity asked per day needs the text to give it per day', () => {
  assert.match(townAnswerer.answer('青溪镇的水厂每天供水多少吨？', townPassages()).answer, /3000吨/)
  assert.equal(townAnswerer.answer('青溪镇每天新增茶园多少亩？', townPassages()).answerable, false)
})

test('a rare verb the text lacks is wording, not an anchor; a name no text holds is one; a measure word is cut from the noun it counts', () => {
  const anchors = (question: string) => questionTermsOf(question, statisticsOfTown, translator).filter((term) => term.anchor).map((term) => term.word)
  assert.deepEqual(anchors('从严治党要盯紧哪些人？'), [])
  assert.ok(anchors('虫纹阿南鱼分布在哪里？').length > 0)
  assert.ok(questionTermsOf('青溪镇有多少口人？', statisticsOfTown, translator).some((term) => term.word === '人'))
})

test('a quantity question is refused when the sentence that would answer it gives no number, even with one elsewhere in its paragraph', () => {
  const { answerer: reportAnswerer, passages } = answererOf('report', '石桥乡工作总结\n石桥乡重视党支部建设,一是强班子。全乡修路12公里。')
  assert.equal(reportAnswerer.answer('石桥乡有多少个党支部？', passages()).answerable, false)
  assert.match(reportAnswerer.answer('石桥乡修路多少公里？', passages()).answer, /12公里/)
})

test('a date question is answered by a date in a clause beside the question’s words, not by one dating something else in the sentence', () => {
  const { answerer: reportAnswerer, passages } = answererOf('farm', '神山镇农业报告\n神山镇承办首届农民丰收节,兴农公司在新加坡上市,打响果农品牌,2020年央视走进果园进行拍摄。镇政府于1998年成立农技站。')
  assert.equal(reportAnswerer.answer('首届农民丰收节是哪一年办的？', passages()).answerable, false)
  assert.match(reportAnswerer.answer('央视是哪一年来拍摄的？', passages()).answer, /2020年/)
  assert.match(reportAnswerer.answer('农技站是哪一年成立的？', passages()).answer, /1998年/)
})

test('a quantity asked of a thing another paragraph of the document states is not answered by a figure about something else', () => {
  const { answerer: reportAnswerer, passages } = answererOf('township', '石桥乡发展报告\n投资1120万元新建石桥水厂,日供水能力3000吨。\n乡便民服务中心设置8个服务窗口,群众办事最多跑一次。')
  const waterWorks = passages().filter((passage) => passage.chunk.paragraph === 2)
  assert.equal(reportAnswerer.answer('石桥乡新建便民服务中心投资了多少万元？', waterWorks).answerable, false)
  assert.match(reportAnswerer.answer('石桥乡新建水厂投资了多少万元？', waterWorks).answer, /1120万元/)
})

test('a date is tied to the question by a subject only when the whole subject stands beside it, not a word of it naming something else', () => {
  const { answerer: reportAnswerer, passages } = answererOf('brand', '神山镇农业报告\n神山兴农科技公司在新加坡上市,打响“神山果农”品牌,2020年央视走进果园进行拍摄。\n2019年,神山兴农科技公司获评省级龙头企业。')
  assert.equal(reportAnswerer.answer('神山兴农科技公司是哪一年在新加坡上市的？', passages()).answerable, false)
  assert.match(reportAnswerer.answer('神山兴农科技公司是哪一年获评省级龙头企业的？', passages()).answer, /2019年/)
})

test('a value asked of the thing a question puts first is not answered by a figure the page gives before naming it; a scene (…上) is no such thing', () => {
  const { answerer: animalAnswerer, statistics, passages } = answererOf('pangolin', '马来穿山甲\n马来穿山甲是东南亚的一种穿山甲。牠们体长约65厘米，重达10公斤。牠们的近亲是中华穿山甲，但体型较大。')
  assert.equal(animalAnswerer.answer('中华穿山甲的体重是多少公斤？', passages()).answerable, false)
  assert.match(animalAnswerer.answer('马来穿山甲的体重是多少公斤？', passages()).answer, /10公斤/)
  // Without the rule the relative's weight is given.
  const withoutRule = new ExtractiveAnswerer([documentOf('pangolin', '马来穿山甲\n马来穿山甲是东南亚的一种穿山甲。牠们体长约65厘米，重达10公斤。牠们的近亲是中华穿山甲，但体型较大。')], statistics, translator, { topicBesideValue: false })
  assert.match(withoutRule.answer('中华穿山甲的体重是多少公斤？', passages()).answer, /10公斤/)
  const { answerer: athleteAnswerer, passages: athletePassages } = answererOf('lifter', '占旭刚\n占旭刚是举重运动员。挺举比赛中，占旭刚举起了207.5公斤的杠铃，成为冠军。悉尼奥运会后，占旭刚状态开始下滑。')
  assert.match(athleteAnswerer.answer('悉尼奥运会上占旭刚挺举举起了多重的杠铃？', athletePassages()).answer, /207\.5公斤/)
})

test('the 人 of a people (斯巴达人) that jieba glues to the verb after it is no part of a new word: 人守 is no name to find', () => {
  const words = questionTermsOf('三百个斯巴达人守温泉关的那一仗是哪年打的？', statisticsOfTown, translator).map((term) => term.word)
  assert.ok(!words.includes('人守'), words.join(' '))
  assert.ok(words.includes('守'), words.join(' '))
})

test('a verb the texts lack weighs as any word, not three times as much: it says how the question is worded; a verb opening the question names its topic (搜索雷达) and still weighs more', () => {
  const termOf = (question: string, word: string) => questionTermsOf(question, statisticsOfTown, translator).find((term) => term.word === word)!
  const reworded = termOf('镇上列入市里重点的建设项目有几个？', '列入')
  assert.equal(reworded.inCorpus, false)
  assert.equal(reworded.weight, reworded.specificity)
  const topical = termOf('搜索雷达的有效距离是多少？', '搜索')
  assert.equal(topical.inCorpus, false)
  assert.ok(topical.weight > topical.specificity, `${topical.weight} > ${topical.specificity}`)
})

test('a date question about an event the page never names (出生) is not answered with the date of another event, where other pages name it', () => {
  const athlete = documentOf('lifter', '占旭刚\n占旭刚是中国举重运动员。不久，占旭刚复出参加2003年举重世锦赛。赛后，占旭刚正式结束运动生涯。')
  const singer = documentOf('singer', '潘嘉丽\n潘嘉丽于1985年出生在新加坡，是一名歌手。')
  const pages = [athlete, singer]
  const pageChunks = chunkParagraphs(pages.flatMap((page) => page.paragraphs))
  const pageAnswerer = new ExtractiveAnswerer(pages, new TermStatistics(pageChunks.map((chunk) => chunk.text)), translator)
  const passagesOfPage = (docId: string): RetrievedPassage[] => pageChunks.filter((chunk) => chunk.docId === docId).map((chunk, index) => ({ chunk, score: 1 / (index + 1), denseRank: index + 1, denseScore: 0.5, keywordRank: index + 1, keywordScore: 1 }))
  assert.equal(pageAnswerer.answer('占旭刚是哪一年出生的？', passagesOfPage('lifter')).answerable, false)
  assert.match(pageAnswerer.answer('占旭刚是哪一年复出参加举重世锦赛的？', passagesOfPage('lifter')).answer, /2003年/)
  assert.match(pageAnswerer.answer('潘嘉丽是哪一年出生的？', passagesOfPage('singer')).answer, /1985年/)
})

test('a count asked with its own measure word (多少艘) is answered by the text counting with another (990条); the measure word is no word of the question', () => {
  const { answerer: lakeAnswerer, statistics, passages } = answererOf('lake', '西凉湖治理报告\n全面开展西凉湖流域退捕行动,拆除围网养殖4万亩、渔船990条。')
  const words = (question: string) => questionTermsOf(question, statistics, translator).map((term) => term.word)
  assert.ok(!words('湖里的捕鱼船拆了多少艘？').includes('艘'))
  assert.ok(words('镇上有多少个村完成了资产清查？').includes('村'))
  assert.match(lakeAnswerer.answer('湖里的捕鱼船拆了多少艘？', passages()).answer, /渔船990条/)
})

test('a word the text lacks, whose phrase the text goes on with its first character (资产清查 as 资产清理), is reworded there', () => {
  const { answerer: townReport, statistics, passages } = answererOf('assets', '神山镇工作报告\n完成全镇18个村资产清理总计1480.83万元,清理三资合同230份。')
  assert.equal(questionTermsOf('镇上有多少个村完成了资产清查？', statistics, translator).find((term) => term.word === '清查')?.phraseLead, '资产清')
  assert.match(townReport.answer('镇上有多少个村完成了资产清查？', passages()).answer, /18个村/)
})

test('a question whose words the text lacks sit in the frame the text gives its own words (对…的干部…处理) is answered from that sentence', () => {
  const { answerer: partyAnswerer, passages } = answererOf('discipline', '干部管理办法\n对不作为、慢作为、乱作为及慵懒散软的党员干部,要综合运用“四种形态”进行处理。要加强制度建设。')
  assert.match(partyAnswerer.answer('对干活偷懒拖拉的干部应该怎么处理？', passages()).answer, /四种形态/)
})

test('a list answer whose sentence stops at a semicolon goes on to the clauses after it, as one statement', () => {
  const { answerer: treeAnswerer, passages } = answererOf('podocarp', '纽西兰鸡毛松\n纽西兰鸡毛松是罗汉松科的一种。对毛利人而言，此树的用途广泛，包括假种皮作为食物来源；木材可制成猎鸟的矛；心材可作为纹身的颜料。此树高可达55米。')
  const uses = treeAnswerer.answer('纽西兰鸡毛松有什么用途？', passages())
  assert.match(uses.answer, /食物来源/)
  assert.match(uses.answer, /矛/)
  assert.match(uses.answer, /颜料/)
  assert.doesNotMatch(uses.answer, /55米/)
})

test('a count asked for (哪两个) is held by a sentence listing that many things; one thing counts nothing', () => {
  const { answerer: apiAnswerer, statistics, passages } = answererOf('registry', 'JAXR\nJAXR是为Java平台定义的API。JAXR目前实现支持ebXML Registry2.0版和UDDI2.0版。未来可以支持更多的注册中心。')
  assert.equal(questionTermsOf('JAXR目前实现支持哪两个版本？', statistics, translator).find((term) => term.word === '两个')?.count, 2)
  const versions = apiAnswerer.answer('JAXR目前实现支持哪两个版本？', passages())
  assert.equal(versions.answerable, true)
  assert.match(versions.answer, /ebXML Registry2\.0版和UDDI2\.0版/)
})

test('a why-answer opening with a pointer back (他在…, 在此背景下…) comes with the sentence before it', () => {
  const { answerer: monkAnswerer, passages } = answererOf('monk', '阿若憍陈如\n阿若憍陈如是佛陀最初度化的五比丘之一。阿若是他的名字，意译为初解。他在五人之中最早开悟，得证阿罗汉，因此被称为阿若。')
  const why = monkAnswerer.answer('阿若憍陈如为什么被称为阿若？', passages())
  assert.match(why.answer, /意译为初解/)
  assert.match(why.answer, /最早开悟/)
})

test('a quantity asked of the document’s topic is not answered by a figure naming nothing else of the question, nor by the measured noun as another thing’s measure', () => {
  const text = '石桥乡工作报告\n石桥乡现行标准下贫困户942户3581人脱贫。石桥乡各村设立便民服务室,办公面积约20平方米。石桥乡新发展茶园2000亩。'
  const { answerer: reportAnswerer, statistics, passages } = answererOf('stone-bridge', text)
  // Every figure of the report is the township's: 3581人 counts the people out of poverty, not its population.
  assert.equal(reportAnswerer.answer('石桥乡有多少人口？', passages()).answerable, false)
  // 办公面积 is the service rooms' area, 2000亩 the tea gardens'.
  assert.equal(reportAnswerer.answer('石桥乡面积有多大？', passages()).answerable, false)
  assert.match(reportAnswerer.answer('便民服务室的办公面积有多大？', passages()).answer, /20平方米/)
  assert.match(reportAnswerer.answer('石桥乡脱贫了多少人？', passages()).answer, /3581人/)
  assert.match(reportAnswerer.answer('石桥乡新发展茶园多少亩？', passages()).answer, /2000亩/)
  // Without the check both are answered with another thing's figure.
  const withoutCheck = new ExtractiveAnswerer([documentOf('stone-bridge', text)], statistics, translator, { measuredNounBeyondTopic: false })
  assert.equal(withoutCheck.answer('石桥乡有多少人口？', passages()).answerable, true)
  assert.equal(withoutCheck.answer('石桥乡面积有多大？', passages()).answerable, true)
})
