// One question and its answer in the conversation. Every string from the service goes in as text.

import { paragraphElementId } from './article-pane.js'
import { setLocalizedText, setLocalizedTitle } from './i18n.js'
import { documentTitle, servedDocuments } from './served-documents.js'

const MARKER = /\[(\d+)\]/g

function element(tag, className, text) {
  const node = document.createElement(tag)
  if (className) node.className = className
  if (text !== undefined) node.textContent = text
  return node
}

/** The title of the document a citation points into, when the service serves several (with one, the article pane names it already). */
function citedDocumentTitle(citation) {
  return servedDocuments().length > 1 ? documentTitle(citation.docId) : undefined
}

function citationChip(citation, onCitationClick) {
  const chip = element('button', 'citation-chip', `[${citation.n}]`)
  chip.type = 'button'
  chip.dataset.n = String(citation.n)
  const document_ = citedDocumentTitle(citation)
  if (document_) setLocalizedTitle(chip, 'citationChipInDocument', { n: citation.n, paragraph: citation.paragraph, document: document_ })
  else setLocalizedTitle(chip, 'citationChip', { n: citation.n, paragraph: citation.paragraph })
  chip.addEventListener('click', () => onCitationClick(citation, chip))
  return chip
}

/** Appends `text` to `container`, turning each `[n]` that names a known citation into a chip. */
function appendTextWithChips(container, text, citationsByNumber, onCitationClick) {
  let last = 0
  for (const match of text.matchAll(MARKER)) {
    const citation = citationsByNumber.get(Number(match[1]))
    if (!citation) continue
    if (match.index > last) container.append(text.slice(last, match.index))
    container.append(citationChip(citation, onCitationClick))
    last = match.index + match[0].length
  }
  if (last < text.length) container.append(text.slice(last))
}

function renderSegments(container, segments, citationsByNumber, onCitationClick) {
  for (const segment of segments) {
    const span = element('span', 'segment')
    appendTextWithChips(span, segment.text ?? '', citationsByNumber, onCitationClick)
    const shown = new Set([...(segment.text ?? '').matchAll(MARKER)].map((match) => Number(match[1])))
    for (const n of segment.cites ?? []) {
      const citation = citationsByNumber.get(n)
      if (citation && !shown.has(n)) span.append(citationChip(citation, onCitationClick))
    }
    if (segment.supported === false) {
      span.classList.add('segment-unsupported')
      setLocalizedTitle(span, 'unsupported')
    }
    container.append(span)
  }
}

