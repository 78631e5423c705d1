import type { ArticleDocument, DocumentMetadata, MetadataField } from '../ingest/types.ts'
import { pageOf } from '../ingest/chunk-paragraphs.ts'
import { detectLanguage, type Language } from './detect-language.ts'
import type { GroundedAnswer } from './types.ts'
import { subjectsOf } from './question-subject.ts'

/** The names a Chinese question gives its subject (青溪镇); see question-subject.ts. */
export function subjectNamesOf(question: string): string[] {
  return subjectsOf(question).map((subject) => subject.text)
}

/**
 * Questions about the document itself — who wrote it, its title, where and when it was
 * published — answered from its metadata (found at ingest) with the exact span cited.
 *
 * Only questions that point at the document fire: 这篇文章的作者是谁? / 本文出处? / Who wrote the
 * article?, or the bare question (作者是谁?). A question that merely has 作者 or 来源 as its topic
 * (资金来源是什么?, 《XX》的作者是谁?) is a content question and is left to the answerer.
 */

type DocumentField = keyof DocumentMetadata

// The document as a question names it: 这篇文章, 本文, 该文, 原文…
const DOC = '(?:(?:这|该|此|本|那)(?:一)?篇(?:文章|短文|稿件|报道|报告|评论|论文|综述)?|(?:这|该|此|本|那)(?:个|份|段)?(?:文章|文本|材料|报道|报告|稿件|文字)|本文|该文|此文|原文|全文|文章|报告)'
// What a bare question may be wrapped in: 请问 in front, 呢/呀 and punctuation behind.
const BARE_PREFIX = '^(?:请问|那么|那|请告诉我)?[,，]?'
const BARE_SUFFIX = '(?:呢|呀|啊|吗)?$'

// A field word must be asked for (是谁, 是什么, or the question ends): 这篇文章的作者是如何看待… is a content question.
const CHINESE: Record<DocumentField, RegExp[]> = {
  author: [
    new RegExp(`${DOC}的?(?:作者|撰稿人|执笔人|写作者)(?:是谁|是哪位|是什么人|叫什么|的名字|姓名|为何人|是?$)`),
    new RegExp(`${DOC}(?:是|由|出自)?谁(?:写|撰写|所写|执笔|创作|之手)`),
    new RegExp(`谁(?:写|撰写)了?${DOC}`),
    // 写这篇文章的(人/神山镇一把手)叫什么名字?
    new RegExp(`^(?:请问)?(?:写|撰写)(?:了)?[^，,。]{0,16}?${DOC}的[^，,。]{0,12}(?:是谁|叫什么|叫啥|名字|姓名|是哪位)`),
    new RegExp(`${BARE_PREFIX}(?:作者|作者是谁|作者是哪位|作者叫什么(?:名字)?|(?:是)?谁写的|(?:是)?谁写了这篇|写的人是谁)${BARE_SUFFIX}`),
  ],
  title: [
    new RegExp(`${DOC}的?(?:标题|题目|题名|篇名|名字|名称)(?:是什么|叫什么|是啥|为何|是?$)`),
    new RegExp(`${DOC}(?:叫|叫做|名为|题为)什么`),
    new RegExp(`${BARE_PREFIX}(?:标题|题目)(?:是什么|是啥|叫什么)?${BARE_SUFFIX}`),
  ],
  source: [
    new RegExp(`${DOC}的?(?:来源|出处)(?:是什么|是哪里|是哪儿|是哪个|是哪家|在哪|为何|是?$)`),
    new RegExp(`${DOC}(?:来源于|来自|出自|摘自|转载自|选自|发表于|发表在|发布于|发布在|刊登于|刊登在|刊载于|刊发于|刊发在)(?:哪里|哪儿|何处|什么|哪个|哪家|哪一)`),
    new RegExp(`${DOC}(?:是)?(?:在|于)?(?:哪里|哪儿|何处|什么地方|哪个网站|哪家媒体|哪个媒体|哪个报纸|哪家报纸)(?:发表|发布|刊登|刊发|刊载|登载)`),
    new RegExp(`${BARE_PREFIX}(?:来源|出处)(?:是什么|是哪里|是哪儿|在哪里?|是)?${BARE_SUFFIX}`),
  ],
  date: [
    new RegExp(`${DOC}(?:是)?(?:在)?(?:什么时候|何时|哪天|哪一天|哪年|哪一年|几月几号|几号|什么时间|什么日期)(?:发表|发布|写|撰写|刊登|刊发|写成|完成|登出)`),
    new RegExp(`${DOC}的?(?:发表|发布|写作|刊登|刊发|撰写|成文)?(?:时间|日期)(?:是什么|是哪天|是哪一天|是何时|是?$)`),
    new RegExp(`${DOC}(?:发表|发布|刊登|写)(?:于|在)(?:什么时候|何时|哪天|哪一天|哪年)`),
    new RegExp(`${BARE_PREFIX}(?:(?:发表|发布|写作|刊登)(?:时间|日期)(?:是什么|是哪天|是)?|(?:是)?(?:什么时候|何时)(?:发表|发布|写)的?)${BARE_SUFFIX}`),
  ],
}

