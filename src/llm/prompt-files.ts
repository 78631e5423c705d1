import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ChatPromptTemplate } from '@langchain/core/prompts'
import { PROJECT_FOLDER } from '../project-folder.ts'

/** The folder of prompt files shipped with citeqa. */
export const PROMPTS_DIRECTORY = join(PROJECT_FOLDER, 'prompts')

type PromptRole = 'system' | 'human' | 'ai'
const SECTION_HEADING = /^## (system|human|ai)\s*$/

/**
 * Parses a prompt file: `## system`, `## human` (and `## ai`) headings, each followed by the text
 * of that message; the text is an f-string template (`{variable}`).
 */
export function parsePromptFile(text: string, source: string): ChatPromptTemplate {
  const messages: [PromptRole, string][] = []
  for (const line of text.split(/\r?\n/)) {
    const heading = SECTION_HEADING.exec(line)
    if (heading) messages.push([heading[1] as PromptRole, ''])
    else if (messages.length > 0) messages[messages.length - 1][1] += `${line}\n`
    else if (line.trim() !== '') throw new Error(`Prompts: ${source} has text before its first "## system" or "## human" heading`)
  }
  if (messages.length === 0) throw new Error(`Prompts: ${source} has no "## system" or "## human" section`)
  return ChatPromptTemplate.fromMessages(messages.map(([role, body]) => [role, body.trim()]))
}

/** Loads `<directory>/<name>.md` into a chat prompt template. */
export function loadPromptFile(name: 'answer' | 'condense' | 'overview' | 'summarize-part' | 'summarize-document', directory = PROMPTS_DIRECTORY): ChatPromptTemplate {
  const path = join(directory, `${name}.md`)
  return parsePromptFile(readFileSync(path, 'utf8'), path)
}
