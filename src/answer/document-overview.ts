import type { DocumentOutline, OutlineSection, OutlineSpan } from '../ingest/document-outline.ts'
import { splitIntoSentences } from '../ingest/split-into-sentences.ts'
import type { ArticleDocument } from '../ingest/types.ts'
import { parseChineseNumeral, writeChineseNumeral } from '../text/chinese-numerals.ts'
import type { QueryTranslator } from '../text/query-translator.ts'
import { isStopWord } from '../text/stop-words.ts'
import { segmentQuestion } from '../text/tokenize.ts'
import { detectLanguage, type Language } from './detect-language.ts'
import type { Citation, GroundedAnswer } from './types.ts'

/**
 * Questions about a whole document — what it says, its main points, a summary, its parts — and
 * about one of its top-level sections, answered from the document's outline (built at ingest)
 * rather than from retrieved passages: top-k passages show a part of a document, never its whole.
 *
 * How a question is recognized (in this order; the first that fits decides):
 * 1. It asks which documents there are, or what each is about (有哪些文章, what documents are there): `catalog`.
 * 2. It points at the document and asks for its whole — 这篇文章讲了什么, 文章的中心思想是什么,
 *    请概括一下这篇文章, 本文分为哪几个部分, What is the article about?, Summarize the article, What
 *    are the main points?, How many parts does the article have? — or is such a request on its
 *    own (概括一下, 主要内容是什么?, Summarize.): `document`. A question about a subject the text
 *    treats (《鳄鱼泪》主要内容是什么?) names no document and is a content question.
 * 3. It asks for what the thesis or title names the sections as a whole (乡镇党委书记要牢牢把握的
 *    “一二三四五”分别是什么?): `document`.
 * 4. It names one top-level section and asks nothing more: every content word of the question is
 *    in that section's heading (or in the thesis and title), one of them only in that section's
 *    title (五大发展理念是什么?, 乡镇党委书记要强化哪两个责任?, What does the article say about the five
 *    development concepts?, 文章第三部分讲了什么?): `section`. Any further word (神山镇, 落实, 绿色发展)
 *    makes it a question about a passage.
 * With several documents, a `document` question answers for the document whose title it names
 * (鳄鱼泪这篇文章讲了什么?), for the only document when there is one, and otherwise says which
 * documents there are (`ambiguous`).
 */

export type OverviewRequest =
  | { kind: 'document'; document: ArticleDocument; outline: DocumentOutline; asksCount: boolean }
  | { kind: 'section'; document: ArticleDocument; outline: DocumentOutline; section: OutlineSection }
  | { kind: 'catalog' }
  | { kind: 'ambiguous' }

/** What the wording alone says: a question about a whole document, or about the set of documents. */
export interface WholeDocumentQuestion {
  kind: 'document' | 'catalog'
  /** It asks how many parts or points (几个部分, how many points): the answer says the number first. */
  asksCount: boolean
}

export interface DocumentOverviewOptions {
  /** Most documents listed by a catalog (or ambiguous) answer. Default 10. */
  maxListedDocuments: number
  /** Most paragraph openings given for a document without sections, after its thesis. Default 4. */
  maxOpenings: number
}

export const defaultDocumentOverviewOptions: DocumentOverviewOptions = { maxListedDocuments: 10, maxOpenings: 4 }

// The document as a question names it: 这篇文章, 本文, 该文, 全文, 文章…
const DOC = '(?:(?:这|该|此|本)(?:一)?篇(?:文章|短文|稿件|报道|评论|论文|文档)?|(?:这|该|此|本)(?:个|份|段)?(?:文章|文本|材料|报道|稿件|文字|文档|文件)|本文|该文|此文|原文|全文|文章|文中|作者)'
const ASK_WHAT = '(?:什么|啥|哪些|什么内容|什么事|什么问题|什么事情|哪些内容|哪些方面|哪些问题|哪些事)'
const WHOLE_NOUN = '(?:主要内容|核心内容|基本内容|大致内容|内容|中心思想|主题思想|思想|主要观点|核心观点|基本观点|观点|中心论点|论点|要点|重点|主旨|要旨|主题|大意|梗概|概要|结构|框架|脉络|提纲|大纲|层次|论述思路|思路|要义)'
const WHOLE_ASK = '(?:是什么|是啥|是哪些|有哪些|有什么|包括哪些|包括什么|包含哪些|为何|如何|怎样|是怎样的|是怎么样的|是如何安排的|是什么样的)?'
const PARTS = '(?:部分|方面|层次|层|段|点|条|要点|观点|问题|内容|章|节)'
const SUMMARIZE = '(?:概括|总结|概述|归纳|综述|梳理|提炼|简述|复述|总括|介绍)'
const TAIL = '(?:呢|呀|啊|吗|吧)?$'

