import { Router } from 'express'
import { exampleQuestionsOf } from '../../ask/example-questions.ts'
import type { ServedCiteqa } from '../../served-citeqa.ts'
import { methodNotAllowed, READ_ONLY } from '../method-not-allowed.ts'

/**
 * `GET /welcome`: what the chat page opens with — the documents served, each by the title a reader
 * knows it by (never its bare id), and example questions in Chinese and English that the service
 * answers from them (src/ask/example-questions.ts). Open like `/article`: it shows nothing `/article` does not.
 */
export function welcomeRoute(served: ServedCiteqa): Router {
  return Router()
    .get('/welcome', async (_request, response) => {
      const citeqa = served.current
      const examples = await exampleQuestionsOf(citeqa)
      response.json({
        documents: citeqa.documents.map((document) => ({
          id: document.id,
          title: citeqa.documentTitle(document.id),
          format: document.format ?? 'text',
          paragraphs: document.paragraphs.length,
          pages: document.declared?.pages ?? null,
        })),
        examples,
      })
    })
    .all('/welcome', methodNotAllowed(...READ_ONLY))
}
