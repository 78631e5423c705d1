import { CiteqaError } from '../../errors.ts'
import type { DocumentLoader } from './document-loader.ts'
import { htmlBlocksToLines } from './html-blocks.ts'

/**
 * Word documents (.docx) through mammoth, which maps Word's styles to HTML: heading styles become
 * `<h1>`–`<h6>` (headings here, so they feed the outline), numbered and bulleted paragraphs list
 * items, tables rows of cells (one text row each). Images and comments are left out.
 */
export const docxLoader: DocumentLoader = {
  format: 'docx',
  extensions: ['.docx'],
  // A zip whose first entry names a Word part: [Content_Types].xml or word/….
  sniff: (bytes) => bytes[0] === 0x50 && bytes[1] === 0x4b && /word\/|\[Content_Types\]\.xml/.test(bytes.subarray(0, 2048).toString('latin1')),
  async load(bytes, path) {
    // Loaded with the first Word file read, not at every start.
    const [{ default: mammoth }, { parseHTML }] = await Promise.all([import('mammoth'), import('linkedom')])
    const { value: html } = await mammoth.convertToHtml({ buffer: bytes }).catch((cause: unknown) => {
      throw new CiteqaError('ingest_unreadable', `Ingest: ${path} is not a readable Word document (${cause instanceof Error ? cause.message : String(cause)})`, { cause })
    })
    const lines = htmlBlocksToLines(parseHTML(`<!DOCTYPE html><html><body>${html}</body></html>`).document.body)
    return { format: 'docx', lines, declared: {} }
  },
}
