// The service's API key, when it asks for one (401): asked for once in a dialog and kept in
// sessionStorage — for this tab only, gone when it closes — and sent as `Authorization: Bearer`.

import { currentLanguage } from './i18n.js'

const STORAGE_KEY = 'citeqa.apiKey'

const STRINGS = {
  zh: {
    title: '需要 API 密钥',
    description: '这个服务需要 API 密钥才能回答问题。密钥只保存在当前标签页中,关闭标签页即清除。',
    rejected: '这个密钥没有被接受,请检查后重新输入。',
    label: 'API 密钥',
    submit: '确定',
    cancel: '取消',
  },
  en: {
    title: 'API key needed',
    description: 'This service needs an API key to answer questions. The key is kept in this tab only and forgotten when it closes.',
    rejected: 'That key was not accepted. Check it and enter it again.',
    label: 'API key',
    submit: 'OK',
    cancel: 'Cancel',
  },
}

function text(key) {
  return (STRINGS[currentLanguage()] ?? STRINGS.zh)[key]
}

/** The key this tab holds, if any (storage can be blocked: then none). */
export function storedApiKey() {
  try {
    return sessionStorage.getItem(STORAGE_KEY) || null
  } catch {
    return null
  }
}

function storeApiKey(key) {
  try {
    if (key) sessionStorage.setItem(STORAGE_KEY, key)
    else sessionStorage.removeItem(STORAGE_KEY)
  } catch {}
}

/** `Authorization` for requests to the answering routes, when the tab holds a key. */
export function authorizationHeaders() {
  const key = storedApiKey()
  return key ? { Authorization: `Bearer ${key}` } : {}
}

function element(tag, properties = {}, children = []) {
  const node = Object.assign(document.createElement(tag), properties)
  node.append(...children)
  return node
}

/**
 * Asks for a key in a modal dialog; resolves with it (stored for the tab) or null when the reader
 * cancels. `rejected`: the key held was refused, so it is forgotten and the dialog says why.
 */
export function askForApiKey({ rejected = false } = {}) {
  if (rejected) storeApiKey(null)
  const input = element('input', { id: 'api-key-input', type: 'password', autocomplete: 'off', required: true, spellcheck: false })
  const error = element('p', { className: 'api-key-error', id: 'api-key-error', textContent: text('rejected'), hidden: !rejected })
  error.setAttribute('role', 'alert')
  const cancel = element('button', { type: 'button', className: 'link-button', textContent: text('cancel') })
  const submit = element('button', { type: 'submit', className: 'send-button', textContent: text('submit') })
  const form = element('form', { method: 'dialog' }, [
    element('h2', { id: 'api-key-title', textContent: text('title') }),
    element('p', { id: 'api-key-description', textContent: text('description') }),
    error,
    element('label', { htmlFor: 'api-key-input', textContent: text('label') }),
    input,
    element('div', { className: 'api-key-actions' }, [cancel, submit]),
  ])
  const dialog = element('dialog', { className: 'api-key-dialog' }, [form])
  dialog.setAttribute('aria-labelledby', 'api-key-title')
  dialog.setAttribute('aria-describedby', rejected ? 'api-key-description api-key-error' : 'api-key-description')
  document.body.append(dialog)

  return new Promise((resolve) => {
    let key = null
    form.addEventListener('submit', () => {
      key = input.value.trim() || null
    })
    cancel.addEventListener('click', () => dialog.close())
    // Closed by the form, Cancel or Escape alike.
    dialog.addEventListener('close', () => {
      dialog.remove()
      storeApiKey(key)
      resolve(key)
    })
    dialog.showModal()
    input.focus()
  })
}
