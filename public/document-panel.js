// The documents served, and adding and removing them: a list (title, format, pages, size, a remove
// button), an "add a document" button with a file picker, drag-and-drop of files onto the page, and
// one message per upload — its progress, then its result or the service's reason for refusing it.
// What the service says this client may not do (GET /documents `changes.allowed`) is not offered.

import { DocumentError, listDocuments, removeDocument, signIn, uploadDocument, watchDocument } from './documents-client.js'
import { setLocalizedText, setLocalizedTitle, translate } from './i18n.js'

/** Upload messages kept in the panel; older ones go first. */
const MAX_MESSAGES = 6
/** How often the list is read again while it shows documents being added that this tab is not watching (another tab's, or from before a reload), in ms. */
const PENDING_REFRESH_MS = 1500

function element(tag, className, text) {
  const node = document.createElement(tag)
  if (className) node.className = className
  if (text !== undefined) node.textContent = text
  return node
}

/** 20971520 → `20 MB`, 35210 → `34.4 KB`: sizes as a file manager shows them. */
export function formatSize(bytes) {
  if (bytes >= 1024 * 1024) return `${Number((bytes / 1024 / 1024).toFixed(1))} MB`
  return `${Number((bytes / 1024).toFixed(1))} KB`
}

/** `embedding 40/120` → a key and params the interface translates. */
function stageText(stage) {
  const [name, progress] = String(stage ?? '').split(' ')
  if (name === 'reading' || name === 'indexing') return { key: `stage.${name}` }
  if (name === 'embedding') return { key: 'stage.embedding', params: { progress: progress ?? '' } }
  return { key: 'stage.waiting' }
}

/**
 * Builds the panel inside `elements` ({panel, details, count, list, add, addButton, fileInput,
 * hint, notice, signIn, messages, dropOverlay}); `onChanged()` is called once a document has been
 * added or removed, for the rest of the page to follow. Returns `{refresh}`.
 */
