import { decodeText } from './decode-text.ts'
import { linesOfText, type DocumentLoader } from './document-loader.ts'

/** Plain text, one paragraph a line, in UTF-8 (with or without BOM), UTF-16 or GB18030/GBK. */
export const textLoader: DocumentLoader = {
  format: 'text',
  extensions: ['.txt', '.text'],
  // The fallback for files of no known format: whatever decodes as text is text.
  sniff: () => false,
  async load(bytes, path) {
    return { format: 'text', lines: linesOfText(decodeText(bytes, path).text), declared: {} }
  },
}

/** Markdown: like plain text; `#` headings are recognised by the paragraph parser. */
export const markdownLoader: DocumentLoader = {
  format: 'markdown',
  extensions: ['.md', '.markdown'],
  sniff: () => false,
  async load(bytes, path) {
    return { format: 'markdown', lines: linesOfText(decodeText(bytes, path).text), declared: {} }
  },
}
