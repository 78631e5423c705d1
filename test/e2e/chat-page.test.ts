import assert from 'node:assert/strict'
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import type { BrowserContext, Page } from 'playwright-core'
import { createOfflineCiteqa, startServer } from '../helpers/offline-citeqa.ts'
import { accessibilityViolations, ARTIFACTS, launchChromium, skipWithoutChromium } from './headless-chromium.ts'

const DOCS = path.resolve('docs')
// The README's screenshots are refreshed only on request (UPDATE_SCREENSHOTS=1), so a test run leaves tracked files alone.
const UPDATE_DOCS = process.env.UPDATE_SCREENSHOTS === '1'
const WIDE = { width: 1280, height: 860 }
const NARROW = { width: 390, height: 844 }

// From data/qa/dev.jsonl: D08 (gold paragraph 21) and an unanswerable one.
const ANSWERABLE = '维修了多少公里沟渠?'
const UNANSWERABLE = '赤壁市的天气预报是什么?'
const MARKUP = '<img src=x onerror=alert(1)>'

const WHOLE_DOCUMENT = '这篇文章讲了什么?'
// Small talk, and a complete question after another (answered as asked) and an elliptical one (read with the turn before).
const GREETING = '你好'
const AUTHOR = '作者是谁?'
const WATER_PLANT = '投资多少钱对张家坝水厂进行扩建升级?'
const ELLIPTICAL = '污水处理厂呢?'
const ARTICLE_TITLE = '乡镇党委书记要牢牢把握“一二三四五”'