export function createDocumentPanel(elements, { onChanged, onShowDocument }) {
  const { panel, details, count, list, add, addButton, fileInput, hint, notice, signInButton, messages, dropOverlay } = elements
  let changes = { allowed: false }
  let uploads = Promise.resolve()
  // Uploads this tab follows itself (watchDocument), and those on their way it saw in the list.
  const watching = new Set()
  let pendingSeen = new Set()
  let pendingTimer = null

  function addMessage(key, params, kind = 'progress') {
    const item = element('li', `upload-message is-${kind}`)
    const text = setLocalizedText(element('span', 'upload-message-text'), key, params)
    item.append(text)
    // On the text, not the <li>: a list holds list items only.
    if (kind === 'error') text.setAttribute('role', 'alert')
    messages.append(item)
    while (messages.children.length > MAX_MESSAGES) messages.firstElementChild.remove()
    return {
      item,
      update(nextKey, nextParams, nextKind = kind) {
        setLocalizedText(text, nextKey, nextParams)
        item.className = `upload-message is-${nextKind}`
        if (nextKind === 'error') text.setAttribute('role', 'alert')
        item.querySelector('progress')?.remove()
      },
      progress(fraction) {
        let bar = item.querySelector('progress')
        if (!bar) {
          bar = element('progress', 'upload-progress')
          bar.max = 1
          setLocalizedTitle(bar, 'uploadProgressLabel', { name: params.name })
          item.append(bar)
        }
        bar.value = fraction
      },
    }
  }

  function documentItem(entry) {
    const item = element('li', `document-item is-${entry.status}`)
    item.dataset.doc = entry.id
    const title = entry.title ?? entry.id
    const name = entry.status === 'ready' ? element('button', 'document-name link-like', title) : element('span', 'document-name', title)
    if (entry.status === 'ready') {
      name.type = 'button'
      setLocalizedTitle(name, 'showDocumentLabel', { title })
      name.addEventListener('click', () => onShowDocument(entry.id))
    }
    const facts = []
    if (entry.format) facts.push(translate(`format.${entry.format}`))
    if (entry.pages) facts.push(translate('pages', { n: entry.pages }))
    if (entry.size) facts.push(formatSize(entry.size))
    const meta = element('span', 'document-meta', facts.join(' · '))
    if (entry.status !== 'ready') meta.append(facts.length ? ' · ' : '', setLocalizedText(element('span', 'document-status'), `status.${entry.status}`))
    item.append(name, meta)
    if (entry.removable && changes.allowed) {
      const remove = element('button', 'remove-document')
      remove.type = 'button'
      setLocalizedText(remove, 'removeDocument')
      // The visible word and the document it removes, for screen readers and voice control alike.
      remove.setAttribute('aria-label', translate('removeDocumentLabel', { title }))
      remove.addEventListener('click', () => confirmAndRemove(entry, title, remove))
      item.append(remove)
    }
    return item
  }

  async function confirmAndRemove(entry, title, button) {
    if (!window.confirm(translate('confirmRemove', { title }))) return
    button.disabled = true
    try {
      await removeDocument(entry.id)
      addMessage('removed', { title }, 'done')
      await onChanged()
    } catch (error) {
      addMessage('removeFailed', { title, message: error.message }, 'error')
    }
    await refresh()
  }

  let shown = []
  function renderList(documents) {
    shown = documents
    list.replaceChildren(...documents.map(documentItem))
    count.textContent = translate('documentCount', { count: documents.filter((entry) => entry.status === 'ready').length })
  }

  /** Reads GET /documents again and redraws the list and what may be done. */
  async function refresh() {
    let state
    try {
      state = await listDocuments()
    } catch (error) {
      notice.hidden = false
      setLocalizedText(notice, 'documentsFailed', { message: error.message })
      return
    }
    if (state.unavailable) {
      panel.hidden = true
      return
    }
    panel.hidden = false
    signInButton.hidden = !state.needsKey
    if (state.needsKey) {
      changes = { allowed: false }
      list.replaceChildren()
      count.textContent = ''
      notice.hidden = false
      setLocalizedText(notice, 'documentsNeedKey')
    } else {
      changes = state.changes
      notice.hidden = changes.allowed
      if (!changes.allowed) setLocalizedText(notice, 'changesNotAllowed')
      renderList(state.documents)
      await followOthersUploads(state.documents)
    }
    add.hidden = !changes.allowed
    hint.hidden = !changes.allowed
    if (changes.allowed) {
      setLocalizedText(hint, 'addDocumentHint', { size: formatSize(changes.maxDocumentBytes) })
      fileInput.accept = (changes.types ?? []).join(',')
    }
  }

  /**
   * Documents being added that this tab did not send (another tab's, or its own from before a
   * reload): the list is read again until they settle, and the page follows once one is served.
   */
  async function followOthersUploads(documents) {
    const pending = new Set(documents.filter((entry) => (entry.status === 'queued' || entry.status === 'ingesting') && !watching.has(entry.id)).map((entry) => entry.id))
    const served = documents.some((entry) => entry.status === 'ready' && pendingSeen.has(entry.id))
    pendingSeen = pending
    clearTimeout(pendingTimer)
    if (pending.size > 0) pendingTimer = setTimeout(refresh, PENDING_REFRESH_MS)
    if (served) await onChanged()
  }

  async function uploadOne(file) {
    const name = file.name
    details.open = true
    if (changes.maxDocumentBytes && file.size > changes.maxDocumentBytes) {
      // Refused before a byte is sent: the service would stop reading at its limit anyway.
      addMessage('uploadTooLarge', { name, size: formatSize(changes.maxDocumentBytes) }, 'error')
      return
    }
    const message = addMessage('uploadProgress', { name, percent: 0 })
    try {
      const { document: accepted, duplicate } = await uploadDocument(file, (fraction) => {
        message.update('uploadProgress', { name, percent: Math.round(fraction * 100) })
        message.progress(fraction)
      })
      if (duplicate) {
        message.update('uploadDuplicate', { name, title: accepted.title ?? accepted.id }, 'done')
        return
      }
      message.update('uploadStage', { name, stage: stageText(accepted.stage) })
      watching.add(accepted.id)
      await refresh()
      const settled = await watchDocument(accepted.url, (status) => {
        if (status.status === 'queued' || status.status === 'ingesting') message.update('uploadStage', { name, stage: stageText(status.stage) })
      }).finally(() => watching.delete(accepted.id))
      if (settled.status === 'failed') {
        message.update('uploadFailed', { name, message: settled.error?.message ?? '' }, 'error')
      } else {
        message.update('uploadReady', { title: settled.title ?? name }, 'done')
        await onChanged()
      }
    } catch (error) {
      message.update('uploadFailed', { name, message: error instanceof DocumentError ? error.message : String(error?.message ?? error) }, 'error')
    }
    await refresh()
  }

  /** Uploads files one after another (the service adds them one at a time anyway). */
  function uploadFiles(files) {
    for (const file of files) uploads = uploads.then(() => uploadOne(file))
    return uploads
  }

  addButton.addEventListener('click', () => fileInput.click())
  fileInput.addEventListener('change', () => {
    const files = [...fileInput.files]
    fileInput.value = ''
    uploadFiles(files)
  })
  signInButton.addEventListener('click', async () => {
    if (await signIn()) await refresh()
  })

  // Files dropped anywhere on the page. The browser's own handling (opening the file in the tab) is
  // always prevented: a reader who may not add documents must not lose the conversation either.
  const carriesFiles = (event) => [...(event.dataTransfer?.types ?? [])].includes('Files')
  let dragDepth = 0
  document.addEventListener('dragenter', (event) => {
    if (!carriesFiles(event)) return
    event.preventDefault()
    dragDepth += 1
    dropOverlay.hidden = !changes.allowed
  })
  document.addEventListener('dragover', (event) => {
    if (!carriesFiles(event)) return
    event.preventDefault()
    event.dataTransfer.dropEffect = changes.allowed ? 'copy' : 'none'
  })
  document.addEventListener('dragleave', (event) => {
    if (!carriesFiles(event)) return
    dragDepth = Math.max(0, dragDepth - 1)
    if (dragDepth === 0) dropOverlay.hidden = true
  })
  document.addEventListener('drop', (event) => {
    if (!carriesFiles(event)) return
    event.preventDefault()
    dragDepth = 0
    dropOverlay.hidden = true
    if (changes.allowed) uploadFiles([...event.dataTransfer.files])
  })

  return {
    refresh,
    uploadFiles,
    /** Redraws the list in the interface's language (format names, counts and labels are made with it). */
    relocalize: () => renderList(shown),
  }
}
