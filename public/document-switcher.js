// Which document the article pane shows, when the service serves several: a labelled <select>
// of their titles, kept in step with the pane (a citation or a deep link may open another document).

import { onDocumentShown, showDocument, shownDocumentId } from './article-pane.js'
import { servedDocuments } from './served-documents.js'

/** Wires the switcher (`container` holds the <select>); call {@link fill} whenever the documents change. */
export function createDocumentSwitcher(container) {
  const select = container.querySelector('select')
  select.addEventListener('change', () => {
    if (showDocument(select.value)) document.getElementById('article-pane')?.scrollTo({ top: 0 })
  })
  onDocumentShown((docId) => {
    select.value = docId
  })
  return {
    /** Lists the served documents by title; hidden with fewer than two. */
    fill() {
      const documents = servedDocuments()
      const options = documents.map((document_) => {
        const option = document.createElement('option')
        option.value = document_.id
        option.textContent = document_.title
        return option
      })
      select.replaceChildren(...options)
      if (shownDocumentId()) select.value = shownDocumentId()
      container.hidden = documents.length < 2
    },
  }
}
