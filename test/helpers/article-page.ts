import { readFileSync } from 'node:fs'

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

/** Lines of data/article.txt: 1–24 are the article, 25–39 the chrome its news page had around it. */
export function articleLines(): string[] {
  return readFileSync('data/article.txt', 'utf8').split(/\r?\n/).filter((line) => line.trim().length > 0)
}

/**
 * The article as its news site (咸宁网) served it: the 24 paragraphs as `<p>` (the section
 * headings 一、… as `<h3>`, as such pages often mark them) inside a page with heavy chrome — a
 * navigation bar, a headline block, share buttons, the editor line, 上一篇/下一篇 links and the
 * teasers of other articles (lines 25–39 of data/article.txt), a footer, and scripts.
 */
export function articlePageHtml(): string {
  const lines = articleLines()
  const body = lines.slice(0, 24)
  const [editor, previousLabel, previousTitle, nextLabel, nextTitle, ...teasers] = lines.slice(24)
  const paragraphs = body
    .map((line) => (/^[一二三四五]、/.test(line) ? `<h3>${escapeHtml(line)}</h3>` : `<p style="text-indent:2em">${escapeHtml(line)}</p>`))
    .join('\n        ')
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
  <meta charset="utf-8">
  <title>乡镇党委书记要做到“一二三四五” - 咸宁网</title>
  <meta name="keywords" content="乡镇党委书记,神山镇,赤壁">
  <meta name="description" content="乡镇是国家政权的基石,是党和政府在农村工作的基础。">
  <meta property="og:title" content="乡镇党委书记要做到“一二三四五”">
  <meta property="og:site_name" content="咸宁网">
  <meta property="og:type" content="article">
  <meta name="author" content="杨赤明">
  <link rel="stylesheet" href="/css/style.css">
  <script>var _hmt = _hmt || []; (function () { var hm = document.createElement('script'); hm.src = 'https://hm.baidu.com/hm.js?0'; })();</script>
  <style>.nav a { margin: 0 8px } .share span { cursor: pointer }</style>
</head>
<body>
  <div class="top-bar">
    <a href="/">咸宁网首页</a> | <a href="/login">登录</a> | <a href="/register">注册</a> | <span>2021年7月5日 星期一</span>
  </div>
  <div class="header">
    <a class="logo" href="/"><img src="/images/logo.png" alt="咸宁网"></a>
    <ul class="nav">
      <li><a href="/">首页</a></li><li><a href="/news">新闻</a></li><li><a href="/xianning">咸宁</a></li>
      <li><a href="/politics">时政</a></li><li><a href="/society">社会</a></li><li><a href="/video">视频</a></li>
      <li><a href="/lianzheng">廉政</a></li><li><a href="/special">专题</a></li>
    </ul>
    <form class="search" action="/search"><input name="q" placeholder="搜索"><button>搜索</button></form>
  </div>
  <div class="location">当前位置: <a href="/">首页</a> &gt; <a href="/lianzheng">廉政</a> &gt; 正文</div>
  <div class="main">
    <div class="left">
      <div class="article">
        <h1 class="title">乡镇党委书记要做到“一二三四五”</h1>
        <div class="info">来源:咸宁网 &nbsp; 时间:2021-07-05 09:12 &nbsp; 浏览:1024 &nbsp; 字号:<a>大</a> <a>中</a> <a>小</a></div>
        <div class="share">分享到: <span>微信</span> <span>微博</span> <span>QQ空间</span> <span>复制链接</span></div>
        <div class="content" id="zoom">
        ${paragraphs}
        </div>
        <div class="editor">${escapeHtml(editor)}</div>
        <div class="share">分享到: <span>微信</span> <span>微博</span> <span>QQ空间</span></div>
        <div class="prev-next">
          <p>${escapeHtml(previousLabel)}<a href="/lianzheng/2021-07/04/content_1.html">${escapeHtml(previousTitle)}</a></p>
          <p>${escapeHtml(nextLabel)}<a href="/lianzheng/2021-07/05/content_3.html">${escapeHtml(nextTitle)}</a></p>
        </div>
      </div>
      <div class="related">
        <h4>相关新闻</h4>
        <ul>
          ${teasers.map((teaser, index) => `<li><a href="/news/${index}.html">${escapeHtml(teaser)}</a></li>`).join('\n          ')}
        </ul>
      </div>
    </div>
    <div class="right">
      <h4>热点排行</h4>
      <ol><li><a href="/1.html">咸宁高新区举办招聘会</a></li><li><a href="/2.html">赤壁:夏季防汛工作部署</a></li></ol>
    </div>
  </div>
  <div class="footer">
    <p><a href="/about">关于我们</a> | <a href="/contact">联系我们</a> | <a href="/ads">广告服务</a></p>
    <p>咸宁日报社主办 版权所有 未经授权禁止复制或建立镜像</p>
    <p>鄂ICP备09006591号 鄂公网安备 42120202000101号</p>
  </div>
  <script src="/js/jquery.min.js"></script>
  <script>$(function () { $('.share span').on('click', function () { window.open('https://share.example.com/?u=' + location.href) }) })</script>
</body>
</html>
`
}

/**
 * The article laid out for print, as a browser prints it to PDF: A4, 12 px Noto Sans CJK SC, the
 * paragraphs indented, a running header (the site and title) and a page number (第 n 页) on every
 * page, and the page's chrome (lines 25–39) after the article. About three pages.
 */
export function articlePrintHtml(): string {
  const lines = articleLines()
  const page = `@page { size: A4; margin: 22mm 18mm; @top-center { content: "咸宁网 · 乡镇党委书记要做到“一二三四五”"; font-size: 9px } @bottom-center { content: "第 " counter(page) " 页"; font-size: 9px } }`
  const style = `body { font-family: "Noto Sans CJK SC", sans-serif; font-size: 12px; line-height: 1.5; margin: 0 } p { margin: 0 0 .5em; text-indent: 2em } h3 { font-size: 13px; margin: .6em 0 .4em } .chrome p { text-indent: 0 }`
  const body = lines.slice(0, 24).map((line) => (/^[一二三四五]、/.test(line) ? `<h3>${escapeHtml(line)}</h3>` : `<p>${escapeHtml(line)}</p>`))
  const chrome = lines.slice(24).map((line) => `<p>${escapeHtml(line)}</p>`)
  return `<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>乡镇党委书记要做到“一二三四五”</title><style>${page} ${style}</style></head><body>
${body.join('\n')}
<div class="chrome">${chrome.join('\n')}</div></body></html>`
}
