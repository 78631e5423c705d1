// The table of contents beside the article: each document's title and its top-level sections with
// their numbered items, from GET /outline; every entry jumps to its paragraph.

import { paragraphElementId, shownDocumentId, showDocument } from './article-pane.js'
import { documentTitle } from './served-documents.js'

const NARROW_SCREEN = '(max-width: 800px)'

function entryLink(docId, paragraph, text, className) {
  const link = document.createElement('a')
  link.className = className
  link.href = `#${paragraphElementId(docId, paragraph)}`
  link.textContent = text
  link.dataset.paragraph = String(paragraph)
  return link
}

function renderDocument(outline) {
  const fragment = document.createDocumentFragment()
  const name = documentTitle(outline.id) ?? outline.title?.text
  const anchor = outline.title?.paragraph ?? outline.thesis[0]?.paragraph ?? 1
  if (name) fragment.append(entryLink(outline.id, anchor, name, 'outline-title'))
  if (outline.sections.length === 0) return fragment
  const sections = document.createElement('ol')
  sections.className = 'outline-sections'
  for (const section of outline.sections) {
    const item = document.createElement('li')
    item.append(entryLink(outline.id, section.paragraph, section.title, 'outline-section'))
    if (section.items.length > 0) {
      const items = document.createElement('ol')
      items.className = 'outline-items'
      for (const entry of section.items) {
        const child = document.createElement('li')
        child.append(entryLink(outline.id, entry.paragraph, entry.title, 'outline-item'))
        items.append(child)
      }
      item.append(items)
    }
    sections.append(item)
  }
  fragment.append(sections)
  return fragment
}

/** Marks the entry of the section the reader jumped to, for the eye and for screen readers. */
function markCurrent(container, link) {
  for (const current of container.querySelectorAll('[aria-current]')) current.removeAttribute('aria-current')
  link.setAttribute('aria-current', 'location')
}

/**
 * Fetches `/outline` and fills the table of contents; it stays hidden when the service has none
 * (an old server) or the documents have no structure worth a contents list. Open on wide
 * screens, folded on phones, where it would push the article far down.
 */
export async function loadOutline(navigation) {
  const details = navigation.querySelector('details')
  const list = navigation.querySelector('.outline-body')
  try {
    const response = await fetch('/outline')
    if (!response.ok) return
    const { documents } = await response.json()
    if (!documents.some((outline) => outline.sections.length > 0) && documents.length < 2) {
      // The documents changed to one without structure: no contents, and none left over.
      navigation.hidden = true
      navigation.closest('.article-pane')?.classList.remove('has-outline')
      return
    }
    // One group per document, shown with its document (article-pane.js's showDocument).
    const entries = documents.map((outline) => {
      const group = document.createElement('div')
      group.className = 'outline-document'
      group.dataset.shownFor = outline.id
      group.append(renderDocument(outline))
      return group
    })
    list.replaceChildren(...entries)
    if (navigation.dataset.loaded !== 'true') {
      details.open = !window.matchMedia(NARROW_SCREEN).matches
      list.addEventListener('click', (event) => {
        const link = event.target.closest('a')
        if (link) markCurrent(list, link)
      })
    }
    navigation.hidden = false
    navigation.closest('.article-pane')?.classList.add('has-outline')
    navigation.dataset.loaded = 'true'
    if (shownDocumentId()) showDocument(shownDocumentId())
  } catch {
    // The contents are a convenience: without them the article is still there.
  }
}
