import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ellipsisOf, readFollowUp } from '../../src/ask/follow-up-question.ts'
import type { ConversationTurn } from '../../src/llm/follow-up.ts'

const user = (content: string): ConversationTurn => ({ role: 'user', content })
const assistant = (content: string): ConversationTurn => ({ role: 'assistant', content })

const WATER_PLANT = '投资多少钱对张家坝水厂进行扩建升级?'
const SERVICE_HALL = '便民服务大厅占地多少平方米?'

test('a new subject (…呢?) takes the old subject’s place in the previous question', () => {
  assert.deepEqual(ellipsisOf('污水处理厂呢?'), { kind: 'new-subject', subject: '污水处理厂' })
  assert.deepEqual(readFollowUp('污水处理厂呢?', [user(WATER_PLANT)]), { standalone: '投资多少钱对“污水处理厂”进行扩建升级?', elliptical: true })
  // 那… opens the same fragment; the assistant's answer in between changes nothing.
  assert.deepEqual(readFollowUp('那污水处理厂呢？', [user(WATER_PLANT), assistant('投资1000万元。[1]')]), { standalone: '投资多少钱对“污水处理厂”进行扩建升级?', elliptical: true })
})

test('a new subject like nothing in the previous question replaces the thing asked of, not the place word before it', () => {
  // 湖里 of 湖里的渔船 says where the boats were; 违法建筑 takes the boats' place.
  assert.deepEqual(readFollowUp('那违法建筑呢?', [user('湖里的渔船一共拆了几条?')]), { standalone: '湖里的“违法建筑”一共拆了几条?', elliptical: true })
})

test('a complete question is answered as asked, whatever the history', () => {
  assert.equal(ellipsisOf('作者是谁?'), undefined)
  assert.deepEqual(readFollowUp('作者是谁?', [user(WATER_PLANT), assistant('投资1000万元。[1]')]), { standalone: '作者是谁?', elliptical: false })
  assert.equal(ellipsisOf('Who wrote the article?'), undefined)
  // A question about the document (这篇/文章) does not point back into the conversation.
  assert.equal(readFollowUp('这篇文章讲了什么?', [user(WATER_PLANT)]).elliptical, false)
})

test('an elliptical question without a question before it is answered as asked', () => {
  assert.deepEqual(readFollowUp('污水处理厂呢?', []), { standalone: '污水处理厂呢?', elliptical: false })
})

test('"What about …?" puts the new subject in the previous English question', () => {
  assert.deepEqual(ellipsisOf('What about the sewage treatment plant?'), { kind: 'new-subject', subject: 'sewage treatment plant' })
  assert.deepEqual(readFollowUp('What about the sewage treatment plant?', [user('How much was invested in the Zhangjiaba water plant?')]), {
    standalone: 'How much was invested in the sewage treatment plant?',
    elliptical: true,
  })
  assert.equal(readFollowUp('And the sewage plant?', [user('How much was invested in the Zhangjiaba water plant?')]).standalone, 'How much was invested in the sewage plant?')
})

test('"And" before a question of its own leaves it complete; before a fragment it still leans on the previous question', () => {
  const history = [user('How much was invested in the Zhangjiaba water plant?')]
  assert.deepEqual(readFollowUp('And who wrote the article?', history), { standalone: 'And who wrote the article?', elliptical: false })
  assert.equal(ellipsisOf('But when was the article published?'), undefined)
  assert.deepEqual(ellipsisOf('And how about the sewage plant?'), { kind: 'new-subject', subject: 'sewage plant' })
  assert.deepEqual(ellipsisOf('And why?'), { kind: 'bare' })
  assert.deepEqual(ellipsisOf('And when did it open?'), { kind: 'pointing-back', pronoun: 'it' })
})

