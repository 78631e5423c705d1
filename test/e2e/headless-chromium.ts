import { existsSync, readFileSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { createRequire } from 'node:module'
import path from 'node:path'
import { chromium, type BrowserContext, type Page } from 'playwright-core'

/** Debian's chromium, driven by playwright-core (never a downloaded browser). */
const CHROMIUM = '/usr/bin/chromium'
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
/** Where the page tests leave their screenshots. */
export const ARTIFACTS = path.resolve('test-artifacts')

/** The `skip` of a page test suite: false when chromium is installed, else why the tests cannot run. */
export const skipWithoutChromium = existsSync(CHROMIUM) ? false : `${CHROMIUM} is missing: install Debian's chromium package (apt-get install -y chromium) to run the page tests`

/** Headless chromium with a fresh profile in `profileDirectory` (a persistent context is how Playwright takes a user-data dir); makes ARTIFACTS. */
export async function launchChromium(profileDirectory: string, viewport: { width: number; height: number }): Promise<BrowserContext> {
  await mkdir(ARTIFACTS, { recursive: true })
  return chromium.launchPersistentContext(profileDirectory, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport })
}

// axe-core's own build, injected into the page by the test driver (the page's CSP allows no inline script, the driver's evaluate is not one).
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

/** Runs axe-core's WCAG 2 A and AA rules on the page as it stands; returns the violations, described. */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE)
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: { id: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
    return result.violations.map((violation) => `${violation.id} (${violation.help}): ${violation.nodes.length} elements, e.g. ${violation.nodes.slice(0, 3).map((node) => node.target.join(' ')).join(', ')}`)
  })
}
