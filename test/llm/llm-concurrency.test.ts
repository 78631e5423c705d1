import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import { after, before, describe, test } from 'node:test'
import fc from 'fast-check'
import { CiteqaError } from '../../src/errors.ts'
import { defaultHistoryBudget, trimHistory } from '../../src/llm/history-budget.ts'
import { LlmConcurrencyLimit } from '../../src/llm/llm-concurrency.ts'
import { startScriptedOpenAIServer, type ScriptedOpenAIServer } from '../fixtures/scripted-openai-server.ts'
import { postJson, startApp, temporaryIndexDirectory, type RunningApp } from './test-app.ts'

describe('LlmConcurrencyLimit', () => {
  test('gives slots up to the limit, then the first waiter gets the next one freed', async () => {
    const limit = new LlmConcurrencyLimit(2, 1000)
    const first = await limit.acquire()
    await limit.acquire()
    assert.equal(limit.active, 2)
    const order: string[] = []
    const third = limit.acquire().then((release) => (order.push('third'), release))
    const fourth = limit.acquire().then((release) => (order.push('fourth'), release))
    assert.equal(limit.waiting, 2)
    first()
    first() // twice is once
    ;(await third)()
    ;(await fourth)()
    assert.deepEqual(order, ['third', 'fourth'])
    assert.equal(limit.active, 1)
    assert.equal(limit.waiting, 0)
  })

  test('a wait longer than the bound is llm_busy (not retryable); 0 never waits', async () => {
    const limit = new LlmConcurrencyLimit(1, 30)
    await limit.acquire()
    const started = Date.now()
    await assert.rejects(limit.acquire(), (error: CiteqaError) => error.code === 'llm_busy' && !error.retryable && /1 calls are in use/.test(error.message))
    assert.ok(Date.now() - started >= 25)
    assert.equal(limit.waiting, 0)
    const neverWaits = new LlmConcurrencyLimit(1, 0)
    await neverWaits.acquire()
    await assert.rejects(neverWaits.acquire(), (error: CiteqaError) => error.code === 'llm_busy')
  })

  test('a caller that gives up leaves the queue, and its slot is not lost', async () => {
    const limit = new LlmConcurrencyLimit(1, 1000)
    const release = await limit.acquire()
    const controller = new AbortController()
    const waiting = limit.acquire(controller.signal)
    controller.abort(new Error('client gone'))
    await assert.rejects(waiting, /client gone/)
    assert.equal(limit.waiting, 0)
    release()
    assert.equal(limit.active, 0)
    ;(await limit.acquire())()
  })

  test('property: never more than the limit at once, and every caller is served or told busy', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 4 }), fc.array(fc.integer({ min: 0, max: 8 }), { minLength: 1, maxLength: 25 }), async (max, holdTimes) => {
        const limit = new LlmConcurrencyLimit(max, 5)
        let running = 0
        let peak = 0
        const outcomes = await Promise.all(
          holdTimes.map(async (hold) => {
            let release
            try {
              release = await limit.acquire()
            } catch (error) {
              return (error as CiteqaError).code
            }
            running++
            peak = Math.max(peak, running)
            await sleep(hold)
            running--
            release()
            return 'served'
          }),
        )
        assert.ok(peak <= max, `peak ${peak} > ${max}`)
        assert.ok(outcomes.every((outcome) => outcome === 'served' || outcome === 'llm_busy'))
        assert.ok(outcomes.filter((outcome) => outcome === 'served').length >= Math.min(max, holdTimes.length))
        assert.equal(limit.active, 0)
        assert.equal(limit.waiting, 0)
      }),
      { numRuns: 40 },
    )
  })
})

describe('history sent to the model', () => {
  const turn = (role: 'user' | 'assistant', content: string) => ({ role, content })

  test('keeps the latest turns within the turn and character caps, cutting the oldest kept one', () => {
    const history = Array.from({ length: 10 }, (_, index) => turn(index % 2 ? 'assistant' : 'user', `第${index}轮`.padEnd(100, '字')))
    assert.deepEqual(trimHistory(history, { maxTurns: 4, maxCharacters: 10_000 }), history.slice(-4))
    const cut = trimHistory(history, { maxTurns: 4, maxCharacters: 250 })
    assert.equal(cut.length, 3)
    assert.deepEqual(cut.slice(1), history.slice(-2))
    assert.equal([...cut[0].content].length, 50)
    assert.match(cut[0].content, /^第7轮字+…$/)
    assert.deepEqual(trimHistory(history, { maxTurns: 0, maxCharacters: 1000 }), [])
    assert.deepEqual(defaultHistoryBudget, { maxTurns: 6, maxCharacters: 4000 })
  })

  test('property: never more turns or characters than the budget, always the newest', () => {
    const turns = fc.array(fc.record({ role: fc.constantFrom('user' as const, 'assistant' as const), content: fc.string({ maxLength: 300 }) }), { maxLength: 25 })
    fc.assert(
      fc.property(turns, fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 2000 }), (history, maxTurns, maxCharacters) => {
        const kept = trimHistory(history, { maxTurns, maxCharacters })
        assert.ok(kept.length <= maxTurns)
        const characters = kept.reduce((sum, kept) => sum + [...kept.content].length, 0)
        assert.ok(characters <= Math.max(maxCharacters, kept.length ? 1 : 0), `${characters} > ${maxCharacters}`)
        // All but the oldest kept turn are the newest turns, whole.
        assert.deepEqual(kept.slice(1), history.slice(history.length - kept.length + 1))
      }),
    )
  })
})

