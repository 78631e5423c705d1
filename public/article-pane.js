// The article beside the chat: one document at a time under its title, the others a switch away;
// every paragraph has a deep link (#p-14), and a citation opens its document and highlights its exact span.

import { setLocalizedText, setLocalizedTitle } from './i18n.js'
import { documentTitle } from './served-documents.js'

let defaultDocumentId = null
let currentDocumentId = null
let highlighted = null // { paragraph element, text element, original text }
const shownListeners = []

/** Calls `listener(docId)` whenever the pane shows another document (the switcher and the contents follow it). */
export function onDocumentShown(listener) {
  shownListeners.push(listener)
}

/** The document the pane shows. */
export function shownDocumentId() {
  return currentDocumentId
}

/**
 * Shows one document: its article and everything marked `data-shown-for` it in the pane (its
 * contents), hiding the others'. Unknown ids are ignored.
 */
export function showDocument(docId) {
  const pane = document.getElementById('article-pane')
  if (!pane?.querySelector(`article.document[data-shown-for="${CSS.escape(docId)}"]`)) return false
  currentDocumentId = docId
  for (const element of pane.querySelectorAll('[data-shown-for]')) element.hidden = element.dataset.shownFor !== docId
  for (const listener of shownListeners) listener(docId)
  return true
}

/** `p-14` for the default (first) document; other documents get their id in the anchor. */
export function paragraphElementId(docId, number) {
  return docId === defaultDocumentId || docId === undefined ? `p-${number}` : `p-${docId}-${number}`
}

function renderParagraph(document_, paragraph) {
  const isHeading = paragraph.kind === 'heading'
  // h4: the document's title above is the h3.
  const element = document.createElement(isHeading ? 'h4' : 'p')
  element.className = `paragraph paragraph-${isHeading ? 'heading' : 'body'}`
  element.id = paragraphElementId(document_.id, paragraph.number)
  element.dataset.paragraph = String(paragraph.number)
  element.dataset.doc = document_.id

  const anchor = document.createElement('a')
  anchor.className = 'paragraph-anchor'
  anchor.href = `#${element.id}`
  anchor.textContent = `¶${paragraph.number}`
  setLocalizedTitle(anchor, 'paragraphLink', { n: paragraph.number })

  const text = document.createElement('span')
  text.className = 'paragraph-text'
  text.textContent = paragraph.text

  element.append(anchor, ' ', text)
  return element
}

/** Fetches `/article` and renders it into `container`; shows a message instead when it cannot. */
export async function loadArticle(container) {
  try {
    const response = await fetch('/article')
    const body = await response.json()
    if (!response.ok) throw new Error(body?.error?.message ?? `HTTP ${response.status}`)
    defaultDocumentId = body.documents[0]?.id ?? null
    const fragment = document.createDocumentFragment()
    for (const document_ of body.documents) {
      const section = document.createElement('article')
      section.className = 'document'
      section.dataset.doc = document_.id
      section.dataset.shownFor = document_.id
      // The title a reader knows it by (GET /welcome), else the title line it states; never its id.
      const name = documentTitle(document_.id) ?? document_.title?.value
      if (name) {
        const title = document.createElement('h3')
        title.className = 'document-title'
        title.textContent = name
        section.append(title)
      }
      for (const paragraph of document_.paragraphs) section.append(renderParagraph(document_, paragraph))
      fragment.append(section)
    }
    highlighted = null
    container.replaceChildren(fragment)
    container.dataset.loaded = 'true'
    const keep = body.documents.some((document_) => document_.id === currentDocumentId)
    showDocument(keep ? currentDocumentId : defaultDocumentId)
  } catch (error) {
    const message = document.createElement('p')
    message.className = 'error-message'
    setLocalizedText(message, 'articleFailed', { message: String(error?.message ?? error) })
    container.replaceChildren(message)
  }
}

function clearHighlight() {
  if (!highlighted) return
  highlighted.paragraph.classList.remove('is-cited')
  highlighted.text.textContent = highlighted.original
  highlighted = null
}

/** Where the cited text stands in the paragraph: the given offsets when they match, else a search for the text. */
function locateSpan(paragraphText, citation) {
  if (paragraphText.slice(citation.start, citation.end) === citation.text) return [citation.start, citation.end]
  const found = citation.text ? paragraphText.indexOf(citation.text) : -1
  return found === -1 ? [0, paragraphText.length] : [found, found + citation.text.length]
}

/** Scrolls to the cited paragraph and marks the cited span; returns false when the paragraph is not in the article. */
export function highlightCitation(citation) {
  const paragraph = document.getElementById(paragraphElementId(citation.docId, citation.paragraph))
  if (!paragraph) return false
  if (paragraph.dataset.doc !== currentDocumentId) showDocument(paragraph.dataset.doc)
  clearHighlight()
  const text = paragraph.querySelector('.paragraph-text')
  const original = text.textContent
  const [start, end] = locateSpan(original, citation)
  const mark = document.createElement('mark')
  mark.className = 'cited-span'
  mark.dataset.n = String(citation.n)
  mark.textContent = original.slice(start, end)
  text.replaceChildren(original.slice(0, start), mark, original.slice(end))
  paragraph.classList.add('is-cited')
  highlighted = { paragraph, text, original }
  history.replaceState(null, '', `#${paragraph.id}`)
  mark.scrollIntoView({ block: 'center' })
  return true
}

/** Follows a `#p-14` deep link once the article is on the page. */
export function scrollToHash() {
  const id = decodeURIComponent(location.hash.slice(1))
  if (!id) return
  const target = document.getElementById(id)
  if (!target?.classList.contains('paragraph')) return
  // A link into another document opens that document first.
  if (target.dataset.doc !== currentDocumentId) showDocument(target.dataset.doc)
  target.scrollIntoView({ block: 'center' })
}
