import { seededRandom } from '../../src/seeded-random.ts'
import { passagesInPrompt, type ChatCompletionRequest, type ScriptedReply } from '../../test/fixtures/scripted-openai-server.ts'

/**
 * What a well-behaved model says: a condense prompt gets the previous question back, an answer or outline
 * prompt gets the first sentence of its line [1], cited — text the verification will find.
 */
export function goodReply(body: ChatCompletionRequest, delayMs = 0): ScriptedReply {
  const prompt = body.messages.at(-1)?.content ?? ''
  const followUp = /Follow-up question: (.*)/.exec(prompt)?.[1]
  if (followUp) {
    // The standalone question: the conversation's last user turn, which the follow-up points back to.
    const previous = [...prompt.matchAll(/^User: (.*)$/gm)].at(-1)?.[1]
    return { kind: 'answer', content: previous ?? followUp, delayMs }
  }
  const first = passagesInPrompt(body).get(1)
  if (!first) return { kind: 'answer', content: '文章中没有提到这个问题的答案。', delayMs }
  return { kind: 'answer', content: `${first.split(/[。；;]/)[0]}。[1]`, delayMs, chunkSize: 8 }
}

export type FaultKind = 'http_500' | 'http_429' | 'malformed' | 'hang' | 'cut'

/** Faults by their share of all calls; the rest are answered well. Half the calls fail. */
const FAULT_SHARES: [FaultKind, number][] = [
  ['http_500', 0.15],
  ['http_429', 0.1],
  ['malformed', 0.05],
  ['hang', 0.1],
  ['cut', 0.1],
]

/** A model that fails half its calls — 5xx, 429, malformed JSON, hangs past the timeout, streams cut mid-way — and counts what it did. */
export function faultyModel(seed = 9) {
  const random = seededRandom(seed)
  const injected: Record<FaultKind | 'good', number> = { good: 0, http_500: 0, http_429: 0, malformed: 0, hang: 0, cut: 0 }
  const reply = (body: ChatCompletionRequest): ScriptedReply => {
    let draw = random()
    for (const [kind, share] of FAULT_SHARES) {
      if (draw < share) {
        injected[kind]++
        switch (kind) {
          case 'http_500':
            return { kind: 'status', status: 500 }
          case 'http_429':
            return { kind: 'status', status: 429, headers: { 'retry-after': '0' } }
          case 'malformed':
            return { kind: 'malformed' }
          case 'hang':
            return { kind: 'hang' }
          case 'cut':
            return { kind: 'cut', content: '乡镇党委书记要强化两个责任,即抓班子带队伍的责任', chunks: 2 }
        }
      }
      draw -= share
    }
    injected.good++
    return goodReply(body, 10 + Math.floor(random() * 30))
  }
  return { reply, injected }
}
