import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { createCiteqa } from '../../src/citeqa.ts'
import { parseConfig } from '../../src/config.ts'
import type { Logger } from '../../src/logger.ts'

test('an index folder that cannot be written: the service is built in memory, answers, and says so in one warning', async () => {
  const scratch = mkdtempSync(join(tmpdir(), 'citeqa-unwritable-'))
  // A file where the folder's parent should be: every write fails (ENOTDIR), for root too.
  writeFileSync(join(scratch, 'a-file'), 'not a folder')
  const warnings: { object: object | string; message?: string }[] = []
  const logger: Logger = { info() {}, error() {}, warn: (object, message) => warnings.push({ object, message }) }
  const citeqa = await createCiteqa(parseConfig({ EMBEDDINGS: 'offline', INDEX_DIR: join(scratch, 'a-file', 'index') }), { logger })
  assert.equal(citeqa.index.origin, 'built')
  assert.match(citeqa.index.unsaved ?? '', /could not save the index in .*a-file\/index \(ENOTDIR\)/)
  assert.equal(warnings.length, 1)
  assert.match(String(warnings[0].message), /^Index: could not save the index .*ENOTDIR.*serving it from memory/)
  const passages = await citeqa.retrieve('维修了多少公里沟渠?')
  assert.match(citeqa.answerExtractively('维修了多少公里沟渠?', passages).answer, /7公里/)
})
