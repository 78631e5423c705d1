import { Router } from 'express'
import type { Citeqa } from '../../citeqa.ts'

/** `GET /health`: liveness plus what answers (embedder, index). */
export function healthRoute(citeqa: Citeqa): Router {
  return Router().get('/health', (_request, response) => {
    const { manifest, origin, chunks } = citeqa.index
    response.json({
      status: 'ok',
      embedder: citeqa.embedderId,
      documents: citeqa.documents.map((document) => ({ id: document.id, paragraphs: document.paragraphs.length })),
      index: { chunks: chunks.length, dimensions: manifest.embedder.dimensions, formatVersion: manifest.formatVersion, builtAt: manifest.createdAt, origin },
    })
  })
}