const CHINESE_DOCUMENT: RegExp[] = [
  // 这篇文章讲了什么 / 文章主要讲的是什么 / 本文介绍了哪些内容 / 作者想表达什么
  new RegExp(`${DOC}(?:主要|究竟|到底|都|大概|大致|一共|总共|共|想|想要|要|在)*(?:讲|说|写|谈|论|介绍|阐述|论述|描述|探讨|讨论|表达|告诉我们|告诉|提到|提出|强调|反映|说明)(?:了|的|的是|的都是|些|的主要是)?${ASK_WHAT}${TAIL}`),
  // 这篇文章是关于什么的 / 文章讲的是什么
  new RegExp(`${DOC}(?:主要)?(?:是)?关于${ASK_WHAT}的?${TAIL}`),
  // 文章的中心思想是什么 / 本文的主要观点有哪些 / 文章结构是怎样的
  new RegExp(`${DOC}的?(?:主要|核心|基本|大致)?${WHOLE_NOUN}${WHOLE_ASK}${TAIL}`),
  // 请概括一下这篇文章(的内容) / 总结全文 / 用一句话概括本文
  new RegExp(`${SUMMARIZE}(?:一下|下)?${DOC}(?:的)?(?:主要|核心)?(?:内容|要点|观点|大意|主旨|中心思想|意思)?${TAIL}`),
  // 这篇文章的内容能概括一下吗 / 文章可以总结为哪几点
  new RegExp(`${DOC}(?:的)?(?:主要)?(?:内容)?(?:能|可以|可)?(?:${SUMMARIZE})(?:一下|下)?(?:为|成)?(?:哪几点|几点|什么)?${TAIL}`),
  // 文章分为哪几个部分 / 本文提了几点 / 文章包括哪几个方面 / 文章由几部分组成
  new RegExp(`${DOC}(?:一共|总共|共|主要)?(?:分为|分成|分|包括|包含|由|有|提出了?|提了|讲了|列了|列出了?|写了|谈了|说了|讲|谈|说)(?:哪|几|多少)(?:几)?(?:个|条|点|项|大)?${PARTS}(?:组成|构成|内容)?${TAIL}`),
  // Bare: 概括一下 / 请总结全文 / 主要内容是什么? / 中心思想是什么? / 讲了什么?
  new RegExp(`^(?:请|请你|帮我|麻烦)?(?:简要|简单|大致|大概)?(?:地)?${SUMMARIZE}(?:一下|下)?(?:全文|内容|要点|主要内容|大意)?${TAIL}`),
  new RegExp(`^(?:请问)?(?:主要内容|中心思想|主题思想|主旨|文章大意|全文大意|主要观点|核心观点|中心论点)${WHOLE_ASK}${TAIL}`),
  new RegExp(`^(?:请问)?(?:主要)?(?:讲|说)(?:了|的是)${ASK_WHAT}${TAIL}`),
]

const CHINESE_CATALOG: RegExp[] = [
  /(?:有|包括|包含|收录了?|一共有|总共有)(?:哪些|哪几篇|几篇|多少篇|什么)(?:文章|文档|文件|材料|资料)/u,
  /(?:每|各)(?:一)?篇(?:文章|文档)?(?:分别|各自|都)?(?:讲|说|写|谈|是关于|关于)/u,
  /(?:这些|所有|全部|各)(?:文章|文档|文件|材料)(?:分别|各自|都)?(?:讲|说|写|谈|是)(?:了|的)?(?:什么|啥|哪些)/u,
  /^(?:文章|文档)(?:列表|目录|清单)$/u,
]

