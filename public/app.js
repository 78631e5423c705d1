// The chat page: wires the form, the conversation and the article pane together.

import { AskError, ask } from './ask-client.js'
import { highlightCitation, loadArticle, scrollToHash, showDocument } from './article-pane.js'
import { createTurnView } from './answer-view.js'
import { createConversationReturn } from './conversation-return.js'
import { createDocumentPanel } from './document-panel.js'
import { createDocumentSwitcher } from './document-switcher.js'
import { loadOutline } from './outline-pane.js'
import { applyLanguage, currentLanguage, setLocalizedText, translate } from './i18n.js'
import { exampleQuestions, loadServedDocuments, servedDocuments, servedDocumentsKnown } from './served-documents.js'

/** Most titles the welcome names; the rest are counted. */
const MAX_WELCOME_TITLES = 5

/** Earlier turns sent with a follow-up; older ones are dropped to keep requests small. */
const MAX_HISTORY_MESSAGES = 8
/** Answers carried as history are cut to this length; the service caps history content too. */
const MAX_HISTORY_ANSWER_LENGTH = 4000

const form = document.getElementById('ask-form')
const questionInput = document.getElementById('question')
const sendButton = document.getElementById('send-button')
const conversation = document.getElementById('conversation')
const welcome = document.getElementById('welcome')
const welcomeText = document.getElementById('welcome-text')
const examplesLabel = welcome.querySelector('.examples-label')
const examples = document.getElementById('examples')
const modeSwitch = document.getElementById('mode-switch')
const serviceStatus = document.getElementById('service-status')
const languageToggle = document.getElementById('language-toggle')
const articleContainer = document.getElementById('article')

let conversationHistory = []
let busy = false
let activeChip = null

// Following a citation on a phone leaves the conversation far above: a button brings the reader back.
const rememberConversationPlace = createConversationReturn(document.getElementById('back-to-conversation'), form)

function onCitationClick(citation, chip, source) {
  rememberConversationPlace(source ?? chip)
  activeChip?.classList.remove('is-active')
  activeChip = chip ?? null
  activeChip?.classList.add('is-active')
  highlightCitation(citation)
}

/** The welcome names the documents served, by title: one, or the first few of several. */
function renderWelcomeText() {
  const documents = servedDocuments()
  if (!servedDocumentsKnown() || documents.length === 0) {
    welcomeText.textContent = translate('welcome')
  } else if (documents.length === 1) {
    welcomeText.textContent = translate('welcomeOne', { title: documents[0].title })
  } else {
    const named = documents.slice(0, MAX_WELCOME_TITLES).map((document_) => translate('titleList', { title: document_.title }))
    const titles = named.join(translate('titleSeparator')) + (documents.length > named.length ? translate('moreTitles') : '')
    welcomeText.textContent = translate('welcomeMany', { count: documents.length, titles })
  }
}

/** Example questions made from the documents served (GET /welcome), in the interface's language. */
function renderExamples() {
  const questions = exampleQuestions(currentLanguage())
  examplesLabel.hidden = questions.length === 0
  const buttons = questions.map((question) => {
    const item = document.createElement('li')
    const button = document.createElement('button')
    button.type = 'button'
    button.className = 'example'
    button.textContent = question
    button.addEventListener('click', () => submitQuestion(question))
    item.append(button)
    return item
  })
  examples.replaceChildren(...buttons)
}

/** /health reports `llm: {enabled}` and the `modes` /ask offers; the switch shows only when `llm` is one. */
function llmAvailable(health) {
  if (Array.isArray(health?.modes)) return health.modes.includes('llm')
  return health?.llm === true || health?.llm?.enabled === true
}

async function loadHealth() {
  try {
    const response = await fetch('/health')
    const health = await response.json()
    if (!response.ok || health.status !== 'ok') throw new Error(health?.error?.message ?? health.status)
    setLocalizedText(serviceStatus, 'statusOk', { embedder: health.embedder })
    serviceStatus.classList.remove('is-down')
    modeSwitch.hidden = !llmAvailable(health)
  } catch {
    setLocalizedText(serviceStatus, 'statusDown')
    serviceStatus.classList.add('is-down')
  }
}

