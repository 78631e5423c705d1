import { join } from 'node:path'
import express, { Router, type Response } from 'express'
import { PROJECT_FOLDER } from '../../project-folder.ts'

/** The chat page's files: plain ES modules and CSS, served as they are (no build step). */
export const PAGE_DIRECTORY = join(PROJECT_FOLDER, 'public')

// Defence in depth beside the page's text-only rendering: no inline or foreign script can run,
// and nothing is fetched from outside the service.
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ')

function setSecurityHeaders(response: Response): void {
  response.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY)
  response.setHeader('X-Content-Type-Options', 'nosniff')
  response.setHeader('Referrer-Policy', 'no-referrer')
}

/** `GET /` (the chat page) and its scripts and styles from `public/`. */
export function pageRoutes(directory = PAGE_DIRECTORY): Router {
  const router = Router()
  // Pages are small and change with the code; revalidate rather than cache stale modules.
  router.use(express.static(directory, { index: 'index.html', maxAge: 0, setHeaders: setSecurityHeaders }))
  return router
}
