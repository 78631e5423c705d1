import assert from 'node:assert/strict'
import { test } from 'node:test'
import { quickSoak, runSoak } from '../../src/soak/soak.ts'

// CI's short soak: the same checks as `npm run soak` with 20 clients and 2-second load phases. It
// asserts what happened — no 5xx, one error shape, nothing lost, a clean exit — never how fast.
test('the quick soak: bad requests, mixed traffic with a healthy and a failing LLM, SIGTERM, kill -9 during ingest, unwritable and full index folders', { timeout: 240_000 }, async (context) => {
  const lines = await runSoak(quickSoak)
  for (const line of lines) context.diagnostic(`${line.pass === true ? 'pass' : line.pass === 'skip' ? 'skip' : 'FAIL'}  ${line.check}: ${line.result}`)
  assert.deepEqual(lines.filter((line) => line.pass === false).map((line) => `${line.check}: ${line.result}`), [])
  assert.ok(lines.length >= 9)
})