// English names for the document: the article, this text, it.
const EN_DOC = '(?:(?:the|this|that) (?:article|text|essay|document|piece|story|report|passage|paper)|it)'
const EN_POINTS = '(?:points?|ideas?|arguments?|messages?|themes?|takeaways?|topics?|claims?|conclusions?|thesis|gist|argument|point)'

const ENGLISH_DOCUMENT: RegExp[] = [
  new RegExp(`^what(?:'s| is| was)? ${EN_DOC} (?:mainly |mostly |all |really |basically )?about$`),
  new RegExp(`^what does ${EN_DOC} (?:mainly |mostly |basically )?(?:say|discuss|cover|talk about|argue|describe|deal with|tell us|propose)$`),
  new RegExp(`^(?:can you |could you |would you )?(?:please )?(?:summari[sz]e|sum up|recap|outline|give (?:me )?(?:a |an )?(?:short |brief |quick )?(?:summary|overview|outline|gist|synopsis|recap) of)(?: ${EN_DOC})?(?: (?:for me|briefly|please|in (?:a few|one|two|three|\\w+) (?:sentences?|words|points|paragraphs?)))?$`),
  new RegExp(`^(?:give me |i want |i'd like )?(?:a |an |the )?(?:short |brief |quick )?(?:summary|overview|outline|synopsis|gist|tl;?dr|recap)(?: of ${EN_DOC})?(?: please)?$`),
  new RegExp(`^(?:what (?:are|is|were|was)|list|give me|tell me) (?:the )?(?:main|key|central|major|core|most important|chief) ${EN_POINTS}(?: (?:of|in|from) ${EN_DOC}| ${EN_DOC} makes)?$`),
  new RegExp(`^what(?:'s| is) (?:the )?(?:thesis|gist|main idea|central idea|main point|point|message)(?: of ${EN_DOC})?$`),
  new RegExp(`^how many (?:main |key )?(?:parts|sections|points|chapters|ideas|aspects|steps|topics) (?:does|do|is|are) ${EN_DOC} (?:have|make|contain|include|cover|list|raise|divided into|made of|split into|has)$`),
  new RegExp(`^what (?:is|are) the (?:structure|parts|sections|outline|organi[sz]ation) of ${EN_DOC}$`),
  new RegExp(`^how is ${EN_DOC} (?:structured|organi[sz]ed|divided|laid out)$`),
  new RegExp(`^what (?:parts|sections|points) does ${EN_DOC} (?:have|make|contain|include|cover)$`),
]

const ENGLISH_CATALOG: RegExp[] = [
  /^(?:what|which) (?:documents|articles|texts|files|papers) (?:are there|do you have|are available|can i ask about|are (?:in|loaded|indexed)(?: [\w ]+)?|exist)$/,
  /^(?:list|show)(?: me)? (?:all |the )?(?:documents|articles|texts|files)$/,
  /^what is each (?:document|article|text|file) about$/,
  /^what are (?:the|all the|these) (?:documents|articles|texts)(?: about)?$/,
  /^how many (?:documents|articles|texts|files) (?:are there|do you have)$/,
]

const CHINESE_COUNT = /几|多少/u
const ENGLISH_COUNT = /^how many\b/

