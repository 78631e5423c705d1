import 'dotenv/config'
import { createCiteqa } from '../citeqa.ts'
import { parseConfig } from '../config.ts'
import { DocumentLibrary, loadServedDocuments, type DocumentEntry } from '../documents/document-library.ts'
import { exitOnFailure } from '../exit-on-failure.ts'
import { createCliLogger } from '../logger.ts'
import { ServedCiteqa } from '../served-citeqa.ts'
import { parseCommandLine } from './command-line.ts'

const USAGE = `Usage: npm run documents -- list [--json]
       npm run documents -- remove ID

What GET /documents and DELETE /documents/:id do, on the files and the index on disk:

  list        the documents served: ARTICLE_PATH's, then those added through POST /documents
              (kept in DOCUMENTS_DIR), each with its id, title, format, pages, size and paragraphs
  remove ID   removes a document added through the API: the index (INDEX_DIR) is written
              without it, then its file is deleted. ARTICLE_PATH's documents are removed there.
  --json      list: print the API's JSON body instead
  --help      this text

A running service keeps serving what it has loaded until it restarts: remove a document from a
running service with DELETE /documents/:id, which changes both at once.`

const COMMANDS = ['list', 'remove'] as const

const { values, positionals } = parseCommandLine('documents', USAGE, { allowPositionals: true, options: { json: { type: 'boolean', default: false } } })
const [command, id, ...extra] = positionals
const usageError = (problem: string) => {
  process.stderr.write(`documents: ${problem}\n\n${USAGE}\n`)
  process.exit(2)
}
if (!COMMANDS.includes(command as (typeof COMMANDS)[number])) usageError(command === undefined ? 'say what to do: list or remove ID' : `unknown command "${command}" (commands: ${COMMANDS.join(', ')})`)
if (command === 'list' && id !== undefined) usageError('list takes no id')
if (command === 'remove' && id === undefined) usageError('remove needs the id of the document (npm run documents -- list shows them)')
if (extra.length > 0) usageError(`one id at a time (got ${[id, ...extra].join(', ')})`)
if (command === 'remove' && values.json) usageError('--json is for list')

exitOnFailure('npm run documents')
const config = parseConfig()
const logger = createCliLogger(config)
// The documents and index the service serves, through the library DELETE /documents uses. A running service's staged uploads are left alone.
const { documents, files, uploaded } = await loadServedDocuments(config, {
  onSkipped: ({ path, reason }) => process.stderr.write(`Skipped ${path}: ${reason}\n`),
  removeLeftovers: false,
})
const served = new ServedCiteqa(await createCiteqa(config, { logger, documents }))
const library = new DocumentLibrary(config, served, files, uploaded, logger)

const kilobytes = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`

/** One line a document: id, title, then what it is and where it came from. */
function describe(entry: DocumentEntry): string {
  const facts = [entry.format, entry.pages === null ? undefined : `${entry.pages} pages`, `${entry.paragraphs} paragraphs`, kilobytes(entry.size), entry.addedAt ? `added ${entry.addedAt}` : undefined]
  const origin = entry.removable ? 'uploaded' : `ARTICLE_PATH (${config.ARTICLE_PATH}): not removable here`
  return `${entry.id}\t${entry.title}\t${facts.filter(Boolean).join(', ')}; ${origin}`
}

if (command === 'list') {
  const entries = library.list()
  if (values.json) console.log(JSON.stringify({ documents: entries }, null, 2))
  else for (const entry of entries) console.log(describe(entry))
} else {
  const removed = await library.remove(id!.normalize('NFC'))
  console.log(`Removed ${removed.id} (${removed.title}): the index (INDEX_DIR=${config.INDEX_DIR}) no longer holds it and its file is deleted; ${served.current.documents.length} document(s) left.`)
}
