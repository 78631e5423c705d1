// The chat page: wires the form, the conversation and the article pane together.

import { AskError, ask } from './ask-client.js'
import { highlightCitation, loadArticle, scrollToHash } from './article-pane.js'
import { createTurnView } from './answer-view.js'
import { createConversationReturn } from './conversation-return.js'
import { loadOutline } from './outline-pane.js'
import { applyLanguage, currentLanguage, setLocalizedText, translate } from './i18n.js'

/** Earlier turns sent with a follow-up; older ones are dropped to keep requests small. */
const MAX_HISTORY_MESSAGES = 8
/** Answers carried as history are cut to this length; the service caps history content too. */
const MAX_HISTORY_ANSWER_LENGTH = 4000

const form = document.getElementById('ask-form')
const questionInput = document.getElementById('question')
const sendButton = document.getElementById('send-button')
const conversation = document.getElementById('conversation')
const welcome = document.getElementById('welcome')
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

function renderExamples() {
  const buttons = translate('examples').map((question) => {
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

languageToggle.addEventListener('click', () => {
  applyLanguage(currentLanguage() === 'zh' ? 'en' : 'zh')
  languageToggle.lang = currentLanguage() === 'zh' ? 'en' : 'zh-CN'
  renderExamples()
})

languageToggle.dataset.i18n = 'languageToggle'
languageToggle.lang = currentLanguage() === 'zh' ? 'en' : 'zh-CN'
applyLanguage()
renderExamples()
loadHealth()
window.addEventListener('hashchange', scrollToHash)
// The contents link to the article's paragraph anchors, and change the layout: both before following a deep link.
loadArticle(articleContainer)
  .then(() => loadOutline(document.getElementById('outline')))
  .then(scrollToHash)
