import assert from 'node:assert/strict'
import { copyFile, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import type { BrowserContext, Page } from 'playwright-core'
import { printTwoPageReport, TWO_PAGE_REPORT } from '../helpers/document-files.ts'
import { startDocumentService, type DocumentService } from '../helpers/offline-citeqa.ts'
import { accessibilityViolations, ARTIFACTS, launchChromium, skipWithoutChromium } from './headless-chromium.ts'

// The chat page with several documents, in headless Chromium against the real service with the
// documents API: a PDF added through the "add a document" button and a text file dropped on the
// page, each listed, asked about with a citation naming it (and its page), opened in the article
// pane, and removed; refused and unreadable files shown as messages; and what a key may not do not
// offered. The axe audit runs on each state.

// The README's screenshot is refreshed only on request (UPDATE_SCREENSHOTS=1), so a test run leaves tracked files alone.
const UPDATE_DOCS = process.env.UPDATE_SCREENSHOTS === '1'
const WIDE = { width: 1280, height: 860 }
const NARROW = { width: 390, height: 844 }
const ARTICLE_TITLE = '乡镇党委书记要牢牢把握“一二三四五”'
const WETLAND_TEXT = '白鹭洲湿地公园简介\n白鹭洲湿地公园位于赤壁市西南部，面积三千六百亩，有芦苇荡和浅滩。\n每年冬天，约有一万二千只候鸟在白鹭洲湿地公园越冬，其中包括白鹤和小天鹅。\n'
const WETLAND_QUESTION = '每年冬天有多少只候鸟在白鹭洲湿地公园越冬?'
// 1 MiB: room for the printed PDF, and a file past it that the page refuses is quick to hand to the browser.
const MAX_DOCUMENT_BYTES = 1024 * 1024

describe('chat page with documents added and removed, in headless Chromium', { skip: skipWithoutChromium }, () => {
  let service: DocumentService | undefined
  let context: BrowserContext
  let scratch: string
  let pdfPath: string

  before(async () => {
    scratch = await mkdtemp(path.join(tmpdir(), 'citeqa-e2e-documents-'))
    pdfPath = await printTwoPageReport(scratch)
    service = await startDocumentService({ MAX_DOCUMENT_BYTES: String(MAX_DOCUMENT_BYTES) })
    context = await launchChromium(path.join(scratch, 'profile'), WIDE)
  })

  after(async () => {
    await context?.close()
    await service?.close()
    await rm(scratch, { recursive: true, force: true })
  })

  async function openPage(baseUrl = service!.baseUrl, viewport = WIDE): Promise<Page> {
    const page = await context.newPage()
    await page.setViewportSize(viewport)
    await page.goto(`${baseUrl}/`)
    await page.locator('#article[data-loaded="true"]').waitFor()
    return page
  }

  async function askQuestion(page: Page, question: string) {
    const answers = page.locator('.message-answer')
    const count = await answers.count()
    await page.fill('#question', question)
    await page.press('#question', 'Enter')
    const answer = answers.nth(count)
    await answer.locator('xpath=self::*[not(contains(@class, "is-pending"))]').waitFor()
    return answer
  }

  /** Drops files on the page as a reader dragging them from the desktop would (a drop event carrying a DataTransfer of Files). */
  async function dropFiles(page: Page, files: { name: string; bytes: number[] }[], { release = true } = {}) {
    const dataTransfer = await page.evaluateHandle((list) => {
      const transfer = new DataTransfer()
      for (const file of list) transfer.items.add(new File([new Uint8Array(file.bytes)], file.name))
      return transfer
    }, files)
    await page.dispatchEvent('main', 'dragenter', { dataTransfer })
    await page.dispatchEvent('main', 'dragover', { dataTransfer })
    if (release) await page.dispatchEvent('main', 'drop', { dataTransfer })
  }

  const uploadMessage = (page: Page, text: string | RegExp) => page.locator('.upload-message', { hasText: text })

  test('opens with the served document by its title, and example questions made from it', async () => {
    const page = await openPage()
    const welcome = (await (await fetch(`${service!.baseUrl}/welcome`)).json()) as { examples: { zh: string[]; en: string[] } }
    await page.locator('.example').first().waitFor()
    assert.equal(await page.locator('#welcome-text').innerText(), `就《${ARTICLE_TITLE}》提一个问题。每句回答都标注了出处 [n],点击即可在右侧原文中看到引用的句子。`)
    assert.deepEqual(await page.locator('.example').allInnerTexts(), welcome.examples.zh)
    assert.ok(welcome.examples.zh.includes('这篇文章讲了什么?'))
    assert.equal(await page.locator('.document:not([hidden]) .document-title').innerText(), ARTICLE_TITLE, 'the article pane names the document by its title')
    assert.equal(await page.locator('.document-title', { hasText: /^article$/ }).count(), 0, 'never by its id')
    assert.equal(await page.locator('#document-switcher').isVisible(), false, 'no switcher for one document')

    await page.locator('#documents-panel:not([hidden])').waitFor()
    assert.equal(await page.locator('#documents-count').innerText(), '1 篇')
    await page.click('.documents-summary')
    assert.deepEqual(await page.locator('.document-item .document-name').allInnerTexts(), [ARTICLE_TITLE])
    assert.equal(await page.locator('.document-item .remove-document').count(), 0, 'ARTICLE_PATH’s document cannot be removed here')
    assert.equal(await page.locator('#add-document-button').isVisible(), true)
    assert.match(await page.locator('#add-document-hint').innerText(), /不超过 1 MB/)

    // An example is a question the service answers.
    await page.locator('.example', { hasText: '这篇文章讲了什么?' }).click()
    const answer = page.locator('.message-answer').last()
    await answer.locator('xpath=self::*[not(contains(@class, "is-pending"))]').waitFor()
    assert.equal(await answer.getAttribute('data-answerable'), 'true')
    assert.equal(await answer.locator('.source-document').count(), 0, 'with one document, the article pane names it: its citations need not')
    assert.deepEqual(await accessibilityViolations(page), [], 'WCAG 2 A/AA with the documents panel open and an answer')
    await page.screenshot({ path: path.join(ARTIFACTS, 'documents-one.png') })

    await page.setViewportSize(NARROW)
    assert.deepEqual(await accessibilityViolations(page), [], 'and on a phone')
    await page.evaluate(() => window.scrollTo(0, 0))
    await page.screenshot({ path: path.join(ARTIFACTS, 'documents-phone.png') })
    await page.close()
  })

  test('a PDF added with the button: progress, listed with its pages, asked about with a citation naming it and its page, opened in the article pane, then removed', async () => {
    const page = await openPage()
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.click('#add-document-button')])
    assert.match(await page.locator('#document-file').getAttribute('accept') ?? '', /\.pdf/)
    await chooser.setFiles(pdfPath)
    await uploadMessage(page, `已添加《${TWO_PAGE_REPORT.title}》,可以就它提问了。`).waitFor()
    await page.screenshot({ path: path.join(ARTIFACTS, 'documents-added.png') })

    const item = page.locator('.document-item[data-doc="reservoir"]')
    await item.waitFor()
    assert.equal(await item.locator('.document-name').innerText(), TWO_PAGE_REPORT.title)
    assert.match(await item.locator('.document-meta').innerText(), /^PDF · 2 页 · [\d.]+ KB$/)
    assert.equal(await item.locator('.remove-document').getAttribute('aria-label'), `移除《${TWO_PAGE_REPORT.title}》`)
    assert.equal(await page.locator('#documents-count').innerText(), '2 篇')
    // The rest of the page follows: the welcome names both, the examples ask about the new one, the switcher lists both.
    await page.locator('#document-switcher:not([hidden])').waitFor()
    assert.deepEqual(await page.locator('#document-select option').allInnerTexts(), [ARTICLE_TITLE, TWO_PAGE_REPORT.title])
    assert.match(await page.locator('#welcome-text').innerText(), new RegExp(`就这 2 篇文档提问:《${ARTICLE_TITLE}》、《${TWO_PAGE_REPORT.title}》。`))
    assert.ok((await page.locator('.example').allInnerTexts()).includes(`《${TWO_PAGE_REPORT.title}》这篇文章讲了什么?`))

    const answer = await askQuestion(page, TWO_PAGE_REPORT.secondPageQuestion)
    assert.equal(await answer.getAttribute('data-answerable'), 'true')
    assert.match(await answer.locator('.message-text').innerText(), TWO_PAGE_REPORT.secondPageAnswer)
    const source = answer.locator('.source').first()
    assert.equal(await source.locator('.source-document').innerText(), TWO_PAGE_REPORT.title)
    assert.equal(await source.locator('.source-page').innerText(), '第 2 页')
    assert.match(await answer.locator('.message-text .citation-chip').first().getAttribute('title') ?? '', new RegExp(`《${TWO_PAGE_REPORT.title}》第 \\d+ 段`))

    // The chip opens the PDF in the article pane, at the cited span.
    assert.equal(await page.locator('article.document[data-doc="reservoir"]').isVisible(), false, 'the article is shown first')
    await answer.locator('.message-text .citation-chip').first().click()
    await page.locator('article.document[data-doc="reservoir"] mark.cited-span').waitFor()
    assert.equal(await page.locator('article.document[data-doc="reservoir"]').isVisible(), true)
    assert.equal(await page.locator('article.document[data-doc="article"]').isVisible(), false)
    assert.equal(await page.locator('#document-select').inputValue(), 'reservoir')
    assert.equal(await page.locator('article.document[data-doc="reservoir"] .document-title').innerText(), TWO_PAGE_REPORT.title)
    assert.match(new URL(page.url()).hash, /^#p-reservoir-\d+$/)
    assert.deepEqual(await accessibilityViolations(page), [], 'WCAG 2 A/AA with two documents, the switcher and a cited PDF paragraph')
    await page.screenshot({ path: path.join(ARTIFACTS, 'documents-pdf-cited.png') })
    if (UPDATE_DOCS) {
      await mkdir('docs', { recursive: true })
      await copyFile(path.join(ARTIFACTS, 'documents-pdf-cited.png'), path.join('docs', 'screenshot-documents.png'))
    }

    // A deep link into the PDF opens it, in a new tab too.
    const linked = await context.newPage()
    await linked.goto(`${service!.baseUrl}/${new URL(page.url()).hash}`)
    await linked.locator('#article[data-loaded="true"]').waitFor()
    await linked.locator('article.document[data-doc="reservoir"]:not([hidden])').waitFor()
    assert.equal(await linked.locator('#document-select').inputValue(), 'reservoir')
    await linked.close()

    // The switcher shows either document.
    await page.selectOption('#document-select', 'article')
    assert.equal(await page.locator('article.document[data-doc="article"]').isVisible(), true)
    assert.equal(await page.locator('article.document[data-doc="reservoir"]').isVisible(), false)
    assert.equal(await page.locator('.outline-document[data-shown-for="article"]').isVisible(), true, 'the contents follow the document')
    await page.selectOption('#document-select', 'reservoir')
    assert.equal(await page.locator('article.document[data-doc="reservoir"]').isVisible(), true)

    // A question neither document answers: the refusal speaks of the documents, not of one article.
    const neither = await askQuestion(page, '明天的天气预报怎么样?')
    assert.equal(await neither.getAttribute('data-answerable'), 'false')
    assert.match(await neither.locator('.abstention').innerText(), /所给文档里没有找到/)

    // Removed: gone from the list, the switcher and the answers.
    page.once('dialog', (dialog) => {
      assert.match(dialog.message(), new RegExp(`确定移除《${TWO_PAGE_REPORT.title}》吗`))
      void dialog.accept()
    })
    await item.locator('.remove-document').click()
    await uploadMessage(page, `已移除《${TWO_PAGE_REPORT.title}》。`).waitFor()
    await item.waitFor({ state: 'detached' })
    await page.locator('#document-switcher[hidden]').waitFor({ state: 'attached' })
    assert.equal(await page.locator('article.document[data-doc="article"]').isVisible(), true, 'the pane is back on the article')
    const refused = await askQuestion(page, TWO_PAGE_REPORT.secondPageQuestion)
    assert.equal(await refused.getAttribute('data-answerable'), 'false')
    assert.match(await refused.locator('.abstention').innerText(), /文章里没有找到/, 'one document again: the article')
    await page.close()
  })

  test('a file dropped on the page is added; a type citeqa does not read and a file that is not text are refused with their reasons as messages', async () => {
    const page = await openPage()
    await page.locator('#documents-panel:not([hidden]) #add-document:not([hidden])').waitFor()
    await dropFiles(page, [{ name: 'wetland.txt', bytes: [...Buffer.from(WETLAND_TEXT)] }], { release: false })
    assert.equal(await page.locator('#drop-overlay').isVisible(), true, 'the page says it takes the file')
    await page.screenshot({ path: path.join(ARTIFACTS, 'documents-drop.png') })
    await page.dispatchEvent('main', 'dragleave', { dataTransfer: await page.evaluateHandle(() => { const transfer = new DataTransfer(); transfer.items.add(new File(['x'], 'x.txt')); return transfer }) })
    await dropFiles(page, [{ name: 'wetland.txt', bytes: [...Buffer.from(WETLAND_TEXT)] }])
    assert.equal(await page.locator('#drop-overlay').isVisible(), false)
    await uploadMessage(page, '已添加《白鹭洲湿地公园简介》,可以就它提问了。').waitFor()
    await page.locator('.document-item[data-doc="wetland"]').waitFor()
    assert.match(await page.locator('.document-item[data-doc="wetland"] .document-meta').innerText(), /^文本 · [\d.]+ KB$/)

    const answer = await askQuestion(page, WETLAND_QUESTION)
    assert.equal(await answer.getAttribute('data-answerable'), 'true')
    assert.match(await answer.locator('.message-text').innerText(), /一万二千只候鸟/)
    assert.equal(await answer.locator('.source-document').first().innerText(), '白鹭洲湿地公园简介')
    assert.equal(await answer.locator('.source-page').count(), 0, 'a text file has no pages')

    // Two files at once: each gets its own message, with the service's reason.
    const binary = Array.from({ length: 2000 }, (_, index) => (index * 7919) % 256)
    await dropFiles(page, [{ name: 'budget.xlsx', bytes: [...Buffer.from('a,b')] }, { name: 'scan.txt', bytes: binary }])
    const refusedType = uploadMessage(page, /无法添加 budget\.xlsx:.*budget\.xlsx is of type \.xlsx, which citeqa does not read/)
    await refusedType.waitFor()
    assert.equal(await refusedType.locator('[role="alert"]').count(), 1, 'an error is announced')
    const unreadable = uploadMessage(page, /无法添加 scan\.txt:.*does not read as text/)
    await unreadable.waitFor()
    assert.match(await unreadable.getAttribute('class') ?? '', /is-error/)
    assert.doesNotMatch(await unreadable.innerText(), /\.incoming|\/tmp\//, 'the message names the file as sent, not where the server keeps it')
    await page.locator('.document-item.is-failed[data-doc="scan"]').waitFor()
    assert.match(await page.locator('.document-item[data-doc="scan"]').innerText(), /添加失败/)
    assert.deepEqual(await accessibilityViolations(page), [], 'WCAG 2 A/AA with error messages')
    await page.screenshot({ path: path.join(ARTIFACTS, 'documents-errors.png') })

    // In English, the panel and the welcome follow.
    await page.click('#language-toggle')
    assert.equal(await page.locator('#add-document-button').innerText(), 'Add a document')
    assert.match(await page.locator('#welcome-text').innerText(), /^Ask about these 2 documents: “乡镇党委书记要牢牢把握“一二三四五””, “白鹭洲湿地公园简介”\./)
    assert.match(await page.locator('.document-item[data-doc="wetland"] .document-meta').innerText(), /^text · /)
    assert.match(await uploadMessage(page, 'scan.txt').innerText(), /^Could not add scan\.txt: /)
    assert.deepEqual(await page.locator('.example').allInnerTexts(), ['What documents are there?', 'What is each document about?', '《白鹭洲湿地公园简介》这篇文章讲了什么?'])
    assert.deepEqual(await accessibilityViolations(page), [], 'WCAG 2 A/AA in English')
    await page.click('#language-toggle')

    // The failed upload's record and the document are removed alike.
    for (const id of ['scan', 'wetland']) {
      page.once('dialog', (dialog) => void dialog.accept())
      await page.locator(`.document-item[data-doc="${id}"] .remove-document`).click()
      await page.locator(`.document-item[data-doc="${id}"]`).waitFor({ state: 'detached' })
    }
    assert.equal(await page.locator('.document-item').count(), 1)
    await page.close()
  })

  test('documents being added from elsewhere (another tab, curl) are listed as such, and the page follows once they are served', async () => {
    const page = await openPage()
    await page.click('.documents-summary')
    // Two long reports, then a short note: the library adds one at a time, so the note waits behind
    // the reports (seconds of ingest) — still on its way when the page next reads the list.
    const places = ['青岚镇', '白沙村', '柳溪乡', '石门村']
    const report = (town: string) => [`${town}年度工作报告`, ...Array.from({ length: 6000 }, (_, index) => `${town}${places[index % 4]}第${index + 1}号项目种植水稻${(index * 37) % 900 + 100}亩，带动${(index * 7) % 300 + 10}户农民增收，编号${index * 7919}。`)].join('\n')
    for (const [name, text] of [['qinglan.txt', report('青岚镇')], ['songlin.txt', report('松林镇')], ['wetland.txt', WETLAND_TEXT]]) {
      const form = new FormData()
      form.append('file', new Blob([text]), name)
      assert.equal((await fetch(`${service!.baseUrl}/documents`, { method: 'POST', body: form })).status, 202, name)
    }
    // Anything that makes the panel read the list again: here, a file of a type it refuses.
    await dropFiles(page, [{ name: 'budget.xlsx', bytes: [...Buffer.from('a,b')] }])
    const note = page.locator('.document-item[data-doc="wetland"]')
    await note.waitFor()
    assert.match(await note.getAttribute('class') ?? '', /is-(queued|ingesting)/, `listed while it is being added: ${await note.textContent()}`)
    assert.match(await note.innerText(), /等待处理|处理中/)
    assert.equal(await note.locator('.remove-document').count(), 0, 'not removable while it is being added')
    // Followed until served, then the rest of the page has it.
    await page.locator('.document-item.is-ready[data-doc="wetland"]').waitFor({ timeout: 120_000 })
    await page.locator('article.document[data-doc="wetland"]').waitFor({ state: 'attached' })
    assert.equal(await page.locator('article.document[data-doc="wetland"] .document-title').textContent(), '白鹭洲湿地公园简介')
    assert.deepEqual(await page.locator('#document-select option').allTextContents(), [ARTICLE_TITLE, '青岚镇年度工作报告', '松林镇年度工作报告', '白鹭洲湿地公园简介'])
    for (const id of ['qinglan', 'songlin', 'wetland']) assert.equal((await fetch(`${service!.baseUrl}/documents/${id}`, { method: 'DELETE' })).status, 200)
    await page.close()
  })

  test('a file larger than MAX_DOCUMENT_BYTES is refused before it is sent', async () => {
    const page = await openPage()
    await page.locator('#add-document:not([hidden])').waitFor()
    let posted = false
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/documents')) posted = true
    })
    const big = Buffer.alloc(MAX_DOCUMENT_BYTES + 1, 0x61)
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.click('#add-document-button')])
    await chooser.setFiles({ name: 'huge.txt', mimeType: 'text/plain', buffer: big })
    await uploadMessage(page, '无法添加 huge.txt:文件大于 1 MB 的上限。').waitFor()
    assert.equal(posted, false)
    await page.close()
  })

  test('with ADMIN_API_KEYS: a reader’s key sees the list but no add or remove; without a key the panel asks for one; an admin key may add', async () => {
    const keyed = await startDocumentService({ API_KEYS: 'reader-key', ADMIN_API_KEYS: 'admin-key' })
    try {
      const page = await openPage(keyed.baseUrl)
      await page.locator('#documents-panel:not([hidden])').waitFor()
      assert.equal(await page.locator('#documents-sign-in').isVisible(), true, 'no key yet: the panel offers to take one')
      assert.equal(await page.locator('#documents-notice').innerText(), '管理文档需要 API 密钥。')
      assert.equal(await page.locator('#add-document').isVisible(), false)
      await page.click('#documents-sign-in')
      await page.fill('#api-key-input', 'reader-key')
      await page.press('#api-key-input', 'Enter')
      await page.locator('.document-item[data-doc="article"]').waitFor({ state: 'attached' })
      await page.click('.documents-summary')
      assert.equal(await page.locator('#documents-notice').innerText(), '这个密钥只能查看文档,不能添加或移除。')
      assert.equal(await page.locator('#add-document').isVisible(), false)
      assert.equal(await page.locator('#documents-sign-in').isVisible(), false)
      assert.equal(await page.locator('.remove-document').count(), 0)
      // A dropped file is not taken (and does not replace the page).
      await dropFiles(page, [{ name: 'wetland.txt', bytes: [...Buffer.from(WETLAND_TEXT)] }])
      assert.equal(await page.locator('.upload-message').count(), 0)
      assert.equal(new URL(page.url()).pathname, '/')
      assert.deepEqual(await accessibilityViolations(page), [], 'WCAG 2 A/AA with the notice')

      await page.evaluate(() => sessionStorage.setItem('citeqa.apiKey', 'admin-key'))
      await page.reload()
      await page.locator('#add-document:not([hidden])').waitFor()
      assert.equal(await page.locator('#documents-notice').isVisible(), false)
      const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.click('#add-document-button')])
      await chooser.setFiles({ name: 'wetland.txt', mimeType: 'text/plain', buffer: Buffer.from(WETLAND_TEXT) })
      await uploadMessage(page, '已添加《白鹭洲湿地公园简介》').waitFor()
      assert.deepEqual((await readdir(keyed.documentsFolder)).filter((name) => !name.startsWith('.')), ['wetland.txt'])
      await page.close()
    } finally {
      await keyed.close()
    }
  })
})
