// On a phone the article stands below the chat, so following a citation scrolls the page far from
// the conversation. While the question box is out of sight, a "back to the conversation" button
// floats at the bottom of the screen; one tap returns to the place the reader left (the citation
// they followed, its answer in view) with the question box at hand. On wide screens the panes
// scroll on their own, the question box never leaves the screen and the button never shows.

/**
 * Wires `button` to `questionBox` (the ask form). Returns `rememberPlace(element)`, to call just
 * before a jump away from the conversation: the button then comes back to this scroll position and
 * gives `element` (the chip that was followed) the focus.
 */
export function createConversationReturn(button, questionBox) {
  let place = null

  new IntersectionObserver(([entry]) => {
    button.hidden = entry.isIntersecting
    // Back in the conversation by any road: the remembered place is spent.
    if (entry.isIntersecting) place = null
  }).observe(questionBox)

  // The form stays at the foot of the screen while the conversation scrolls (sticky, see styles.css):
  // scrolling an answer into view keeps its end clear of the form.
  new ResizeObserver(() => {
    document.documentElement.style.setProperty('--ask-form-height', `${questionBox.offsetHeight}px`)
  }).observe(questionBox)

  button.addEventListener('click', () => {
    if (place) {
      window.scrollTo({ top: place.top, behavior: 'instant' })
      place.element?.focus({ preventScroll: true })
    } else {
      questionBox.scrollIntoView({ block: 'end', behavior: 'instant' })
    }
  })

  return function rememberPlace(element) {
    place = { top: window.scrollY, element }
  }
}
