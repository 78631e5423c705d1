import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import type { BrowserContext, Page } from 'playwright-core'
import { createOfflineCiteqa, startServer } from '../helpers/offline-citeqa.ts'
import { accessibilityViolations, ARTIFACTS, launchChromium, skipWithoutChromium } from './headless-chromium.ts'

// The chat page with API_KEYS set: it asks for the key once, keeps it in sessionStorage, and sends it.
const KEY = 'page-test-key-7f3a'
const ANSWERABLE = '维修了多少公里沟渠?'

describe('chat page with API keys on, in headless Chromium', { skip: skipWithoutChromium }, () => {
  let server: Awaited<ReturnType<typeof startServer>> | undefined
  let context: BrowserContext
  let indexDirectory: string
  let profileDirectory: string

  before(async () => {
    indexDirectory = await mkdtemp(path.join(tmpdir(), 'citeqa-e2e-keys-index-'))
    profileDirectory = await mkdtemp(path.join(tmpdir(), 'citeqa-e2e-keys-chromium-'))
    server = await startServer(await createOfflineCiteqa({ INDEX_DIR: indexDirectory }), { apiKeys: [KEY, 'another-key'] })
    context = await launchChromium(profileDirectory, { width: 1280, height: 860 })
  })

  after(async () => {
    await context?.close()
    await server?.close()
    await rm(indexDirectory, { recursive: true, force: true })
    await rm(profileDirectory, { recursive: true, force: true })
  })

  /** A new tab (its own sessionStorage) with the article loaded. */
  async function openPage(): Promise<Page> {
    const page = await context.newPage()
    await page.goto(`${server!.baseUrl}/`)
    await page.locator('#article[data-loaded="true"]').waitFor()
    return page
  }

  async function sendQuestion(page: Page, question: string) {
    await page.fill('#question', question)
    await page.press('#question', 'Enter')
  }

  async function lastAnswer(page: Page, count: number) {
    const answer = page.locator('.message-answer').nth(count - 1)
    await answer.locator('xpath=self::*[not(contains(@class, "is-pending"))]').waitFor()
    return answer
  }

  test('asks for the key once, answers with it, keeps it for the tab and sends it as a bearer token', async () => {
    const page = await openPage()
    // The article, its outline and /health stay open: the page loaded without a key.
    await sendQuestion(page, ANSWERABLE)
    const dialog = page.locator('dialog.api-key-dialog[open]')
    await dialog.waitFor()
    assert.equal(await page.locator('#api-key-error').isVisible(), false, 'no error the first time')
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'api-key-input', 'the key field has the focus')
    assert.deepEqual(await accessibilityViolations(page), [], 'the dialog passes the WCAG 2 A/AA audit')
    await page.screenshot({ path: path.join(ARTIFACTS, 'chat-api-key-dialog.png') })

    const [request] = await Promise.all([
      page.waitForRequest((candidate) => candidate.url().endsWith('/ask') && candidate.headers().authorization !== undefined),
      (async () => {
        await page.fill('#api-key-input', KEY)
        await page.press('#api-key-input', 'Enter')
      })(),
    ])
    assert.equal(request.headers().authorization, `Bearer ${KEY}`)
    const answer = await lastAnswer(page, 1)
    assert.equal(await answer.getAttribute('data-answerable'), 'true')
    assert.match(await answer.locator('.message-text').innerText(), /7公里/)
    assert.equal(await page.locator('dialog.api-key-dialog').count(), 0, 'the dialog is gone')
    assert.equal(await page.evaluate(() => sessionStorage.getItem('citeqa.apiKey')), KEY)

    // A second question, and the same tab after a reload: no dialog, the key goes along.
    await sendQuestion(page, '乡镇党委书记要强化哪两个责任?')
    assert.equal(await (await lastAnswer(page, 2)).getAttribute('data-answerable'), 'true')
    await page.reload()
    await page.locator('#article[data-loaded="true"]').waitFor()
    await sendQuestion(page, ANSWERABLE)
    assert.equal(await (await lastAnswer(page, 1)).getAttribute('data-answerable'), 'true')
    assert.equal(await page.locator('dialog.api-key-dialog').count(), 0, 'not asked again')
    await page.close()
  })

  test('a refused key is forgotten and asked for again, saying why', async () => {
    const page = await openPage()
    await page.evaluate(() => sessionStorage.setItem('citeqa.apiKey', 'not-the-key'))
    await sendQuestion(page, ANSWERABLE)
    await page.locator('dialog.api-key-dialog[open]').waitFor()
    assert.equal(await page.locator('#api-key-error').isVisible(), true)
    assert.deepEqual(await accessibilityViolations(page), [], 'the dialog with its error passes the audit')
    await page.fill('#api-key-input', 'another-key')
    await page.press('#api-key-input', 'Enter')
    assert.equal(await (await lastAnswer(page, 1)).getAttribute('data-answerable'), 'true')
    assert.equal(await page.evaluate(() => sessionStorage.getItem('citeqa.apiKey')), 'another-key')
    await page.close()
  })

  test('cancelling the dialog shows the service’s message, and the next question asks again', async () => {
    const page = await openPage()
    await sendQuestion(page, ANSWERABLE)
    await page.locator('dialog.api-key-dialog[open]').waitFor()
    await page.keyboard.press('Escape')
    const answer = await lastAnswer(page, 1)
    assert.match(await answer.getAttribute('class') ?? '', /is-error/)
    assert.match(await answer.innerText(), /API key/)
    assert.equal(await page.evaluate(() => sessionStorage.getItem('citeqa.apiKey')), null)
    await sendQuestion(page, ANSWERABLE)
    await page.locator('dialog.api-key-dialog[open]').waitFor()
    await page.fill('#api-key-input', KEY)
    await page.press('#api-key-input', 'Enter')
    assert.equal(await (await lastAnswer(page, 2)).getAttribute('data-answerable'), 'true')
    await page.close()
  })
})
