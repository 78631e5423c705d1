import { Router } from 'express'
import type { ServedCiteqa } from '../../served-citeqa.ts'
import { methodNotAllowed, READ_ONLY } from '../method-not-allowed.ts'

/** `GET /health`: liveness plus what answers (embedder, LLM, index). */
export function healthRoute(served: ServedCiteqa): Router {
  return Router().get('/health', (_request, response) => {
    const citeqa = served.current
    const { manifest, origin, chunks } = citeqa.index
    response.json({
      status: 'ok',
      embedder: citeqa.embedderId,
      // Which modes /ask offers: `llm` only when a provider is configured (the chat page shows its mode switch then).
      llm: citeqa.llm ? { enabled: true, model: citeqa.llm.description } : { enabled: false },
      modes: citeqa.llm ? ['llm', 'extractive'] : ['extractive'],
      documents: citeqa.documents.map((document) => ({ id: document.id, paragraphs: document.paragraphs.length, title: document.metadata.title?.value ?? null })),
      index: { chunks: chunks.length, dimensions: manifest.embedder.dimensions, formatVersion: manifest.formatVersion, builtAt: manifest.createdAt, origin, ...(citeqa.index.generation ? { store: 'postgres', generation: citeqa.index.generation } : { store: 'files' }) },
    })
  }).all('/health', methodNotAllowed(...READ_ONLY))
}