test('它 pointing back is replaced by the previous question’s subject', () => {
  assert.deepEqual(ellipsisOf('它是什么时候投入使用的?'), { kind: 'pointing-back', pronoun: '它' })
  assert.deepEqual(readFollowUp('它是什么时候投入使用的?', [user(SERVICE_HALL)]), { standalone: '便民服务大厅是什么时候投入使用的?', elliptical: true })
})

test('a bare 为什么? asks the previous question further', () => {
  assert.deepEqual(ellipsisOf('为什么?'), { kind: 'bare' })
  assert.deepEqual(readFollowUp('为什么?', [user(SERVICE_HALL)]), { standalone: `${SERVICE_HALL} 为什么?`, elliptical: true })
})

test('an elliptical question after small talk reads past it, to the last real question', () => {
  const history = [user(WATER_PLANT), assistant('投资1000万元。[1]'), user('谢谢'), assistant('不客气。')]
  assert.deepEqual(readFollowUp('污水处理厂呢?', history), { standalone: '投资多少钱对“污水处理厂”进行扩建升级?', elliptical: true })
  assert.deepEqual(readFollowUp('它是什么时候投入使用的?', [user(SERVICE_HALL), assistant('3000平方米。[1]'), user('谢谢!'), assistant('不客气。')]), {
    standalone: '便民服务大厅是什么时候投入使用的?',
    elliptical: true,
  })
  // Small talk alone leaves nothing to read the question with.
  assert.equal(readFollowUp('污水处理厂呢?', [user('谢谢'), assistant('不客气。')]).elliptical, false)
})

test('其他 is not the pronoun 他', () => {
  assert.equal(ellipsisOf('其他乡镇是怎么做的?'), undefined)
  assert.deepEqual(readFollowUp('其他乡镇是怎么做的?', [user(SERVICE_HALL)]), { standalone: '其他乡镇是怎么做的?', elliptical: false })
  assert.deepEqual(ellipsisOf('他是什么时候来的?'), { kind: 'pointing-back', pronoun: '他' })
})

test('a chain of follow-ups keeps the subject the first one brought', () => {
  const history = [user(WATER_PLANT), assistant('投资1000万元。[1]'), user('那污水处理厂呢?'), assistant('投资500万元。[2]')]
  assert.deepEqual(readFollowUp('它是什么时候建成的?', history), { standalone: '污水处理厂是什么时候建成的?', elliptical: true })
})

test('a pronoun with a noun points back to the earlier phrase ending in that noun, past an elliptical question between', () => {
  const history = [
    { role: 'user' as const, content: '神山镇引进了哪些矿产深加工项目?' },
    { role: 'assistant' as const, content: '引进鹏达钙业、乾城新能源等矿产深加工项目[1]' },
    { role: 'user' as const, content: '其中哪一个已经完工投产?' },
    { role: 'assistant' as const, content: '其中乾城新能源已完工投产[1]' },
  ]
  assert.equal(readFollowUp('这些项目总共投资多少?', history).standalone, '矿产深加工项目总共投资多少?')
})

test('如何 / 怎么样 close a fragment only after 那: a question naming its own subject is complete', () => {
  const history = [{ role: 'user' as const, content: '投资多少钱对张家坝水厂进行扩建升级?' }]
  assert.equal(readFollowUp('污水处理厂的水质如何?', history).elliptical, false)
  assert.equal(readFollowUp('那污水处理厂怎么样?', history).elliptical, true)
})

test('the new subject of an elliptical question is quoted, so a document that does not name it cannot answer', () => {
  const history = [{ role: 'user' as const, content: '新发展的油茶种植有多少亩?' }]
  assert.match(readFollowUp('那水稻呢?', history).standalone, /“水稻”/)
  // In a chain, the earlier subject's quotes do not pile up.
  const chain = [...history, { role: 'assistant' as const, content: '5000亩[1]' }, { role: 'user' as const, content: '那野藕呢?' }, { role: 'assistant' as const, content: '1000亩[1]' }]
  assert.doesNotMatch(readFollowUp('那有机茶呢?', chain).standalone, /““|””/)
})
