import type { Request } from 'express'
import { z } from 'zod'
import type { Citeqa } from '../citeqa.ts'
import { CiteqaError } from '../errors.ts'
import type { ArticleDocument } from '../ingest/types.ts'

const documentQuery = z.object({ doc: z.string().min(1, 'doc must not be empty').optional() })

/** The `?doc=<id>` of a request, when it names one. */
export function documentIdAsked(request: Request): string | undefined {
  return documentQuery.parse(request.query).doc
}

/**
 * The documents a `?doc=<id>` asks for: that one, or all of them when it names none. An unknown id
 * is a 404 whose message names the route's component (`Outline: unknown document "nope" …`).
 */
export function documentsAsked(citeqa: Citeqa, request: Request, component: string): ArticleDocument[] {
  const doc = documentIdAsked(request)
  if (doc === undefined) return citeqa.documents
  const document = citeqa.documents.find((candidate) => candidate.id === doc)
  if (!document) {
    throw new CiteqaError('unknown_document', `${component}: unknown document "${doc}" (documents: ${citeqa.documents.map((known) => known.id).join(', ')})`, { status: 404 })
  }
  return [document]
}
