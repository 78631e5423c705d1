// Interface strings in Chinese (default) and English. Every string is inserted with textContent.

const STRINGS = {
  zh: {
    tagline: '就文章提问,答案附引用',
    chatHeading: '问答',
    welcome: '就这里的文档提一个问题。每句回答都标注了出处 [n],点击即可在右侧原文中看到引用的句子。',
    welcomeOne: '就《{title}》提一个问题。每句回答都标注了出处 [n],点击即可在右侧原文中看到引用的句子。',
    welcomeMany: '就这 {count} 篇文档提问:{titles}。每句回答都标注了出处 [n],点击即可在右侧原文中看到引用的句子。',
    titleList: '《{title}》',
    titleSeparator: '、',
    moreTitles: '等',
    examplesLabel: '可以试试:',
    documentsHeading: '文档',
    documentCount: '{count} 篇',
    addDocument: '添加文档',
    addDocumentHint: 'PDF、Word、网页、Markdown 或文本文件,不超过 {size};也可以把文件拖到页面上。',
    dropHere: '松开鼠标,添加这个文档',
    changesNotAllowed: '这个密钥只能查看文档,不能添加或移除。',
    documentsNeedKey: '管理文档需要 API 密钥。',
    documentsFailed: '无法载入文档列表:{message}',
    enterKey: '输入密钥',
    showDocumentLabel: '在原文中查看《{title}》',
    removeDocument: '移除',
    removeDocumentLabel: '移除《{title}》',
    confirmRemove: '确定移除《{title}》吗?移除后不再回答关于它的问题。',
    removed: '已移除《{title}》。',
    removeFailed: '无法移除《{title}》:{message}',
    pages: '{n} 页',
    'format.pdf': 'PDF',
    'format.docx': 'Word',
    'format.html': '网页',
    'format.markdown': 'Markdown',
    'format.text': '文本',
    'status.queued': '等待处理',
    'status.ingesting': '处理中',
    'status.failed': '添加失败',
    'status.ready': '可以提问',
    'stage.waiting': '等待处理',
    'stage.reading': '正在读取',
    'stage.indexing': '正在建立索引',
    'stage.embedding': '正在计算向量 {progress}',
    uploadProgress: '正在上传 {name}… {percent}%',
    uploadProgressLabel: '{name} 的上传进度',
    uploadStage: '{name}:{stage}…',
    uploadReady: '已添加《{title}》,可以就它提问了。',
    uploadDuplicate: '{name} 与已有的《{title}》内容相同,没有重复添加。',
    uploadFailed: '无法添加 {name}:{message}',
    uploadTooLarge: '无法添加 {name}:文件大于 {size} 的上限。',
    documentSwitcher: '文档',
    sourcePage: '第 {n} 页',
    newConversation: '新对话',
    languageToggle: 'English',
    modeLabel: '回答方式',
    'mode.extractive': '抽取式',
    'mode.llm': '大模型',
    questionLabel: '问题',
    questionPlaceholder: '输入问题,按 Enter 发送',
    send: '发送',
    sending: '回答中…',
    hint: 'Enter 发送,Shift+Enter 换行',
    articleHeading: '原文',
    outlineHeading: '目录',
    backToConversation: '回到对话',
    articleLoading: '正在载入原文…',
    articleFailed: '无法载入原文:{message}',
    you: '你',
    assistant: '回答',
    thinking: '正在查找…',
    sources: '来源',
    paragraph: '第 {n} 段',
    paragraphLink: '链接到第 {n} 段',
    citationChip: '查看引用 {n}:第 {paragraph} 段',
    citationChipInDocument: '查看引用 {n}:《{document}》第 {paragraph} 段',
    abstention: '文章里没有找到能回答这个问题的内容,所以不作回答。',
    abstentionSeveral: '所给文档里没有找到能回答这个问题的内容,所以不作回答。',
    degraded: '大模型不可用,已改用抽取式回答。',
    answeredAs: '按“{question}”作答',
    unsupported: '这句话在引用的段落中找不到依据',
    meta: '方式:{mode} · 嵌入模型:{embedder} · {ms} 毫秒',
    metaCached: '方式:{mode} · 嵌入模型:{embedder} · 来自缓存',
    statusOk: '嵌入模型:{embedder}',
    statusDown: '服务不可用',
    errorNetwork: '无法连接到服务,请稍后再试。',
    errorService: '服务返回错误:{message}',
    errorStream: '回答中断:{message}',
  },
  en: {
    tagline: 'ask the article, get cited answers',
    chatHeading: 'Questions and answers',
    welcome: 'Ask a question about the documents here. Every answer marks its sources [n]; click one to see the cited sentence in the article.',
    welcomeOne: 'Ask a question about “{title}”. Every answer marks its sources [n]; click one to see the cited sentence in the article.',
    welcomeMany: 'Ask about these {count} documents: {titles}. Every answer marks its sources [n]; click one to see the cited sentence in its document.',
    titleList: '“{title}”',
    titleSeparator: ', ',
    moreTitles: ' and more',
    examplesLabel: 'Try:',
    documentsHeading: 'Documents',
    documentCount: '{count}',
    addDocument: 'Add a document',
    addDocumentHint: 'PDF, Word, web pages, Markdown or text files up to {size}; or drop a file anywhere on the page.',
    dropHere: 'Drop the file to add it',
    changesNotAllowed: 'This key may read the documents but not add or remove them.',
    documentsNeedKey: 'Managing the documents needs an API key.',
    documentsFailed: 'Could not load the documents: {message}',
    enterKey: 'Enter a key',
    showDocumentLabel: 'Show “{title}” in the article pane',
    removeDocument: 'Remove',
    removeDocumentLabel: 'Remove “{title}”',
    confirmRemove: 'Remove “{title}”? Questions about it will no longer be answered.',
    removed: 'Removed “{title}”.',
    removeFailed: 'Could not remove “{title}”: {message}',
    pages: '{n} pages',
    'format.pdf': 'PDF',
    'format.docx': 'Word',
    'format.html': 'web page',
    'format.markdown': 'Markdown',
    'format.text': 'text',
    'status.queued': 'waiting',
    'status.ingesting': 'being added',
    'status.failed': 'not added',
    'status.ready': 'ready',
    'stage.waiting': 'waiting',
    'stage.reading': 'reading',
    'stage.indexing': 'indexing',
    'stage.embedding': 'embedding {progress}',
    uploadProgress: 'Uploading {name}… {percent}%',
    uploadProgressLabel: 'Upload of {name}',
    uploadStage: '{name}: {stage}…',
    uploadReady: 'Added “{title}”: ask about it.',
    uploadDuplicate: '{name} has the same content as “{title}”, which is already here.',
    uploadFailed: 'Could not add {name}: {message}',
    uploadTooLarge: 'Could not add {name}: it is larger than {size}.',
    documentSwitcher: 'Document',
    sourcePage: 'page {n}',
    newConversation: 'New conversation',
    languageToggle: '中文',
    modeLabel: 'Answer mode',
    'mode.extractive': 'Extractive',
    'mode.llm': 'LLM',
    questionLabel: 'Question',
    questionPlaceholder: 'Type a question, Enter to send',
    send: 'Send',
    sending: 'Answering…',
    hint: 'Enter sends, Shift+Enter adds a line',
    articleHeading: 'Article',
    outlineHeading: 'Contents',
    backToConversation: 'Back to the conversation',
    articleLoading: 'Loading the article…',
    articleFailed: 'Could not load the article: {message}',
    you: 'You',
    assistant: 'Answer',
    thinking: 'Searching…',
    sources: 'Sources',
    paragraph: 'Paragraph {n}',
    paragraphLink: 'Link to paragraph {n}',
    citationChip: 'Show citation {n}: paragraph {paragraph}',
    citationChipInDocument: 'Show citation {n}: “{document}”, paragraph {paragraph}',
    abstention: 'The article does not say anything that answers this question, so there is no answer.',
    abstentionSeveral: 'The documents do not say anything that answers this question, so there is no answer.',
    degraded: 'The LLM was unavailable; this is the extractive answer.',
    answeredAs: 'Answered as: “{question}”',
    unsupported: 'This sentence is not supported by the cited paragraphs',
    meta: 'Mode: {mode} · Embedder: {embedder} · {ms} ms',
    metaCached: 'Mode: {mode} · Embedder: {embedder} · cached',
    statusOk: 'Embedder: {embedder}',
    statusDown: 'Service unavailable',
    errorNetwork: 'Could not reach the service. Please try again later.',
    errorService: 'The service returned an error: {message}',
    errorStream: 'The answer was interrupted: {message}',
  },
}