// English names for the document: the article, this text, it…
// …optionally named by what it is about: the report about Qingxi town.
const EN_DOC = '(?:(?:the|this|that) (?:article|text|essay|document|piece|story|report|passage|paper)(?: (?:about|on|from|of) [a-z0-9 \'-]+)?|it|this)'
const ENGLISH: Record<DocumentField, RegExp[]> = {
  author: [
    new RegExp(`^who (?:wrote|authored|penned|is the author of|was the author of|is the writer of) ${EN_DOC}$`),
    /^who(?:'s| is| was) (?:the|its) (?:author|writer)$/,
    new RegExp(`^(?:what is |what's )?(?:the )?(?:name of the )?author(?:'s name)? of ${EN_DOC}$`),
    new RegExp(`^(?:by whom was|who was) ${EN_DOC} written(?: by)?$`),
    new RegExp(`^who is ${EN_DOC} by$`),
  ],
  title: [
    new RegExp(`^what(?:'s| is| was) (?:the|its) (?:title|headline)(?: of ${EN_DOC})?$`),
    new RegExp(`^what is ${EN_DOC} (?:called|titled|named)$`),
    new RegExp(`^(?:what is )?the (?:title|headline) of ${EN_DOC}$`),
  ],
  source: [
    new RegExp(`^where (?:was|is) ${EN_DOC} (?:published|from|printed|posted|taken from)$`),
    new RegExp(`^where does ${EN_DOC} come from$`),
    new RegExp(`^what(?:'s| is| was) (?:the|its) source(?: of ${EN_DOC})?$`),
    new RegExp(`^which (?:newspaper|website|site|outlet|publication|paper|media) (?:published|ran|carried|printed) ${EN_DOC}$`),
  ],
  date: [
    new RegExp(`^when (?:was|is) ${EN_DOC} (?:published|written|posted|released|dated|printed)$`),
    new RegExp(`^what(?:'s| is| was) (?:the|its) (?:publication |publishing |release )?date(?: of ${EN_DOC})?$`),
    new RegExp(`^when did ${EN_DOC} (?:come out|appear)$`),
  ],
}

const FIELD_LABELS: Record<DocumentField, { zh: string; en: (value: string) => string }> = {
  title: { zh: '标题', en: (value) => `The title is ${value} [1].` },
  author: { zh: '作者', en: (value) => `The author is ${value} [1].` },
  source: { zh: '来源', en: (value) => `The source is ${value} [1].` },
  date: { zh: '发表时间', en: (value) => `The date given is ${value} [1].` },
}

/** A question as the patterns read it: NFKC, lower case, no spaces (Chinese) or single spaces and no end punctuation (English). */
function normalizedQuestion(question: string, language: Language): string {
  const text = question.normalize('NFKC').toLowerCase().trim()
  const withoutEnd = text.replace(/[\s?？!！.。,，;；~]+$/u, '')
  return language === 'zh' ? withoutEnd.replace(/\s+/gu, '') : withoutEnd.replace(/\s+/g, ' ')
}

/** The field a question asks about the document itself, or undefined for any other question. */
export function documentFieldAskedFor(question: string): DocumentField | undefined {
  const language = detectLanguage(question)
  const text = normalizedQuestion(question, language)
  const patterns = language === 'zh' ? CHINESE : ENGLISH
  return (Object.keys(patterns) as DocumentField[]).find((field) => patterns[field].some((pattern) => pattern.test(text)))
}

/**
 * The document the question means: the one a 《…》 in it names by title, else the only one that
 * has the field, else the one the question names by what it is about — its subject (青溪镇那篇报告,
 * the report about Qingxi town) or words of its title (写茶旅融合促振兴那篇文章的人). A 《…》 naming
 * something else — a work the text talks about — means the question is about that work, so none.
 */
function documentMeant(question: string, field: DocumentField, documents: ArticleDocument[], namesIn: (question: string) => string[]): ArticleDocument | undefined {
  const named = [...question.matchAll(/《([^》]+)》/gu)].map((match) => titleKey(match[1]))
  if (named.length > 0) {
    const matching = documents.filter((document) => document.metadata.title && named.includes(titleKey(document.metadata.title.value)))
    return matching.length === 1 ? matching[0] : undefined
  }
  const withField = documents.filter((document) => document.metadata[field])
  if (withField.length <= 1) return withField[0]
  const names = namesIn(question)
  const pairs = chinesePairsOf(question)
  const scores = withField.map((document) => {
    const text = titleKey(document.paragraphs.map((paragraph) => paragraph.text).join('\n'))
    const title = document.metadata.title ? titleKey(document.metadata.title.value) : ''
    // A name the document holds says most; pairs of the question's characters in its title tell titles apart.
    return 10 * names.filter((name) => text.includes(titleKey(name))).length + pairs.filter((pair) => title.includes(pair)).length
  })
  const best = Math.max(...scores)
  return best > 0 && scores.filter((score) => score === best).length === 1 ? withField[scores.indexOf(best)] : undefined
}

/** Pairs of adjacent Chinese characters of a text, NFKC. */
function chinesePairsOf(text: string): string[] {
  const pairs = new Set<string>()
  for (const run of text.normalize('NFKC').match(/\p{Script=Han}+/gu) ?? []) {
    const characters = [...run]
    for (let index = 0; index + 1 < characters.length; index++) pairs.add(characters[index] + characters[index + 1])
  }
  return [...pairs]
}

/** The title key: NFKC, lower case, no whitespace or punctuation (《南岭乡:念好“山水经” 走好振兴路》 as the document writes it or not). */
function titleKey(text: string): string {
  return text.normalize('NFKC').replace(/[\s\p{P}\p{S}]+/gu, '').toLowerCase()
}

/**
 * Answers a question about the document itself (author, title, source, date) from its metadata,
 * citing the exact span; undefined when the question is not such a question, when the document
 * does not state the field, or when several documents could be meant.
 */
// What a question asks of a person the byline names: their post (杨赤明担任什么职务?), who they are.
const ASKS_ROLE = /(?:担任|任|是)?(?:什么|啥|哪个|何)(?:职务|职位|官职|身份|头衔|工作)|是(?:做什么|干什么|干啥)的|是谁|是什么人|\bwhat (?:is|was) (?:the )?(?:post|position|role|job|title)\b/i

/** The document whose byline names the person a question asks the post of (杨赤明 in 作者:赤壁市神山镇党委书记杨赤明), or undefined. */
function bylineNaming(question: string, documents: ArticleDocument[]): ArticleDocument | undefined {
  if (!ASKS_ROLE.test(question)) return undefined
  const text = question.normalize('NFKC')
  const naming = documents.filter((document) => {
    const author = document.metadata.author?.value.normalize('NFKC')
    // The name closes the byline after the post; two to four characters of it, as a question writes a Chinese name.
    return author !== undefined && [4, 3, 2].some((length) => [...author].length > length && text.includes([...author].slice(-length).join('')))
  })
  return naming.length === 1 ? naming[0] : undefined
}

export function answerAboutDocument(question: string, documents: ArticleDocument[], namesIn: (question: string) => string[] = subjectNamesOf): GroundedAnswer | undefined {
  const person = bylineNaming(question, documents)
  if (person) return citeField(question, person, 'author')
  // 《南岭乡:念好“山水经” 走好振兴路》的作者是谁? names a served document by its title: a question about that document.
  const titled = question.replace(/《([^》]+)》/gu, (whole, title: string) => (documents.some((document) => document.metadata.title && titleKey(document.metadata.title.value) === titleKey(title)) ? '这篇文章' : whole))
  const field = documentFieldAskedFor(titled)
  if (!field) return undefined
  const document = documentMeant(question, field, documents, namesIn)
  return document ? citeField(question, document, field) : undefined
}

/** The answer citing one metadata field of a document, or undefined when the document does not state it. */
function citeField(question: string, document: ArticleDocument, field: DocumentField): GroundedAnswer | undefined {
  const fact: MetadataField | undefined = document.metadata[field]
  if (!fact) return undefined
  const paragraph = document.paragraphs[fact.paragraph - 1]
  const label = FIELD_LABELS[field]
  return {
    answer: detectLanguage(question) === 'zh' ? `${label.zh}:${fact.value}[1]` : label.en(fact.value),
    answerable: true,
    citations: [
      {
        n: 1,
        docId: document.id,
        paragraph: fact.paragraph,
        section: paragraph.section,
        text: paragraph.text.slice(fact.start, fact.end),
        start: fact.start,
        end: fact.end,
        ...pageOf(paragraph),
        // Read from the document itself, not ranked: the strongest evidence there is.
        score: 1,
      },
    ],
  }
}
