import assert from 'node:assert/strict'
import { test } from 'node:test'
import { quickSoak, runSoak } from '../../tools/soak/soak.ts'

// CI's short soak: the same checks as `npm run soak` with 20 clients and 2-second load phases. It
// asserts what happened — no 5xx, one error shape, nothing lost, a clean exit — never how fast.
// Each check is its own subtest, so a check the machine cannot run (a tmpfs needs root) is reported
// as skipped, with its reason, and not as passed.
test('the quick soak: bad requests, mixed traffic with a healthy and a failing LLM, SIGTERM, kill -9 during ingest, unwritable and full index folders', { timeout: 240_000 }, async (context) => {
  const lines = await runSoak(quickSoak)
  assert.ok(lines.length >= 9, `${lines.length} checks`)
  for (const line of lines) {
    await context.test(line.check, line.pass === 'skip' ? { skip: line.result } : {}, () => {
      assert.equal(line.pass, true, line.result)
      context.diagnostic(`${line.check}: ${line.result}`)
    })
  }
})
