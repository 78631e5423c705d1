import type { QuestionTerm } from './question-terms.ts'

/**
 * Where a run of words no text holds sits in the question's frame: 对[干活偷懒拖拉]的干部 has the
 * frame 对 … 的 … 干部 around the slot. A sentence with the same frame around other words (对不作为、
 * 慢作为、乱作为及慵懒散软的党员干部) says of its slot what the question says of its own: the words
 * in it are likely the asker's for the text's.
 */
export interface SlotFrame {
  /** The question's character just before the slot (对). */
  before: string
  /** What joins the slot to the word after it (的), possibly nothing. */
  link: string
  /** The word after the slot, which the texts hold (干部). */
  after: string
}

// Longest slot a sentence may fill, in characters, and how far its frame's word may stand after the link (的党员干部).
const SLOT_CHARACTERS = 40
const BETWEEN_LINK_AND_WORD = 3
// At most this many characters join the slot to the word after it (的, 之).
const LINK_CHARACTERS = 1

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/**
 * Per term, the frame of the slot it sits in, or undefined: only a Chinese word no text holds, in
 * a run of such words with a Chinese character before it and, after it, a word the texts hold.
 */
export function slotFramesOf(question: string, terms: QuestionTerm[]): (SlotFrame | undefined)[] {
  const normalized = question.normalize('NFKC').toLowerCase()
  // Each term's place in the question, in order (undefined where it is not written as such: a translation).
  let cursor = 0
  const places = terms.map((term) => {
    const start = normalized.indexOf(term.word, cursor)
    if (start === -1) return undefined
    cursor = start + term.word.length
    return { start, end: cursor }
  })
  const frames: (SlotFrame | undefined)[] = terms.map(() => undefined)
  const missing = (index: number) => !terms[index].inCorpus && /^\p{Script=Han}+$/u.test(terms[index].word) && places[index] !== undefined
  for (let first = 0; first < terms.length; first++) {
    if (!missing(first) || (first > 0 && missing(first - 1) && places[first - 1]!.end === places[first]!.start)) continue
    let last = first
    while (last + 1 < terms.length && missing(last + 1) && places[last + 1]!.start === places[last]!.end) last++
    const next = terms[last + 1]
    const nextPlace = places[last + 1]
    const start = places[first]!.start
    const end = places[last]!.end
    if (!next?.inCorpus || nextPlace === undefined || start === 0 || nextPlace.start - end > LINK_CHARACTERS) continue
    const before = normalized[start - 1]
    if (!/\p{Script=Han}/u.test(before)) continue
    const frame = { before, link: normalized.slice(end, nextPlace.start), after: next.word }
    for (let index = first; index <= last; index++) frames[index] = frame
  }
  return frames
}

// Each frame's pattern, made once: a question's frames are tried on every candidate sentence.
const patterns = new WeakMap<SlotFrame, RegExp>()

/** Whether a text holds the frame around a slot of its own: 对 + 2–40 characters + 的 + the word (up to 3 characters after). */
export function fillsSlot(text: string, frame: SlotFrame): boolean {
  let pattern = patterns.get(frame)
  if (!pattern) {
    pattern = new RegExp(`${escape(frame.before)}[^。；;！？!?]{2,${SLOT_CHARACTERS}}${escape(frame.link)}\\p{Script=Han}{0,${BETWEEN_LINK_AND_WORD}}${escape(frame.after)}`, 'u')
    patterns.set(frame, pattern)
  }
  return pattern.test(text)
}