describe('the service under LLM_MAX_CONCURRENCY', () => {
  const QUESTION = '乡镇党委书记要强化哪两个责任？'
  let llm: ScriptedOpenAIServer
  let app: RunningApp

  before(async () => {
    llm = await startScriptedOpenAIServer()
    app = await startApp(temporaryIndexDirectory(), {
      LLM_PROVIDER: 'openai', LLM_BASE_URL: llm.baseUrl, LLM_MODEL: 'scripted', LLM_TIMEOUT_MS: '5000', LLM_MAX_RETRIES: '0',
      LLM_MAX_CONCURRENCY: '1', LLM_MAX_WAIT_MS: '150', LLM_HISTORY_MAX_TURNS: '2', LLM_HISTORY_MAX_CHARACTERS: '300',
    })
  })
  after(async () => {
    await app.close()
    await llm.close()
  })

  test('a request that would wait past the bound answers extractively, degraded llm_busy, and never reaches the model', async () => {
    llm.script({ kind: 'answer', content: '乡镇党委书记要强化抓班子、带队伍的责任。[1]', delayMs: 800 })
    const requestsBefore = llm.requests.length
    const slow = postJson(`${app.url}/ask`, { question: QUESTION, mode: 'llm' })
    // The slow request holds the only slot once the model has it.
    await llm.whenReceived(requestsBefore + 1)
    const [busyJson, busyStream] = await Promise.all([
      postJson(`${app.url}/ask`, { question: QUESTION, mode: 'llm' }),
      postJson(`${app.url}/v1/chat/completions`, { model: 'citeqa-llm', messages: [{ role: 'user', content: QUESTION }] }),
    ])
    const busy = await busyJson.json()
    assert.equal(busyJson.status, 200)
    assert.equal(busy.degraded, true)
    assert.match(busy.reason, /^llm_busy: LLM: all 1 calls are in use and none finished within 150 ms/)
    assert.equal(busy.mode, 'extractive')
    assert.equal(busy.answerable, true)
    const completion = await busyStream.json()
    assert.equal(completion.citeqa.degraded, true)
    assert.match(completion.citeqa.reason, /^llm_busy/)
    const answered = await (await slow).json()
    assert.equal(answered.mode, 'llm')
    assert.equal(llm.requests.length - requestsBefore, 1, 'only the first request reached the model')
  })

  test('a follow-up sends at most LLM_HISTORY_MAX_TURNS turns and LLM_HISTORY_MAX_CHARACTERS characters to the model', async () => {
    const history = Array.from({ length: 20 }, (_, index) => ({ role: index % 2 ? ('assistant' as const) : ('user' as const), content: `turn${index} `.padEnd(1000, '长') }))
    llm.script({ kind: 'answer', content: QUESTION }, { kind: 'answer', content: '乡镇党委书记要强化抓班子、带队伍的责任。[1]' })
    const requestsBefore = llm.requests.length
    // An elliptical follow-up (它 points back): the only kind condensed with the conversation.
    const response = await postJson(`${app.url}/ask`, { question: '它具体是什么？', mode: 'llm', history })
    assert.equal(response.status, 200)
    assert.equal(llm.requests.length - requestsBefore, 2, 'the condense call, then the answer')
    const condense = llm.requests[requestsBefore].body.messages.map((message) => message.content).join('\n')
    const conversation = /<conversation>\n([\s\S]*)\n<\/conversation>/.exec(condense)?.[1] ?? ''
    assert.match(conversation, /turn19/)
    assert.doesNotMatch(conversation, /turn17/, 'older turns are dropped')
    assert.ok(conversation.length <= 300 + 40, `${conversation.length} characters of conversation`)
  })

  test('a complete question with the same long history sends no conversation to the model', async () => {
    const history = Array.from({ length: 20 }, (_, index) => ({ role: index % 2 ? ('assistant' as const) : ('user' as const), content: `turn${index} `.padEnd(1000, '长') }))
    llm.script({ kind: 'answer', content: '乡镇党委书记要强化抓班子、带队伍的责任。[1]' })
    const requestsBefore = llm.requests.length
    const response = await postJson(`${app.url}/ask`, { question: QUESTION, mode: 'llm', history })
    assert.equal(response.status, 200)
    const result = await response.json()
    assert.equal(llm.requests.length - requestsBefore, 1, 'no condense call, only the answer')
    assert.doesNotMatch(llm.requests[requestsBefore].body.messages.map((message) => message.content).join('\n'), /turn\d+|<conversation>/)
    assert.equal(result.standaloneQuestion, QUESTION)
    assert.equal(result.mode, 'llm')
  })
})
