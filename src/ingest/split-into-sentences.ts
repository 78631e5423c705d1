import type { SentenceSpan } from './types.ts'

// A sentence ends at 。！？； (or their ASCII forms) plus any closing quotes or brackets after it.
// ASCII '.' only ends a sentence before a space or the end, so 6.5公里 and 4.2亿元 stay whole.
const SENTENCE_END = /[。！？；!?;]+[”’」』）)\]]*|\.(?=\s|$)[”’」』）)\]]*/g
// Asides and titles: a sentence does not end inside them (《卡拉OK.LIVE！‧台北‧我》 is one title).
const OPENING = new Set(['(', '（', '【', '[', '《', '「', '『'])
const CLOSING = new Set([')', '）', '】', ']', '》', '」', '』'])
// A bracket left open this long is a stray character, not a parenthesis: splitting resumes.
const LONGEST_PARENTHESIS = 120

/** For each offset, whether it lies inside a closed bracket pair: （学名：'；毛利语：kahikatea） is one aside. */
function insideBrackets(paragraph: string): boolean[] {
  const inside = new Array<boolean>(paragraph.length).fill(false)
  const openings: number[] = []
  for (let index = 0; index < paragraph.length; index++) {
    const character = paragraph[index]
    if (OPENING.has(character)) openings.push(index)
    else if (CLOSING.has(character) && openings.length > 0) {
      const opened = openings.pop()!
      if (index - opened <= LONGEST_PARENTHESIS) inside.fill(true, opened + 1, index)
    }
  }
  return inside
}

// An ASCII point after an initial or a title (S.G. Tallentyre, Dr. Apgar, St. John) abbreviates; it ends nothing.
const ABBREVIATION_BEFORE_POINT = /(?:^|[^A-Za-z])(?:[A-Za-z]|Dr|Mr|Mrs|Ms|St|No|Prof|Jr|Sr|vs|etc|Inc|Ltd|Co|Mt)$/

function isAbbreviationPoint(paragraph: string, index: number): boolean {
  return paragraph[index] === '.' && ABBREVIATION_BEFORE_POINT.test(paragraph.slice(Math.max(0, index - 6), index))
}

/** Splits a paragraph into sentences, keeping each one's offsets; no text is lost or reordered. */
export function splitIntoSentences(paragraph: string): SentenceSpan[] {
  const sentences: SentenceSpan[] = []
  const inside = insideBrackets(paragraph)
  let start = 0
  const push = (end: number) => {
    // Leading whitespace belongs to no sentence; trimming keeps the offsets exact.
    while (start < end && /\s/.test(paragraph[start])) start++
    if (end > start) sentences.push({ text: paragraph.slice(start, end), start, end })
    start = end
  }
  for (const match of paragraph.matchAll(SENTENCE_END)) {
    if (inside[match.index] || isAbbreviationPoint(paragraph, match.index)) continue
    push(match.index + match[0].length)
  }
  push(paragraph.trimEnd().length)
  return sentences
}
