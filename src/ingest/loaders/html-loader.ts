import { decodeText } from './decode-text.ts'
import type { DeclaredMetadata, DocumentLoader } from './document-loader.ts'
import { htmlBlocksToLines } from './html-blocks.ts'

// <meta charset="gbk"> or <meta http-equiv="Content-Type" content="text/html; charset=gb2312">, in the first bytes.
const META_CHARSET = /<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)/i
const HTML_START = /^\s*(?:<!--[\s\S]*?-->\s*)*(?:<!doctype\s+html|<html[\s>]|<head[\s>])/i

function metaContent(document: Document, selector: string): string | undefined {
  const value = document.querySelector(selector)?.getAttribute('content')?.trim()
  return value ? value : undefined
}

/**
 * A saved web page: the main text as Mozilla's Readability (Firefox's reader view) finds it, on
 * linkedom's DOM (light, no layout; enough for Readability). What Readability leaves of the page
 * chrome — an editor line, 上一篇/下一篇 links — goes to the chrome stripper with the rest of ingest.
 * A page Readability finds no article in (a bare fragment, a short note) is read whole, minus
 * scripts and styles.
 */
export const htmlLoader: DocumentLoader = {
  format: 'html',
  extensions: ['.html', '.htm', '.xhtml'],
  sniff: (bytes) => HTML_START.test(bytes.subarray(0, 1024).toString('latin1').replace(/^\uFEFF|^\xEF\xBB\xBF/, '')),
  async load(bytes, path) {
    const declaredCharset = META_CHARSET.exec(bytes.subarray(0, 2048).toString('latin1'))?.[1]
    const { text: html } = decodeText(bytes, path, declaredCharset)
    // Loaded with the first page read, not at every start.
    const [{ Readability }, { parseHTML }] = await Promise.all([import('@mozilla/readability'), import('linkedom')])
    const { document } = parseHTML(html)
    const declared: DeclaredMetadata = {
      title: metaContent(document, 'meta[property="og:title"]') ?? (document.title?.trim() || undefined),
      siteName: metaContent(document, 'meta[property="og:site_name"]'),
      byline: metaContent(document, 'meta[name="author"]') ?? metaContent(document, 'meta[property="article:author"]'),
      published: metaContent(document, 'meta[property="article:published_time"]'),
    }
    // Readability changes the DOM it reads: the whole page is parsed again if it finds nothing.
    const article = new Readability(document as unknown as Document).parse()
    let lines = article?.content ? htmlBlocksToLines(parseHTML(`<!DOCTYPE html><html><body>${article.content}</body></html>`).document.body) : []
    if (lines.length === 0) lines = htmlBlocksToLines(parseHTML(html).document.body)
    if (article?.title) declared.title = article.title.trim()
    if (article?.byline) declared.byline = article.byline.trim()
    if (article?.siteName) declared.siteName = article.siteName.trim()
    if (article?.publishedTime) declared.published = article.publishedTime.trim()
    return { format: 'html', lines, declared: Object.fromEntries(Object.entries(declared).filter(([, value]) => value)) }
  },
}
