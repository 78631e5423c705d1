/** The tags that fence quoted data (article passages, outline lines, notes, the conversation) in the prompts/ files. */
const FENCE_TAG = /<\s*(\/?)\s*(passages|outline|summary|notes|conversation)\b/gi

/**
 * Quoted text with every fence tag made harmless (`</passages>` becomes `＜/passages>`), so an
 * article or a chat turn cannot close the fence it sits in and go on as if it were the prompt's
 * own instructions. The model still reads the words; nothing else of the text changes.
 */
export function escapeFenceTags(text: string): string {
  return text.replace(FENCE_TAG, '＜$1$2')
}
