import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { test } from 'node:test'
import fc from 'fast-check'
import { parseParagraphs } from '../../src/ingest/parse-paragraphs.ts'
import { stripPageChrome } from '../../src/ingest/strip-page-chrome.ts'

test('a Markdown document whose second line is 来源: keeps all its text', () => {
  const text = '# 国务院常务会议召开\n来源: 新华社\n会议部署了几项工作。\n编辑: 不是页面的一部分,而是正文里的一句话。\n会议强调要抓好落实。\n'
  const paragraphs = parseParagraphs('note', text)
  assert.deepEqual(
    paragraphs.map((paragraph) => paragraph.text),
    ['国务院常务会议召开', '来源: 新华社', '会议部署了几项工作。', '编辑: 不是页面的一部分,而是正文里的一句话。', '会议强调要抓好落实。'],
  )
})

test('chrome-like lines in the middle of a document are text', () => {
  const lines = ['正文第一段。', '上一篇:', '学党史践初心 解难题办实事', '另一篇文章的开头...', '正文第二段,在链接之后。']
  assert.deepEqual(stripPageChrome(lines), lines)
})

test('the scraped article loses its tail (editor, previous/next links, teasers) and keeps its author line', async () => {
  const lines = (await readFile('data/article.txt', 'utf8')).split(/\r?\n/).map((line) => line.trim()).filter(Boolean)
  const body = stripPageChrome(lines)
  assert.equal(body.length, 24)
  assert.equal(lines[24], '编辑:hefan', 'the tail starts at the editor line')
  assert.deepEqual(body, lines.slice(0, 24))
  assert.match(body[23], /\(作者:赤壁市神山镇党委书记杨赤明\)$/)
})

test('a trailing chrome block keeps its 来源: line and drops the rest', () => {
  assert.deepEqual(stripPageChrome(['正文。', '来源:人民日报', '责任编辑:张三', '下一篇:', '别的标题']), ['正文。', '来源:人民日报'])
  // The first line is never chrome: a document has a body.
  assert.deepEqual(stripPageChrome(['编辑:张三', '短行']), ['编辑:张三', '短行'])
})

const chromeLine = fc.constantFrom('编辑:hefan', '责任编辑：王五', '上一篇:', '下一篇：', '相关阅读:', '相关新闻:', '来源:咸宁网')
const chromeLikeLine = fc.oneof(
  chromeLine,
  fc.constantFrom('以竹为笔绘乡村 以竹铺路通振兴', '学党史践初心 解难题办实事', '分享到', '咸宁网讯通讯员王植报道:“各乡镇党委书记作为第一责任人,决...', '市纪委全会要求…'),
)
const chromeBlock = fc.tuple(chromeLine, fc.array(chromeLikeLine, { maxLength: 8 })).map(([first, rest]) => [first, ...rest])
// Any line a document might hold: sentences, short lines, chrome and teasers among them.
const anyLine = fc.oneof(
  chromeLikeLine,
  fc.constantFrom('正文的一句话。', '这是真的吗？', '杨赤明', '(作者:赤壁市神山镇党委书记杨赤明)', '一、树立一种意识'),
  fc.string({ unit: fc.constantFrom('甲', '乙', '。', '.', ':', ' ', '…', 'a'), minLength: 1, maxLength: 60 }).map((line) => line.trim()).filter(Boolean),
)
const ordinaryParagraph = fc.constantFrom('正文的最后一句。', '乡镇是国家政权的基石,是党和政府在农村工作的基础,乡镇党委书记作为全镇广大党员干部的带头人')

test('property: appending a chrome block to a body never removes a body line', () => {
  fc.assert(
    fc.property(fc.array(anyLine, { maxLength: 12 }), ordinaryParagraph, chromeBlock, (middle, last, block) => {
      // A body that ends with an ordinary paragraph loses nothing, whatever lines come before it.
      const body = [...middle, last]
      assert.deepEqual(stripPageChrome([...body, ...block]).slice(0, body.length), body)
    }),
  )
  fc.assert(
    fc.property(fc.array(anyLine, { minLength: 1, maxLength: 12 }), chromeBlock, (lines, block) => {
      // Whatever a document keeps on its own, it keeps with a chrome block after it.
      const body = stripPageChrome(lines)
      assert.deepEqual(stripPageChrome([...body, ...block]).slice(0, body.length), body)
      assert.deepEqual(stripPageChrome(body), body, 'stripping twice changes nothing')
    }),
  )
})
