// The documents the service serves, by id, with the title a reader knows each by and example
// questions made from them (GET /welcome). The article pane, its switcher, the welcome and the
// citations name documents through this, never by their ids.

let documents = []
let examples = { zh: [], en: [] }
let loaded = false

/** Fetches `/welcome`; on failure (an old service, a network error) keeps what it had and returns false. */
export async function loadServedDocuments() {
  try {
    const response = await fetch('/welcome')
    if (!response.ok) return false
    const body = await response.json()
    documents = Array.isArray(body.documents) ? body.documents : []
    examples = { zh: body.examples?.zh ?? [], en: body.examples?.en ?? [] }
    loaded = true
    return true
  } catch {
    return false
  }
}

/** Whether `/welcome` answered once: without it the page falls back to its generic wording. */
export function servedDocumentsKnown() {
  return loaded
}

/** `[{id, title, format, paragraphs, pages}]` in the service's order. */
export function servedDocuments() {
  return documents
}

/** A document's title; `undefined` when the page does not know the document (its title is then left out, not replaced by the id). */
export function documentTitle(docId) {
  return documents.find((document) => document.id === docId)?.title
}

/** The example questions for the interface language. */
export function exampleQuestions(language) {
  return examples[language] ?? []
}