// What a question about a section may say besides the section's own words: asking words and fillers.
const FILLER_WORDS = new Set([
  '意思', '含义', '具体', '具体内容', '内容', '主要', '指', '指的是', '是指', '讲', '说', '提到', '提出', '方面', '部分', '分别',
  '包括', '包含', '有', '哪', '哪些', '介绍', '一下', '什么样', '怎么', '理解', '解释', '文章', '本文', '全文', '这篇', '篇', '文中',
  '所说', '所讲', '提', '谈', '讲述', '阐述', '论述', '关于', '请', '请问', '呢', '吗', '要求', '都', '了', '的', '是', '做',
])
const ORDINAL_PART = /第([一二三四五六七八九十]{1,3}|\d{1,2})(?:个)?(?:部分|点|方面|节|章|条|大点|大部分)/u
const ENGLISH_ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth']
const ENGLISH_ORDINAL_PART = new RegExp(`\\b(?:the )?(${ENGLISH_ORDINALS.join('|')}|last) (?:part|section|point|chapter)\\b`)
const ENGLISH_SECTION_QUESTION = [
  new RegExp(`^what does ${EN_DOC} (?:say|write|tell us|propose|argue) (?:about|on|regarding) (.+)$`),
  /^what (?:are|is|were|was) (?:the )?(.+?)(?: (?:that|which) (?:the article|it) (?:names|mentions|describes))?$/,
  /^(?:tell me|explain) about (.+)$/,
  /^(?:summari[sz]e|outline) (?:the (?:part|section) (?:on|about) )?(.+)$/,
]
const ENGLISH_FILLER = new Set(['article', 'text', 'essay', 'document', 'part', 'section', 'say', 'says', 'about', 'mean', 'means', 'main', 'points', 'point'])

/** A question as the patterns read it: NFKC, lower case, no spaces (Chinese) or single spaces and no end punctuation (English). */
function normalizedQuestion(question: string, language: Language): string {
  const text = question.normalize('NFKC').toLowerCase().trim()
  const withoutEnd = text.replace(/[\s?？!！.。,，;；~]+$/u, '')
  return language === 'zh' ? withoutEnd.replace(/\s+/gu, '') : withoutEnd.replace(/[’]/g, "'").replace(/\s+/g, ' ')
}

function compact(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/gu, '')
}

/** Whether the wording asks about a whole document or about the set of documents; undefined for any other question. */
export function wholeDocumentQuestionOf(question: string): WholeDocumentQuestion | undefined {
  const language = detectLanguage(question)
  const text = normalizedQuestion(question, language)
  const [catalog, document, counts] = language === 'zh' ? [CHINESE_CATALOG, CHINESE_DOCUMENT, CHINESE_COUNT] : [ENGLISH_CATALOG, ENGLISH_DOCUMENT, ENGLISH_COUNT]
  if (catalog.some((pattern) => pattern.test(text))) return { kind: 'catalog', asksCount: false }
  if (document.some((pattern) => pattern.test(text))) return { kind: 'document', asksCount: counts.test(text) }
  return undefined
}

/** 5 → 五, 12 → 十二 (up to 99), as a count is written in Chinese text; 100 and more in digits. */
function chineseCount(count: number): string {
  return count < 100 ? writeChineseNumeral(count) : String(count)
}

function titleWithoutLabel(section: OutlineSection): string {
  return section.title.replace(/^[^、.．]{1,4}[、.．]/u, '')
}

/** What the checks of every question read from an outline, compacted once rather than per question. */
interface PreparedOutline {
  /** The title and thesis: words a section question may use besides the section's own. */
  topic: string
  /** The thesis's announced terms (“一二三四五”), as written and compacted. */
  announces: { term: string; compacted: string }[]
  /** Each section's title without its label (一、), and its whole heading. */
  titles: string[]
  headings: string[]
}

/**
 * Answers questions about a whole document or one of its sections from the outlines (see the
 * module comment for how they are recognized).
 */
export class DocumentOverview {
  private readonly options: DocumentOverviewOptions
  private readonly outlines: Map<string, DocumentOutline>
  /** Each document's names (title, outline title, id) compacted, by their first character: made once, not for every question. */
  private documentNames?: Map<string, { position: number; name: string }[]>
  private readonly prepared = new Map<string, PreparedOutline>()

  constructor(
    private readonly documents: ArticleDocument[],
    outlines: DocumentOutline[],
    private readonly translator?: QueryTranslator,
    options: Partial<DocumentOverviewOptions> = {},
  ) {
    this.options = { ...defaultDocumentOverviewOptions, ...options }
    this.outlines = new Map(outlines.map((outline) => [outline.docId, outline]))
  }

  outlineOf(docId: string): DocumentOutline | undefined {
    return this.outlines.get(docId)
  }