export const LANGUAGES = Object.keys(STRINGS)
const STORAGE_KEY = 'citeqa.language'

let language = readStoredLanguage()

function readStoredLanguage() {
  try {
    const stored = localStorage.getItem(STORAGE_KEY)
    return stored && stored in STRINGS ? stored : 'zh'
  } catch {
    return 'zh' // storage can be blocked (private mode, file://)
  }
}

export function currentLanguage() {
  return language
}

/** The string for `key` in the current language, with `{name}` placeholders filled from `params`. */
export function translate(key, params = {}) {
  const template = STRINGS[language][key] ?? STRINGS.zh[key] ?? key
  if (typeof template !== 'string') return template
  // A param given as `{ key }` is itself translated, so a stored param follows a language switch.
  const fill = (value) => (value !== null && typeof value === 'object' ? translate(value.key, value.params) : String(value))
  return template.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? fill(params[name]) : whole))
}

/**
 * Sets an element's text to a translated string and remembers the key and params,
 * so a later language switch can re-translate it in place.
 */
export function setLocalizedText(element, key, params) {
  element.dataset.i18n = key
  if (params) element.dataset.i18nParams = JSON.stringify(params)
  element.textContent = translate(key, params)
  return element
}

export function setLocalizedTitle(element, key, params) {
  element.dataset.i18nTitle = key
  if (params) element.dataset.i18nTitleParams = JSON.stringify(params)
  element.title = translate(key, params)
  element.setAttribute('aria-label', element.title)
}

function parseParams(json) {
  return json ? JSON.parse(json) : undefined
}

/** Switches the interface language and re-translates every element that carries a key. */
export function applyLanguage(next = language) {
  language = next in STRINGS ? next : 'zh'
  try {
    localStorage.setItem(STORAGE_KEY, language)
  } catch {}
  document.documentElement.lang = language === 'zh' ? 'zh-CN' : 'en'
  for (const element of document.querySelectorAll('[data-i18n]')) {
    element.textContent = translate(element.dataset.i18n, parseParams(element.dataset.i18nParams))
  }
  for (const element of document.querySelectorAll('[data-i18n-title]')) {
    element.title = translate(element.dataset.i18nTitle, parseParams(element.dataset.i18nTitleParams))
    element.setAttribute('aria-label', element.title)
  }
  for (const element of document.querySelectorAll('[data-i18n-placeholder]')) {
    element.placeholder = translate(element.dataset.i18nPlaceholder)
  }
}
