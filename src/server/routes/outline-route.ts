import { Router } from 'express'
import type { ServedCiteqa } from '../../served-citeqa.ts'
import type { DocumentOutline, OutlineSpan } from '../../ingest/document-outline.ts'
import { documentsAsked } from '../document-query.ts'
import { methodNotAllowed, READ_ONLY } from '../method-not-allowed.ts'

function span({ text, paragraph, start, end }: OutlineSpan) {
  return { text, paragraph, start, end }
}

/** An outline as the API shows it: every part a citable span `{text, paragraph, start, end}`. */
export function outlineBody(outline: DocumentOutline) {
  return {
    id: outline.docId,
    // The document's title line, or (`from: "thesis"`) the thesis clause that names its parts; null when neither.
    title: outline.title ? { ...span(outline.title), from: outline.title.from } : null,
    thesis: outline.thesis.map(span),
    announces: outline.announces,
    sections: outline.sections.map((section) => ({
      title: section.title,
      paragraph: section.heading.paragraph,
      paragraphs: { first: section.firstParagraph, last: section.lastParagraph },
      heading: span(section.heading),
      lead: section.lead ? span(section.lead) : null,
      items: section.items.map((item) => ({ title: item.title, paragraph: item.sentence.paragraph, sentence: span(item.sentence) })),
    })),
  }
}

/** `GET /outline`: each document's title, thesis, top-level sections and their numbered items (`?doc=<id>` for one). */
export function outlineRoute(served: ServedCiteqa): Router {
  return Router()
    .get('/outline', (request, response) => {
      const citeqa = served.current
      const documents = documentsAsked(citeqa, request, 'Outline')
      response.json({ documents: documents.map((document) => outlineBody(citeqa.outline(document.id))) })
    })
    .all('/outline', methodNotAllowed(...READ_ONLY))
}
