import { Router } from 'express'
import type { ServedCiteqa } from '../../served-citeqa.ts'
import { CiteqaError } from '../../errors.ts'
import type { ArticleDocument, MetadataField } from '../../ingest/types.ts'
import { documentIdAsked, documentsAsked } from '../document-query.ts'
import { methodNotAllowed, READ_ONLY } from '../method-not-allowed.ts'

/** Title, author, source and date as `{value, paragraph, start, end}` (citable spans), `null` when the text does not say. */
function documentFacts({ metadata }: ArticleDocument) {
  const fact = (field?: MetadataField) => (field ? { value: field.value, paragraph: field.paragraph, start: field.start, end: field.end } : null)
  return { title: fact(metadata.title), author: fact(metadata.author), source: fact(metadata.source), date: fact(metadata.date) }
}

/** `GET /article` and `GET /passages/:paragraph`: the text readers check citations against. */
export function articleRoutes(served: ServedCiteqa): Router {
  const router = Router()

  router.get('/article', (request, response) => {
    const documents = documentsAsked(served.current, request, 'Article')
    response.json({
      documents: documents.map((document) => ({
        id: document.id,
        ...documentFacts(document),
        paragraphs: document.paragraphs.map(({ number, text, section, kind }) => ({ number, text, section, kind })),
      })),
    })
  })

  router.get('/passages/:paragraph', (request, response) => {
    const doc = documentIdAsked(request)
    const raw = String(request.params.paragraph)
    if (!/^\d{1,6}$/.test(raw)) throw new CiteqaError('invalid_paragraph', `Passages: paragraph must be a positive whole number, got "${raw}"`, { status: 400 })
    const citeqa = served.current
    const paragraph = citeqa.paragraph(Number(raw), doc)
    const count = citeqa.paragraphs(paragraph.docId).length
    response.json({
      docId: paragraph.docId,
      paragraph: paragraph.number,
      section: paragraph.section,
      kind: paragraph.kind,
      text: paragraph.text,
      previous: paragraph.number > 1 ? paragraph.number - 1 : null,
      next: paragraph.number < count ? paragraph.number + 1 : null,
    })
  })

  router.all('/article', methodNotAllowed(...READ_ONLY))
  router.all('/passages/:paragraph', methodNotAllowed(...READ_ONLY))
  return router
}