function selectedMode() {
  if (modeSwitch.hidden) return undefined
  return new FormData(form).get('mode') ?? undefined
}

function setBusy(value) {
  busy = value
  sendButton.disabled = value
  setLocalizedText(sendButton, value ? 'sending' : 'send')
}

async function submitQuestion(rawQuestion) {
  const question = rawQuestion.trim()
  if (!question || busy) return
  welcome.hidden = true
  questionInput.value = ''
  setBusy(true)
  const view = createTurnView(conversation, question, onCitationClick)
  // A question in neither Chinese nor English (an emoji, Japanese) is answered in the page's language.
  const request = { question, language: currentLanguage() }
  const mode = selectedMode()
  if (mode) request.mode = mode
  if (conversationHistory.length) request.history = conversationHistory.slice(-MAX_HISTORY_MESSAGES)
  try {
    await ask(request, {
      onCitations: (payload) => view.showCitations(payload),
      onToken: (text) => view.appendToken(text),
      onDone: (body, transport) => {
        view.finish(body, transport)
        conversationHistory.push({ role: 'user', content: question }, { role: 'assistant', content: String(body.answer ?? '').slice(0, MAX_HISTORY_ANSWER_LENGTH) })
      },
    })
  } catch (error) {
    view.fail(error instanceof AskError ? error : new AskError('service', String(error?.message ?? error)))
  } finally {
    setBusy(false)
    questionInput.focus()
  }
}

form.addEventListener('submit', (event) => {
  event.preventDefault()
  submitQuestion(questionInput.value)
})

questionInput.addEventListener('keydown', (event) => {
  // Enter while an input method is composing (pinyin) confirms the candidate, it does not send.
  if (event.key !== 'Enter' || event.shiftKey || event.isComposing || event.keyCode === 229) return
  event.preventDefault()
  submitQuestion(questionInput.value)
})

document.getElementById('new-conversation').addEventListener('click', () => {
  conversationHistory = []
  for (const turn of conversation.querySelectorAll('.turn')) turn.remove()
  welcome.hidden = false
  questionInput.focus()
})

const documentSwitcher = createDocumentSwitcher(document.getElementById('document-switcher'))

/**
 * The documents served, everywhere the page shows them: the welcome and its examples, the article
 * pane and its switcher, the contents. At load, and again after a document is added or removed.
 */
async function loadDocuments() {
  await loadServedDocuments()
  renderWelcomeText()
  renderExamples()
  await loadArticle(articleContainer)
  documentSwitcher.fill()
  await loadOutline(document.getElementById('outline'))
}

const documentPanel = createDocumentPanel(
  {
    panel: document.getElementById('documents-panel'),
    details: document.getElementById('documents-details'),
    count: document.getElementById('documents-count'),
    list: document.getElementById('document-list'),
    add: document.getElementById('add-document'),
    addButton: document.getElementById('add-document-button'),
    fileInput: document.getElementById('document-file'),
    hint: document.getElementById('add-document-hint'),
    notice: document.getElementById('documents-notice'),
    signInButton: document.getElementById('documents-sign-in'),
    messages: document.getElementById('upload-messages'),
    dropOverlay: document.getElementById('drop-overlay'),
  },
  {
    onChanged: loadDocuments,
    onShowDocument: (docId) => {
      if (showDocument(docId)) document.getElementById('article-pane').scrollIntoView({ block: 'start' })
    },
  },
)

languageToggle.addEventListener('click', () => {
  applyLanguage(currentLanguage() === 'zh' ? 'en' : 'zh')
  languageToggle.lang = currentLanguage() === 'zh' ? 'en' : 'zh-CN'
  renderWelcomeText()
  renderExamples()
  documentPanel.relocalize()
})

languageToggle.dataset.i18n = 'languageToggle'
languageToggle.lang = currentLanguage() === 'zh' ? 'en' : 'zh-CN'
applyLanguage()
renderWelcomeText()
loadHealth()
documentPanel.refresh()
window.addEventListener('hashchange', scrollToHash)
// The contents link to the article's paragraph anchors, and change the layout: both before following a deep link.
loadDocuments().then(scrollToHash)