describe('chat page in headless Chromium', { skip: skipWithoutChromium }, () => {
  let server: Awaited<ReturnType<typeof startServer>> | undefined
  let baseUrl: string
  let context: BrowserContext
  let indexDirectory: string
  let profileDirectory: string
  const dialogs: string[] = []

  before(async () => {
    indexDirectory = await mkdtemp(path.join(tmpdir(), 'citeqa-e2e-index-'))
    profileDirectory = await mkdtemp(path.join(tmpdir(), 'citeqa-e2e-chromium-'))
    server = await startServer(await createOfflineCiteqa({ INDEX_DIR: indexDirectory }))
    baseUrl = server.baseUrl
    context = await launchChromium(profileDirectory, WIDE)
    context.on('page', (page) => {
      page.on('dialog', (dialog) => {
        dialogs.push(dialog.message())
        void dialog.dismiss()
      })
    })
  })

  after(async () => {
    await context?.close()
    await server?.close()
    await rm(indexDirectory, { recursive: true, force: true })
    await rm(profileDirectory, { recursive: true, force: true })
  })

  async function openPage(viewport = WIDE): Promise<Page> {
    const page = await context.newPage()
    await page.setViewportSize(viewport)
    await page.goto(`${baseUrl}/`)
    await page.locator('#article[data-loaded="true"]').waitFor()
    return page
  }

  async function askQuestion(page: Page, question: string) {
    const answers = page.locator('.message-answer')
    const before = await answers.count()
    await page.fill('#question', question)
    await page.press('#question', 'Enter')
    const answer = answers.nth(before)
    await answer.locator('xpath=self::*[not(contains(@class, "is-pending"))]').waitFor()
    return answer
  }

  async function isInViewport(page: Page, selector: string): Promise<boolean> {
    return page.locator(selector).evaluate((element) => {
      const box = element.getBoundingClientRect()
      return box.bottom > 0 && box.right > 0 && box.top < window.innerHeight && box.left < window.innerWidth && box.height > 0
    })
  }

  test('answers a dev-set question with citation chips, and a chip highlights the cited span in the article', async () => {
    const page = await openPage()
    await page.screenshot({ path: path.join(ARTIFACTS, 'chat-empty.png') })
    const [response] = await Promise.all([page.waitForResponse((candidate) => candidate.url().endsWith('/ask')), askQuestion(page, ANSWERABLE)])
    const answer = page.locator('.message-answer').last()
    assert.equal(await answer.getAttribute('data-answerable'), 'true')
    assert.match(await answer.locator('.message-text').innerText(), /7公里/)
    // The answer came as Server-Sent Events, and the page read it as a stream (it also takes plain JSON).
    assert.match(response.headers()['content-type'] ?? '', /text\/event-stream/)
    assert.equal(await answer.getAttribute('data-transport'), 'stream')

    const chip = answer.locator('.message-text .citation-chip').first()
    assert.equal(await chip.innerText(), '[1]')
    assert.match(await answer.locator('.sources .source').first().innerText(), /21/)
    assert.match(await answer.locator('.sources .source-section').first().innerText(), /2、要坚持协调发展/)

    await chip.click()
    const mark = page.locator('#p-21 mark.cited-span')
    await mark.waitFor()
    assert.ok(await isInViewport(page, '#p-21'), 'paragraph 21 is scrolled into view')
    const citationText = await page.evaluate(async (question) => {
      const response = await fetch('/ask', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ question }) })
      return (await response.json()).citations[0].text as string
    }, ANSWERABLE)
    assert.equal(await mark.textContent(), citationText)
    assert.equal(await page.locator('mark.cited-span').count(), 1)
    assert.equal(new URL(page.url()).hash, '#p-21')
    await page.screenshot({ path: path.join(ARTIFACTS, 'chat-answer-highlighted.png') })
    if (UPDATE_DOCS) {
      await mkdir(DOCS, { recursive: true })
      await copyFile(path.join(ARTIFACTS, 'chat-answer-highlighted.png'), path.join(DOCS, 'screenshot-chat.png'))
    }
    await page.close()
  })

  test('says plainly when the article has no answer', async () => {
    const page = await openPage()
    const answer = await askQuestion(page, UNANSWERABLE)
    assert.equal(await answer.getAttribute('data-answerable'), 'false')
    assert.match(await answer.locator('.abstention').innerText(), /没有找到能回答这个问题的内容/)
    assert.equal(await answer.locator('.citation-chip').count(), 0)
    await page.screenshot({ path: path.join(ARTIFACTS, 'chat-abstention.png') })
    await page.close()
  })

  test('greets a greeting with a friendly reply naming the article, not a refusal and with no citations', async () => {
    const page = await openPage()
    const answer = await askQuestion(page, GREETING)
    assert.equal(await answer.getAttribute('data-kind'), 'chat')
    const text = await answer.locator('.message-text').innerText()
    assert.match(text, /^你好!/)
    assert.ok(text.includes(`《${ARTICLE_TITLE}》`), `the reply names the article: ${text}`)
    assert.match(text, /你可以问我关于.*的问题/, 'the reply says what it answers questions about')
    // Nothing of a refusal: no abstention line or colours, no "not found" wording, no sources, no mode line.
    assert.match(await answer.getAttribute('class') ?? '', /\bis-chat\b/)
    assert.doesNotMatch(await answer.getAttribute('class') ?? '', /is-abstention/)
    assert.equal(await answer.locator('.abstention').count(), 0)
    assert.doesNotMatch(await answer.innerText(), /没有找到/)
    assert.equal(await answer.locator('.citation-chip').count(), 0)
    assert.equal(await answer.locator('.sources').count(), 0)
    assert.equal(await answer.locator('.message-meta').count(), 0)
    await page.screenshot({ path: path.join(ARTIFACTS, 'chat-greeting.png') })

    await page.click('#language-toggle')
    const english = await askQuestion(page, 'Hi, who are you?')
    assert.equal(await english.getAttribute('data-kind'), 'chat')
    assert.match(await english.locator('.message-text').innerText(), /^I'm citeqa.*Ask me about “乡镇党委书记要牢牢把握/)
    assert.equal(await english.locator('.abstention, .citation-chip, .sources').count(), 0)
    await page.screenshot({ path: path.join(ARTIFACTS, 'chat-greeting-english.png') })
    await page.click('#language-toggle')
    await page.close()
  })

  test('after another question, 作者是谁? is answered as asked: the author, cited to paragraph 24', async () => {
    const page = await openPage()
    const first = await askQuestion(page, ANSWERABLE)
    assert.match(await first.locator('.sources .source-paragraph').first().innerText(), /第 21 段/)
    const [request, response] = await Promise.all([
      page.waitForRequest((candidate) => candidate.url().endsWith('/ask')),
      page.waitForResponse((candidate) => candidate.url().endsWith('/ask')),
      askQuestion(page, AUTHOR),
    ])
    // The page sends the conversation; the service decides the question is complete and does not glue the two.
    const sent = JSON.parse(request.postData() ?? '{}')
    assert.equal(sent.history?.[0]?.content, ANSWERABLE)
    const done = JSON.parse(/event: done\ndata: (.*)\n/.exec(await response.text())![1])
    assert.equal(done.standaloneQuestion, AUTHOR)
    const answer = page.locator('.message-answer').last()
    assert.equal(await answer.getAttribute('data-answerable'), 'true')
    assert.match(await answer.locator('.message-text').innerText(), /杨赤明/)
    assert.deepEqual(await answer.locator('.sources .source-paragraph').allInnerTexts(), ['第 24 段'])
    assert.equal(await answer.locator('.answered-as').count(), 0, 'answered as asked: no rewritten question shown')
    await answer.locator('.message-text .citation-chip').first().click()
    assert.match(await page.locator('#p-24 mark.cited-span').textContent() ?? '', /杨赤明/)
    assert.ok(await isInViewport(page, '#p-24'), 'paragraph 24 is scrolled into view')
    await page.screenshot({ path: path.join(ARTIFACTS, 'chat-follow-up-complete.png') })
    await page.close()
  })

  test('an elliptical follow-up is read with the turn before it, and the page shows what was answered', async () => {
    const page = await openPage()
    const first = await askQuestion(page, WATER_PLANT)
    assert.match(await first.locator('.message-text').innerText(), /877万元/)
    const answer = await askQuestion(page, ELLIPTICAL)
    assert.match(await answer.locator('.message-text').innerText(), /970万元/)
    assert.match(await answer.locator('.answered-as').innerText(), /^按“.*污水处理厂.*”作答$/)
    await page.click('#language-toggle')
    assert.match(await answer.locator('.answered-as').innerText(), /^Answered as: “.*污水处理厂.*”$/)
    await page.click('#language-toggle')
    await page.screenshot({ path: path.join(ARTIFACTS, 'chat-follow-up-elliptical.png') })
    await page.close()
  })

  test('shows a question written as markup as text, running nothing', async () => {
    const page = await openPage()
    dialogs.length = 0
    await askQuestion(page, MARKUP)
    await page.waitForTimeout(300) // give a would-be onerror handler time to fire
    assert.equal(await page.locator('.message-question .message-text').last().textContent(), MARKUP)
    assert.equal(await page.locator('img').count(), 0)
    assert.deepEqual(dialogs, [])
    await page.screenshot({ path: path.join(ARTIFACTS, 'chat-markup-as-text.png') })
    await page.close()
  })

  test('works on a narrow (phone) viewport with the article below the chat', async () => {
    const page = await openPage(NARROW)
    const chatBox = await page.locator('.chat-pane').boundingBox()
    const articleBox = await page.locator('.article-pane').boundingBox()
    assert.ok(chatBox && articleBox && articleBox.y >= chatBox.y + chatBox.height - 1, 'article pane stands below the chat')
    assert.ok(articleBox.width <= NARROW.width, 'no sideways overflow')
    const answer = await askQuestion(page, ANSWERABLE)
    await page.screenshot({ path: path.join(ARTIFACTS, 'mobile-answer.png') })
    await answer.locator('.message-text .citation-chip').first().click()
    await page.locator('#p-21 mark.cited-span').waitFor()
    assert.ok(await isInViewport(page, '#p-21 mark.cited-span'), 'cited span scrolled into view')
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth)
    assert.ok(scrollWidth <= NARROW.width, `page is ${scrollWidth}px wide on a ${NARROW.width}px screen`)
    await page.screenshot({ path: path.join(ARTIFACTS, 'mobile-highlighted.png') })
    if (UPDATE_DOCS) await copyFile(path.join(ARTIFACTS, 'mobile-highlighted.png'), path.join(DOCS, 'screenshot-chat-mobile.png'))
    await page.close()
  })

  test('on a phone, after following a citation the question box is one tap away and the conversation keeps its place', async () => {
    const page = await openPage(NARROW)
    await askQuestion(page, WHOLE_DOCUMENT)
    const answer = await askQuestion(page, ANSWERABLE)
    const back = page.locator('#back-to-conversation')
    assert.equal(await back.isVisible(), false, 'no button while the question box is on screen')
    // While the conversation scrolls, the question box stays at the foot of the screen, clear of the answer above it.
    assert.ok(await isInViewport(page, '#question'), 'question box on screen after an answer')
    const chip = answer.locator('.message-text .citation-chip').first()
    await chip.scrollIntoViewIfNeeded()
    const placeBefore = await page.evaluate(() => window.scrollY)
    await chip.click()
    await page.locator('#p-21 mark.cited-span').waitFor()
    assert.ok(await isInViewport(page, '#p-21 mark.cited-span'), 'cited span scrolled into view')
    const jumped = await page.evaluate(() => window.scrollY)
    assert.ok(jumped - placeBefore > 1000, `the page scrolled ${jumped - placeBefore}px down to the article`)
    assert.equal(await isInViewport(page, '#question'), false, 'the question box is far above')
    await back.waitFor({ state: 'visible' })
    await page.screenshot({ path: path.join(ARTIFACTS, 'mobile-back-to-conversation.png') })

    await back.click() // the one tap
    assert.equal(await page.evaluate(() => window.scrollY), placeBefore, 'back where the reader was')
    assert.ok(await isInViewport(page, '#question'), 'question box on screen')
    assert.ok(await isInViewport(page, '.message-answer:last-child .citation-chip.is-active'), 'the citation followed is on screen')
    assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('citation-chip')), true, 'focus is back on the citation')
    // Nothing covers the question box: a tap at its centre lands in it.
    const box = (await page.locator('#question').boundingBox())!
    assert.equal(await page.evaluate(([x, y]) => document.elementFromPoint(x, y)?.id, [box.x + box.width / 2, box.y + box.height / 2]), 'question')
    await back.waitFor({ state: 'hidden' })
    await page.screenshot({ path: path.join(ARTIFACTS, 'mobile-back-in-conversation.png') })
    const followUp = await askQuestion(page, UNANSWERABLE)
    assert.equal(await followUp.getAttribute('data-answerable'), 'false')
    // Without a citation followed (the reader scrolled down by hand), the button goes to the question box.
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight))
    await back.waitFor({ state: 'visible' })
    await back.click()
    assert.ok(await isInViewport(page, '#question'), 'question box on screen')
    await page.close()
  })

  test('says an answer given again from the service cache is cached, not "0 ms"', async () => {
    const page = await openPage()
    const question = '西凉全线道路改造升级多少公里?'
    const first = await askQuestion(page, question)
    assert.match(await first.locator('.message-meta').innerText(), /\d+ 毫秒$/)
    // A new conversation asks it again without history: the answer comes from the cache.
    await page.click('#new-conversation')
    const again = await askQuestion(page, question)
    assert.match(await again.locator('.message-meta').innerText(), /来自缓存$/)
    assert.doesNotMatch(await again.locator('.message-meta').innerText(), /毫秒/)
    await page.click('#language-toggle')
    assert.match(await again.locator('.message-meta').innerText(), /· cached$/)
    await page.click('#language-toggle')
    await page.close()
  })

  test('sends the page language, so a question in neither Chinese nor English is answered in it', async () => {
    const page = await openPage()
    await page.click('#language-toggle')
    for (const [question, language, refusal] of [['😀', 'en', 'The article does not say.'], ['天気はどうですか', 'en', 'The article does not say.']] as const) {
      const [request, response] = await Promise.all([
        page.waitForRequest((candidate) => candidate.url().endsWith('/ask')),
        page.waitForResponse((candidate) => candidate.url().endsWith('/ask')),
        askQuestion(page, question),
      ])
      assert.equal(JSON.parse(request.postData() ?? '{}').language, language)
      const done = JSON.parse(/event: done\ndata: (.*)\n/.exec(await response.text())![1])
      assert.equal(done.answer, refusal, question)
    }
    await page.click('#language-toggle')
    const [request, response] = await Promise.all([
      page.waitForRequest((candidate) => candidate.url().endsWith('/ask')),
      page.waitForResponse((candidate) => candidate.url().endsWith('/ask')),
      askQuestion(page, '😀'),
    ])
    assert.equal(JSON.parse(request.postData() ?? '{}').language, 'zh')
    assert.equal(JSON.parse(/event: done\ndata: (.*)\n/.exec(await response.text())![1]).answer, '文章中没有找到相关内容。')
    await page.close()
  })

  test('switches the interface to English and back', async () => {
    const page = await openPage()
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN')
    assert.equal(await page.locator('#send-button').innerText(), '发送')
    await page.click('#language-toggle')
    assert.equal(await page.getAttribute('html', 'lang'), 'en')
    assert.equal(await page.locator('#send-button').innerText(), 'Send')
    assert.equal(await page.locator('#article-heading').innerText(), 'ARTICLE') // CSS upper-cases the heading
    const answer = await askQuestion(page, 'What is the weather forecast for tomorrow?')
    assert.match(await answer.locator('.abstention').innerText(), /does not say anything/)
    await page.screenshot({ path: path.join(ARTIFACTS, 'chat-english.png') })
    await page.click('#language-toggle')
    assert.equal(await page.locator('#send-button').innerText(), '发送')
    assert.match(await answer.locator('.abstention').innerText(), /没有找到/)
    await page.close()
  })

  test('follows a deep link to a paragraph', async () => {
    const page = await context.newPage()
    await page.goto(`${baseUrl}/#p-14`)
    await page.locator('#article[data-loaded="true"]').waitFor()
    await page.waitForFunction(() => {
      const box = document.getElementById('p-14')!.getBoundingClientRect()
      return box.top >= 0 && box.bottom <= window.innerHeight
    })
    assert.equal(await page.locator('#p-14 .paragraph-anchor').getAttribute('href'), '#p-14')
    await page.close()
  })

  test('shows a message, not a broken page, when the service cannot be reached', async () => {
    const page = await openPage()
    await page.route('**/ask', (route) => route.abort('connectionrefused'))
    const answer = await askQuestion(page, ANSWERABLE)
    assert.match(await answer.getAttribute('class') ?? '', /is-error/)
    assert.match(await answer.locator('.error-message').innerText(), /无法连接到服务/)
    await page.unroute('**/ask')
    await page.route('**/ask', (route) => route.fulfill({ status: 400, contentType: 'application/json', body: JSON.stringify({ error: { code: 'invalid_request', message: 'question must not be empty' } }) }))
    const rejected = await askQuestion(page, 'x')
    assert.match(await rejected.locator('.error-message').innerText(), /question must not be empty/)
    await page.screenshot({ path: path.join(ARTIFACTS, 'chat-errors.png') })
    await page.close()
  })

  test('marks a sentence the service reports as unsupported by its citations', async () => {
    const page = await openPage()
    const citation = { n: 1, docId: 'article', paragraph: 21, section: '五、践行五大发展理念 › 2、要坚持协调发展', text: '维修沟渠7公里', start: 73, end: 80, score: 1 }
    const done = {
      answer: '维修沟渠7公里。[1] 全部由省里出资。',
      answerable: true,
      mode: 'llm',
      embedder: 'test-embedder',
      citations: [citation],
      segments: [
        { text: '维修沟渠7公里。', cites: [1], supported: true, score: 0.9 },
        { text: '全部由省里出资。', cites: [], supported: false, score: 0.1 },
      ],
      timings: { retrieveMs: 1, answerMs: 1, totalMs: 2 },
    }
    const events = [
      ['citations', { citations: [citation], mode: 'llm', embedder: 'test-embedder', standaloneQuestion: ANSWERABLE }],
      ['token', { text: '维修沟渠7公里。[1]' }],
      ['token', { text: ' 全部由省里出资。' }],
      ['done', done],
    ]
    const body = events.map(([event, data]) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`).join('')
    await page.route('**/ask', (route) => route.fulfill({ status: 200, contentType: 'text/event-stream', body }))
    const answer = await askQuestion(page, ANSWERABLE)
    const unsupported = answer.locator('.segment-unsupported')
    assert.equal(await unsupported.count(), 1)
    assert.equal(await unsupported.textContent(), '全部由省里出资。')
    assert.equal(await unsupported.getAttribute('title'), '这句话在引用的段落中找不到依据')
    assert.equal(await answer.locator('.message-text .citation-chip').count(), 1)
    assert.match(await answer.locator('.message-meta').innerText(), /大模型/)
    await answer.locator('.message-text .citation-chip').click()
    assert.equal(await page.locator('#p-21 mark.cited-span').textContent(), '维修沟渠7公里')
    await page.screenshot({ path: path.join(ARTIFACTS, 'chat-unsupported-sentence.png') })
    await page.close()
  })

  test('offers the mode switch only when the service reports an LLM, and sends the chosen mode', async () => {
    const page = await openPage()
    const health = await page.evaluate(async () => (await fetch('/health')).json())
    assert.equal(await page.locator('#mode-switch').isVisible(), health.llm.enabled)
    await page.route('**/health', async (route) => {
      const response = await route.fetch()
      await route.fulfill({ response, json: { ...(await response.json()), llm: { enabled: true, model: 'test-model' }, modes: ['llm', 'extractive'] } })
    })
    await page.reload()
    await page.locator('#mode-switch').waitFor({ state: 'visible' })
    await page.check('input[name="mode"][value="llm"]')
    const [request] = await Promise.all([page.waitForRequest((candidate) => candidate.url().endsWith('/ask')), askQuestion(page, ANSWERABLE)])
    assert.equal(JSON.parse(request.postData() ?? '{}').mode, 'llm')
    await page.close()
  })


  test('shows a table of contents beside the article, and an entry jumps to its section', async () => {
    const page = await openPage()
    const outline = page.locator('#outline[data-loaded="true"]')
    await outline.waitFor()
    assert.equal(await page.locator('#outline details').getAttribute('open'), '', 'open on a wide screen')
    assert.equal(await outline.locator('.outline-title').innerText(), '乡镇党委书记要牢牢把握“一二三四五”')
    assert.deepEqual(await outline.locator('.outline-section').allInnerTexts(), ['一、树立一种意识', '二、强化两个责任', '三、提高三种能力', '四、推动“四个全面”战略布局', '五、践行五大发展理念'])
    assert.equal(await outline.locator('.outline-item').count(), 9, 'the items of 四 and 五')
    const outlineBox = await outline.boundingBox()
    const articleBox = await page.locator('#article').boundingBox()
    assert.ok(outlineBox && articleBox && outlineBox.x + outlineBox.width <= articleBox.x && outlineBox.y < articleBox.y + 200, 'the contents stand beside the article')

    await outline.locator('.outline-section', { hasText: '五、践行五大发展理念' }).click()
    await page.waitForFunction(() => location.hash === '#p-18')
    await page.waitForFunction(() => {
      const box = document.getElementById('p-18')!.getBoundingClientRect()
      return box.top >= 0 && box.bottom <= window.innerHeight
    })
    assert.equal(await outline.locator('[aria-current="location"]').innerText(), '五、践行五大发展理念')
    await outline.locator('.outline-item', { hasText: '2、全面深化改革不留暗门' }).click()
    await page.waitForFunction(() => location.hash === '#p-15')
    assert.ok(await isInViewport(page, '#p-15'), 'paragraph 15 is scrolled into view')
    await page.screenshot({ path: path.join(ARTIFACTS, 'outline-jump.png') })
    await page.close()
  })

  test('a whole-document question is answered with the thesis and the five parts, one cited line each', async () => {
    const page = await openPage()
    const answer = await askQuestion(page, WHOLE_DOCUMENT)
    assert.equal(await answer.getAttribute('data-answerable'), 'true')
    const lines = answer.locator('.message-text .outline-line')
    assert.equal(await lines.count(), 6)
    for (const [index, point] of ['一种意识', '两个责任', '三种能力', '四个全面', '五大发展理念'].entries()) assert.match(await lines.nth(index + 1).innerText(), new RegExp(point))
    assert.deepEqual(await answer.locator('.sources .source-paragraph').allInnerTexts(), ['第 1 段', '第 2 段', '第 5 段', '第 9 段', '第 12 段', '第 18 段'])
    await lines.nth(5).locator('.citation-chip').click()
    await page.locator('#p-18 mark.cited-span').waitFor()
    assert.ok(await isInViewport(page, '#p-18'), 'the heading of 五 is scrolled into view')
    await page.screenshot({ path: path.join(ARTIFACTS, 'outline-answer.png') })
    if (UPDATE_DOCS) await copyFile(path.join(ARTIFACTS, 'outline-answer.png'), path.join(DOCS, 'screenshot-outline.png'))
    await page.close()
  })

  test('on a phone the contents are folded above the article, open on a tap, and jump to a section', async () => {
    const page = await openPage(NARROW)
    await page.locator('#outline[data-loaded="true"]').waitFor()
    assert.equal(await page.locator('#outline details').getAttribute('open'), null, 'folded on a phone')
    const outlineBox = await page.locator('#outline').boundingBox()
    const articleBox = await page.locator('#article').boundingBox()
    assert.ok(outlineBox && articleBox && outlineBox.y + outlineBox.height <= articleBox.y + 1, 'above the article')
    await page.locator('#outline summary').click()
    await page.locator('#outline .outline-section', { hasText: '三、提高三种能力' }).click()
    await page.waitForFunction(() => location.hash === '#p-9')
    assert.ok(await isInViewport(page, '#p-9'), 'paragraph 9 is scrolled into view')
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth)
    assert.ok(scrollWidth <= NARROW.width, `page is ${scrollWidth}px wide on a ${NARROW.width}px screen`)
    await page.screenshot({ path: path.join(ARTIFACTS, 'mobile-outline.png') })
    await page.close()
  })

  for (const [name, viewport] of [['desktop', WIDE], ['phone', NARROW]] as const) {
    test(`passes the axe-core WCAG 2 A/AA audit on a ${name} screen: empty, answered, small talk, contents open, English`, async () => {
      const page = await openPage(viewport)
      await page.locator('#outline[data-loaded="true"]').waitFor()
      assert.deepEqual(await accessibilityViolations(page), [], 'the page as it opens')
      await askQuestion(page, ANSWERABLE)
      await askQuestion(page, WHOLE_DOCUMENT)
      await askQuestion(page, UNANSWERABLE)
      await askQuestion(page, GREETING)
      await askQuestion(page, WATER_PLANT)
      await askQuestion(page, ELLIPTICAL)
      await page.locator('.message-answer .message-text .citation-chip').first().click()
      await page.locator('mark.cited-span').waitFor()
      if (viewport === NARROW) {
        assert.equal(await page.locator('#back-to-conversation').isVisible(), true, 'the way back to the conversation is audited too')
        await page.locator('#outline summary').click()
      }
      assert.deepEqual(await accessibilityViolations(page), [], 'with answers, an abstention, a chat reply, a rewritten follow-up, a highlighted citation, the way back and the contents open')
      await page.click('#language-toggle')
      assert.deepEqual(await accessibilityViolations(page), [], 'in English')
      await page.close()
    })
  }
})