/** An outline answer (`text[1]text[2]…`): each cited span on its own line. */
function renderOutlineLines(container, text, citationsByNumber, onCitationClick) {
  for (const line of text.match(/[^[]*?(?:\[\d+\])+|[^[]+$/g) ?? [text]) {
    const span = element('span', 'outline-line')
    appendTextWithChips(span, line, citationsByNumber, onCitationClick)
    container.append(span)
  }
}

function renderSources(citations, onCitationClick) {
  const list = element('ol', 'sources')
  for (const citation of citations) {
    const item = element('li', 'source')
    const link = element('a', 'source-paragraph')
    link.href = `#${paragraphElementId(citation.docId, citation.paragraph)}`
    setLocalizedText(link, 'paragraph', { n: citation.paragraph })
    link.addEventListener('click', (event) => {
      event.preventDefault()
      onCitationClick(citation, undefined, link)
    })
    item.append(citationChip(citation, onCitationClick))
    // Which document and page it is in (a PDF's paragraphs know their page), then the paragraph link.
    const title = citedDocumentTitle(citation)
    if (title) item.append(element('span', 'source-document', title))
    if (citation.page) item.append(setLocalizedText(element('span', 'source-page'), 'sourcePage', { n: citation.page }))
    item.append(link)
    if (citation.section) item.append(element('span', 'source-section', citation.section))
    item.append(element('q', 'source-quote', citation.text))
    list.append(item)
  }
  return list
}

/**
 * How each kind of answer is shown, by {@link answerKind}: a new kind of reply (a scope the service
 * adds) is one more entry here and one more case there.
 */
const ANSWER_RENDERERS = {
  // Small talk (你好, thanks, who are you?): a plain friendly line, with nothing of a refusal about it.
  chat(container, body) {
    container.append(body.answer ?? '')
  },
  abstention(container, body) {
    // With several documents served, the refusal speaks of the documents, not of one article.
    container.append(setLocalizedText(element('span', 'abstention'), servedDocuments().length > 1 ? 'abstentionSeveral' : 'abstention'))
    if (body.reason) container.append(element('span', 'abstention-reason', String(body.reason)))
  },
  segments(container, body, citationsByNumber, onCitationClick) {
    renderSegments(container, body.segments, citationsByNumber, onCitationClick)
  },
  outline(container, body, citationsByNumber, onCitationClick) {
    renderOutlineLines(container, body.answer ?? '', citationsByNumber, onCitationClick)
  },
  text(container, body, citationsByNumber, onCitationClick) {
    appendTextWithChips(container, body.answer ?? '', citationsByNumber, onCitationClick)
  },
}

/** Which renderer an answer body gets. */
function answerKind(body) {
  // Before the abstention check: a chat reply is `answerable: false` (it answers nothing from the documents).
  if (body.scope === 'chat') return 'chat'
  if (!body.answerable) return 'abstention'
  if (Array.isArray(body.segments) && body.segments.length) return 'segments'
  if (body.scope === 'document') return 'outline'
  return 'text'
}

/** Mode, embedder and time; an answer given again from the service's cache says so rather than "0 ms". */
function answerMeta(body) {
  const meta = element('p', 'message-meta')
  const params = { mode: modeName(body.mode), embedder: body.embedder ?? '' }
  if (body.cached) return setLocalizedText(meta, 'metaCached', params)
  return setLocalizedText(meta, 'meta', { ...params, ms: Math.round(body.timings?.totalMs ?? 0) })
}

/** The same question, whatever its width or spacing: only a follow-up the service rewrote counts as different. */
function sameQuestion(first, second) {
  const normalize = (text) => String(text ?? '').normalize('NFKC').replace(/\s+/g, ' ').trim()
  return normalize(first) === normalize(second)
}

function modeName(mode) {
  return mode === 'llm' || mode === 'extractive' ? { key: `mode.${mode}` } : String(mode ?? '')
}

/**
 * Adds a question and an answer placeholder to the conversation; the returned view fills the
 * answer in as the stream (or the JSON body) arrives.
 */
export function createTurnView(conversation, question, onCitationClick) {
  const turn = element('div', 'turn')
  const questionBubble = element('div', 'message message-question')
  questionBubble.append(setLocalizedText(element('span', 'message-role'), 'you'), element('p', 'message-text', question))
  const answerBubble = element('div', 'message message-answer is-pending')
  answerBubble.setAttribute('aria-busy', 'true')
  const answerText = element('p', 'message-text')
  answerText.append(setLocalizedText(element('span', 'thinking'), 'thinking'))
  const details = element('div', 'message-details')
  answerBubble.append(setLocalizedText(element('span', 'message-role'), 'assistant'), answerText, details)
  turn.append(questionBubble, answerBubble)
  conversation.append(turn)
  turn.scrollIntoView({ block: 'end' })

  let citationsByNumber = new Map()
  let streamed = ''

  function renderSourcesInto(citations) {
    details.replaceChildren()
    if (!citations.length) return
    details.append(setLocalizedText(element('h3', 'sources-heading'), 'sources'), renderSources(citations, onCitationClick))
  }

  return {
    showCitations({ citations = [] }) {
      citationsByNumber = new Map(citations.map((citation) => [citation.n, citation]))
      renderSourcesInto(citations)
    },
    appendToken(text) {
      streamed += text
      answerText.replaceChildren()
      appendTextWithChips(answerText, streamed, citationsByNumber, onCitationClick)
    },
    finish(body, transport) {
      const citations = body.citations ?? []
      citationsByNumber = new Map(citations.map((citation) => [citation.n, citation]))
      answerBubble.classList.remove('is-pending')
      answerBubble.removeAttribute('aria-busy')
      answerBubble.dataset.transport = transport
      answerBubble.dataset.answerable = String(Boolean(body.answerable))
      answerText.replaceChildren()
      const kind = answerKind(body)
      answerBubble.dataset.kind = kind
      ANSWER_RENDERERS[kind](answerText, body, citationsByNumber, onCitationClick)
      if (kind === 'abstention') answerBubble.classList.add('is-abstention')
      // An answer about the whole document (thesis, then each part) reads as a list, one line per part.
      answerText.classList.toggle('answer-outline', body.answerable && body.scope === 'document')
      renderSourcesInto(body.answerable ? citations : [])
      if (body.degraded) details.prepend(setLocalizedText(element('p', 'notice'), 'degraded'))
      // An elliptical follow-up (污水处理厂呢?) was read with the turn before it: say what was answered.
      if (kind !== 'chat' && body.standaloneQuestion && !sameQuestion(body.standaloneQuestion, question)) {
        details.prepend(setLocalizedText(element('p', 'answered-as'), 'answeredAs', { question: body.standaloneQuestion }))
      }
      // Mode, embedder and time describe a search of the documents; a chat reply made none.
      if (kind === 'chat') answerBubble.classList.add('is-chat')
      else details.append(answerMeta(body))
      // The answer grew below the place it was scrolled to when asked: bring its text into view (clear of the question box on a phone).
      answerText.scrollIntoView({ block: 'nearest' })
    },
    fail(error) {
      answerBubble.classList.remove('is-pending')
      answerBubble.removeAttribute('aria-busy')
      answerBubble.classList.add('is-error')
      answerText.replaceChildren()
      const key = error.kind === 'network' ? 'errorNetwork' : error.kind === 'stream' ? 'errorStream' : 'errorService'
      answerText.append(setLocalizedText(element('span', 'error-message'), key, { message: error.message }))
      answerText.setAttribute('role', 'alert')
    },
  }
}
