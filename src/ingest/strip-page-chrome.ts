// A scraped news page ends its article with an editor line, links to the previous and next
// articles, and teasers of other articles cut off with "...". None of it is the article.
// The same labels can open real text (a Markdown note whose second line is `来源: 新华社`), so
// they only count as chrome in a trailing block of the document, never in its middle.
const CHROME_LINE = /^(?:责任编辑|编辑|上一篇|下一篇|相关阅读|相关新闻|来源)\s*[:：]/
// `来源:` names where the document itself comes from: metadata, kept even inside the chrome block.
const SOURCE_LINE = /^来源\s*[:：]/
const TEASER = /(?:\.{3}|…{1,2})$/
// Link titles of other articles (`以竹为笔绘乡村 以竹铺路通振兴`), share buttons and the like:
// short, and never a finished sentence.
const LINK_TITLE_MAX_CHARACTERS = 40
const SENTENCE_PUNCTUATION = /[。！？!?；;]|\.$/

function isChromeLike(line: string): boolean {
  if (CHROME_LINE.test(line) || TEASER.test(line)) return true
  return [...line].length <= LINK_TITLE_MAX_CHARACTERS && !SENTENCE_PUNCTUATION.test(line)
}

/**
 * Where the page chrome starts: the first chrome line (`编辑:`, `上一篇:`, `来源:`…) of the
 * trailing run of chrome-like lines (chrome lines, teasers, short link titles), or
 * `lines.length` when the document has no such block. A chrome line followed by an ordinary
 * paragraph is text, not chrome; and the first line is never chrome (a document has a body).
 */
export function findPageChromeStart(lines: string[]): number {
  let runStart = lines.length
  while (runStart > 1 && isChromeLike(lines[runStart - 1])) runStart -= 1
  for (let index = runStart; index < lines.length; index += 1) {
    if (CHROME_LINE.test(lines[index])) return index
  }
  return lines.length
}

/**
 * The body lines of a document: a trailing chrome block of a scraped page (editor line,
 * previous/next links, teasers of other articles) is dropped, except its `来源:` lines; everything
 * before it stays, including the author line that closes the body and teaser-like lines in the text.
 * Lines may be strings or anything `textOf` reads a line's text from.
 */
export function stripPageChrome(lines: string[]): string[]
export function stripPageChrome<Line>(lines: Line[], textOf: (line: Line) => string): Line[]
export function stripPageChrome<Line>(lines: Line[], textOf: (line: Line) => string = (line) => line as string): Line[] {
  const chromeStart = findPageChromeStart(lines.map(textOf))
  return [...lines.slice(0, chromeStart), ...lines.slice(chromeStart).filter((line) => SOURCE_LINE.test(textOf(line)))]
}
