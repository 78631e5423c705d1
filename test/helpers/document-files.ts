import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import JSZip from 'jszip'

export const CHROMIUM = '/usr/bin/chromium'
export const hasChromium = existsSync(CHROMIUM)

/** Prints an HTML file to PDF with headless Chromium (Debian's package), as a user's browser would. */
export async function printToPdf(htmlPath: string, pdfPath: string): Promise<void> {
  await promisify(execFile)(CHROMIUM, ['--headless', '--no-sandbox', '--disable-gpu', '--no-pdf-header-footer', `--print-to-pdf=${pdfPath}`, htmlPath], { timeout: 120_000 })
}

/** A PDF page with a drawn square and no text: what a scan looks like to a text extractor. */
export const PDF_WITHOUT_TEXT = `%PDF-1.4
1 0 obj <</Type/Catalog/Pages 2 0 R>> endobj
2 0 obj <</Type/Pages/Kids[3 0 R]/Count 1>> endobj
3 0 obj <</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R>> endobj
4 0 obj <</Length 29>> stream
0 0 1 rg 100 100 200 200 re f
endstream endobj
trailer <</Root 1 0 R>>
%%EOF
`

/** One paragraph of a Word document: a heading (level 1–6), a numbered list item, a table row, or body text. */
export type WordBlock = { heading: number; text: string } | { item: string } | { row: string[] } | { text: string }

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
const run = (text: string) => `<w:r><w:t xml:space="preserve">${escapeXml(text)}</w:t></w:r>`
const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'

/**
 * A minimal .docx as Word writes it: heading styles named `Heading n` in styles.xml, list items
 * numbered through numbering.xml, tables as w:tbl; zipped with JSZip.
 */
export async function writeDocx(path: string, blocks: WordBlock[]): Promise<void> {
  const body = blocks
    .map((block) => {
      if ('heading' in block) return `<w:p><w:pPr><w:pStyle w:val="Heading${block.heading}"/></w:pPr>${run(block.text)}</w:p>`
      if ('item' in block) return `<w:p><w:pPr><w:pStyle w:val="ListParagraph"/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>${run(block.item)}</w:p>`
      if ('row' in block) return `<w:tbl><w:tr>${block.row.map((cell) => `<w:tc><w:p>${run(cell)}</w:p></w:tc>`).join('')}</w:tr></w:tbl>`
      return `<w:p>${run(block.text)}</w:p>`
    })
    .join('')
  const headingStyles = [1, 2, 3].map((level) => `<w:style w:type="paragraph" w:styleId="Heading${level}"><w:name w:val="heading ${level}"/></w:style>`).join('')
  const zip = new JSZip()
  zip.file(
    '[Content_Types].xml',
    `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/></Types>`,
  )
  zip.file('_rels/.rels', `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`)
  zip.file(
    'word/_rels/document.xml.rels',
    `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/></Relationships>`,
  )
  zip.file('word/styles.xml', `<?xml version="1.0" encoding="UTF-8"?><w:styles ${W}>${headingStyles}<w:style w:type="paragraph" w:styleId="ListParagraph"><w:name w:val="List Paragraph"/></w:style></w:styles>`)
  zip.file(
    'word/numbering.xml',
    `<?xml version="1.0" encoding="UTF-8"?><w:numbering ${W}><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>`,
  )
  zip.file('word/document.xml', `<?xml version="1.0" encoding="UTF-8"?><w:document ${W}><w:body>${body}</w:body></w:document>`)
  await writeFile(path, await zip.generateAsync({ type: 'nodebuffer' }))
}

/** A short report in Chinese over two printed pages (a page break before its second half), with a fact on each page to ask about. */
export const TWO_PAGE_REPORT = {
  title: '青山湖水库年报',
  html: `<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>青山湖水库年报</title>
<style>body { font-family: "Noto Sans CJK SC", sans-serif; font-size: 14px; line-height: 1.6 } p { margin: 0 0 .6em } .next-page { break-before: page }</style></head><body>
<h1>青山湖水库年报</h1>
<p>青山湖水库位于赤壁市北部，总库容一千二百万立方米，灌溉农田八千亩。</p>
<p>水库管理所共有职工二十六人，负责大坝巡查和闸门调度。</p>
<div class="next-page"></div>
<p>二〇二一年汛期，青山湖水库最高水位达到五十八点六米，比警戒水位低一点四米。</p>
<p>全年共开展大坝安全检查四十二次，整改隐患九处。</p>
</body></html>
`,
  /** Answered from the second page. */
  secondPageQuestion: '青山湖水库全年开展了多少次大坝安全检查?',
  secondPageAnswer: /四十二次/,
  /** Answered from the first page. */
  firstPageQuestion: '青山湖水库灌溉农田多少亩?',
  firstPageAnswer: /八千亩/,
}

/** {@link TWO_PAGE_REPORT} printed by Chromium to `folder/<name>`; returns the PDF's path. */
export async function printTwoPageReport(folder: string, name = 'reservoir.pdf'): Promise<string> {
  const htmlPath = join(folder, `${name}.html`)
  const pdfPath = join(folder, name)
  await writeFile(htmlPath, TWO_PAGE_REPORT.html)
  await printToPdf(htmlPath, pdfPath)
  return pdfPath
}
