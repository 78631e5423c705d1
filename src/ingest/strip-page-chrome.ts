// A scraped news page ends its article with an editor line, links to the previous and next
// articles, and teasers of other articles cut off with "...". None of it is the article.
const CHROME_START = /^(?:责任编辑|编辑|上一篇|下一篇|相关阅读|相关新闻|来源)\s*[:：]/
const TEASER = /(?:\.{3}|…{1,2})$/

/**
 * The body lines of a scraped page: everything before the first chrome line (`编辑:`,
 * `上一篇:`…), minus teaser snippets of other articles. The author line that closes the body stays.
 */
export function stripPageChrome(lines: string[]): string[] {
  const chromeStart = lines.findIndex((line) => CHROME_START.test(line))
  const body = chromeStart === -1 ? lines : lines.slice(0, chromeStart)
  return body.filter((line) => !TEASER.test(line))
}