  private preparedOf(outline: DocumentOutline): PreparedOutline {
    let prepared = this.prepared.get(outline.docId)
    if (!prepared) {
      prepared = {
        topic: compact([outline.title?.text ?? '', ...outline.thesis.map((span) => span.text)].join('\n')),
        announces: outline.announces.map((term) => ({ term, compacted: compact(term) })),
        titles: outline.sections.map((section) => compact(titleWithoutLabel(section))),
        headings: outline.sections.map((section) => compact(section.heading.text)),
      }
      this.prepared.set(outline.docId, prepared)
    }
    return prepared
  }

  /** What the question asks of the documents' outlines, or undefined for a question about a passage. */
  requestFor(question: string): OverviewRequest | undefined {
    const wording = wholeDocumentQuestionOf(question)
    if (wording?.kind === 'catalog') return { kind: 'catalog' }
    const named = this.documentNamedIn(question)
    const target = named ?? (this.documents.length === 1 ? this.documents[0] : undefined)
    if (wording?.kind === 'document') {
      if (!target) return { kind: 'ambiguous' }
      return { kind: 'document', document: target, outline: this.outlines.get(target.id)!, asksCount: wording.asksCount }
    }
    if (!target) return undefined
    const outline = this.outlines.get(target.id)
    if (!outline) return undefined
    if (this.asksForAnnounced(question, outline)) return { kind: 'document', document: target, outline, asksCount: false }
    const section = this.sectionNamedIn(question, outline)
    return section ? { kind: 'section', document: target, outline, section } : undefined
  }

  /** The cited answer to an overview request. */
  answer(request: OverviewRequest, question: string): GroundedAnswer {
    const language = detectLanguage(question)
    switch (request.kind) {
      case 'document':
        return this.answerDocument(request.document, request.outline, request.asksCount, language)
      case 'section':
        return this.answerSection(request.document, request.section, language)
      case 'catalog':
        return this.answerCatalog(language, false)
      case 'ambiguous':
        return this.answerCatalog(language, true)
    }
  }

  /** The one document whose title (or id) the question holds, the longest match winning; undefined when none or a tie. */
  private documentNamedIn(question: string): ArticleDocument | undefined {
    if (this.documents.length < 2) return undefined
    const text = compact(question)
    // Only names that begin with a character of the question can be in it: a thousand documents are not scanned per question.
    const lengths = new Map<number, number>()
    for (const character of new Set(text.split(''))) {
      for (const { position, name } of this.namesStartingWith().get(character) ?? []) {
        if (text.includes(name)) lengths.set(position, Math.max(lengths.get(position) ?? 0, name.length))
      }
    }
    let best: { position: number; length: number } | undefined
    let tie = false
    for (const [position, length] of [...lengths].sort(([left], [right]) => left - right)) {
      if (!best || length > best.length) {
        best = { position, length }
        tie = false
      } else if (length === best.length) {
        tie = true
      }
    }
    return best && !tie ? this.documents[best.position] : undefined
  }

  private namesStartingWith(): Map<string, { position: number; name: string }[]> {
    if (this.documentNames) return this.documentNames
    this.documentNames = new Map()
    this.documents.forEach((document, position) => {
      const names = [document.metadata.title?.value, this.outlines.get(document.id)?.title?.text, document.id].filter((name): name is string => Boolean(name)).map(compact)
      for (const name of new Set(names)) {
        if ([...name].length < 2) continue
        const starting = this.documentNames!.get(name[0])
        if (starting) starting.push({ position, name })
        else this.documentNames!.set(name[0], [{ position, name }])
      }
    })
    return this.documentNames
  }

  /** The question asks what the thesis's announced term holds (“一二三四五”分别是什么), and nothing else. */
  private asksForAnnounced(question: string, outline: DocumentOutline): boolean {
    const { announces, topic } = this.preparedOf(outline)
    if (announces.length === 0) return false
    const text = compact(question)
    const term = announces.find((announced) => text.includes(announced.compacted))?.term
    if (!term) return false
    if (!/什么|哪些|哪几|分别|是指|指的是|包括|具体|内容|\bwhat\b|\bwhich\b|\blist\b/u.test(text)) return false
    return this.leftoverWords(question.replace(term, ' ')).every((word) => topic.includes(word))
  }

