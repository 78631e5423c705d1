import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createOfflineCiteqa } from '../helpers/offline-citeqa.ts'

test('a question matching no word or pair of the article still finds the passages sharing most of its characters', async () => {
  const citeqa = await createOfflineCiteqa()
  // 捕鱼船, 拆, 艘: no word or character pair of the article; 湖, 拆, 船 are its characters (西凉湖…拆除围网养殖4万亩、渔船990条).
  const passages = await citeqa.retrieve('湖里的捕鱼船拆了多少艘?', 5)
  assert.ok(passages.length > 0)
  assert.equal(passages[0].chunk.paragraph, 22)
  // An ordinary question is searched as before (the fallback only runs when both searches find nothing).
  const ordinary = await citeqa.retrieve('维修了多少公里沟渠?', 5)
  assert.equal(ordinary[0].chunk.paragraph, 21)
  assert.ok(ordinary[0].keywordRank > 0)
  // A question sharing no Chinese character with any passage finds nothing.
  assert.deepEqual(await citeqa.retrieve('Qwzx?', 5), [])
})