  /** Content words of a Chinese question beyond asking words and fillers. */
  private leftoverWords(question: string): string[] {
    return segmentQuestion(question).filter((word) => !isStopWord(word) && !FILLER_WORDS.has(word) && !/^[“”"'‘’《》「」]+$/u.test(word))
  }

  /** The one section the question names and asks about as a whole, if any. */
  private sectionNamedIn(question: string, outline: DocumentOutline): OutlineSection | undefined {
    const { sections } = outline
    if (sections.length < 2) return undefined
    const language = detectLanguage(question)
    const text = normalizedQuestion(question, language)
    const { topic, titles, headings } = this.preparedOf(outline)

    // 第三部分 / the third part: a section by its place, when the question says nothing else.
    const ordinal = language === 'zh' ? ORDINAL_PART.exec(text) : ENGLISH_ORDINAL_PART.exec(text)
    if (ordinal) {
      // 第二十部分, not 第一二部分: a place is never read digit by digit.
      const place = language === 'zh' ? parseChineseNumeral(ordinal[1], { digitByDigit: false }) : ordinal[1] === 'last' ? sections.length : ENGLISH_ORDINALS.indexOf(ordinal[1]) + 1
      const rest = language === 'zh' ? this.leftoverWords(text.replace(ordinal[0], ' ')) : this.englishLeftover(text.replace(ordinal[0], ' '))
      return place && place <= sections.length && rest.length === 0 ? sections[place - 1] : undefined
    }

    const matches = (inText: (index: number) => (word: string) => boolean, words: string[][]) =>
      sections.filter((_, index) => {
        const inHeading = inText(index)
        const everyWordHeld = words.every((alternatives) => alternatives.some((word) => inHeading(word) || topic.includes(word)))
        // One word must point at this section alone: in its title, in no other title.
        const distinctive = words.some((alternatives) => alternatives.some((word) => titles[index].includes(word) && titles.every((title, other) => other === index || !title.includes(word))))
        return everyWordHeld && distinctive
      })

    if (language === 'zh') {
      // The normalized text, not the question as asked: jieba's dictionary knows U盘 and IC卡 in capitals only, so a cut of the question would differ.
      const words = this.leftoverWords(text)
      if (words.length === 0) return undefined
      const found = matches((index) => (word) => headings[index].includes(word), words.map((word) => [word]))
      return found.length === 1 ? found[0] : undefined
    }
    if (!this.translator) return undefined
    const phrase = ENGLISH_SECTION_QUESTION.map((pattern) => pattern.exec(text)?.[1]).find(Boolean)
    if (!phrase) return undefined
    const words = this.englishLeftover(phrase)
    if (words.length === 0) return undefined
    const translations = words.map((word) => this.translator!.chineseTermsFor(word).map(compact))
    if (translations.some((alternatives) => alternatives.length === 0)) return undefined
    const found = matches((index) => (word) => headings[index].includes(word), translations)
    return found.length === 1 ? found[0] : undefined
  }

  private englishLeftover(text: string): string[] {
    return (text.match(/[a-z]+/g) ?? []).filter((word) => !isStopWord(word) && !ENGLISH_FILLER.has(word))
  }

  private citationsOf(document: ArticleDocument, spans: OutlineSpan[]): Citation[] {
    return spans.map((span, index) => ({
      n: index + 1,
      docId: document.id,
      paragraph: span.paragraph,
      section: document.paragraphs[span.paragraph - 1].section,
      text: span.text,
      start: span.start,
      end: span.end,
      // Read from the document's structure, not ranked.
      score: 1,
    }))
  }

  private grounded(citations: Citation[], language: Language, leadIn = ''): GroundedAnswer {
    const separator = language === 'en' ? ' ' : ''
    const body = citations.map((citation) => `${citation.text}[${citation.n}]`).join(separator)
    return { answer: `${leadIn}${body}`, answerable: citations.length > 0, citations }
  }

  /** The thesis, then each top-level section's heading (title and gist), in document order; a document without sections gives its paragraphs' openings (or, with one paragraph, the sentences after the thesis). */
  private answerDocument(document: ArticleDocument, outline: DocumentOutline, asksCount: boolean, language: Language): GroundedAnswer {
    const { sections, thesis } = outline
    let spans: OutlineSpan[]
    if (sections.length > 0) {
      spans = [...thesis, ...sections.map((section) => section.heading)]
    } else {
      const thesisParagraph = thesis[0]?.paragraph ?? 0
      const titleParagraph = outline.title?.from === 'metadata' ? outline.title.paragraph : 0
      const openings = document.paragraphs
        .filter((paragraph) => paragraph.kind !== 'heading' && paragraph.number !== thesisParagraph && paragraph.number !== titleParagraph)
        .slice(0, this.options.maxOpenings)
        .map((paragraph) => this.firstSentenceOf(document, paragraph.number))
        .filter((span): span is OutlineSpan => Boolean(span))
      // One paragraph of content (an encyclopedia entry): its lead goes on for a sentence or two.
      const continuation = thesis[0] && openings.length < 2 ? this.sentencesAfter(document, thesis[0]).slice(0, 2 - openings.length) : []
      spans = [...thesis, ...continuation, ...openings]
    }
    const leadIn = asksCount && sections.length > 0 ? (language === 'zh' ? `全文分为${chineseCount(sections.length)}个部分:` : `The article has ${sections.length} parts: `) : ''
    return this.grounded(this.citationsOf(document, spans), language, leadIn)
  }

  /** The section's heading, then its numbered items' opening sentences; a section without items gives its first body sentence. */
  private answerSection(document: ArticleDocument, section: OutlineSection, language: Language): GroundedAnswer {
    const parts = section.items.length > 0 ? section.items.map((item) => item.sentence) : section.lead ? [section.lead] : []
    return this.grounded(this.citationsOf(document, [section.heading, ...parts]), language)
  }

  /** Each document's title and thesis; `ambiguous` says first that the question did not name one. */
  private answerCatalog(language: Language, ambiguous: boolean): GroundedAnswer {
    const listed = this.documents.slice(0, this.options.maxListedDocuments)
    const citations: Citation[] = []
    const entries: string[] = []
    for (const document of listed) {
      const outline = this.outlines.get(document.id)
      const spans = [outline?.title?.from === 'metadata' ? outline.title : undefined, ...(ambiguous ? [] : (outline?.thesis ?? []))].filter((span): span is OutlineSpan => Boolean(span))
      const cited = this.citationsOf(document, spans).map((citation, index) => ({ ...citation, n: citations.length + index + 1 }))
      citations.push(...cited)
      const name = cited.length > 0 && spans[0] === outline?.title ? '' : `${document.id}: `
      entries.push(`${name}${cited.map((citation) => `${citation.text}[${citation.n}]`).join(language === 'en' ? ' ' : '')}`)
    }
    const count = this.documents.length
    const more = count > listed.length ? (language === 'zh' ? `……(另有${count - listed.length}篇)` : ` … (${count - listed.length} more)`) : ''
    const zh = ambiguous ? `共有${count}篇文章,问题没有指明是哪一篇;请在问题里写上标题。文章有:` : `共有${count}篇文章:`
    const en = ambiguous ? `There are ${count} documents and the question does not say which one; name it by its title. The documents: ` : `There ${count === 1 ? 'is 1 document' : `are ${count} documents`}: `
    const separator = language === 'zh' ? ';' : '; '
    return { answer: `${language === 'zh' ? zh : en}${entries.join(separator)}${more}`, answerable: citations.length > 0, citations }
  }

  private sentencesAfter(document: ArticleDocument, span: OutlineSpan): OutlineSpan[] {
    const paragraph = document.paragraphs[span.paragraph - 1]
    return splitIntoSentences(paragraph.text)
      .filter((sentence) => sentence.start >= span.end)
      .map((sentence) => ({ paragraph: paragraph.number, start: sentence.start, end: sentence.end, text: sentence.text }))
  }

  private firstSentenceOf(document: ArticleDocument, paragraphNumber: number): OutlineSpan | undefined {
    const paragraph = document.paragraphs[paragraphNumber - 1]
    const [sentence] = splitIntoSentences(paragraph.text)
    return sentence ? { paragraph: paragraph.number, start: sentence.start, end: sentence.end, text: sentence.text } : undefined
  }
}
