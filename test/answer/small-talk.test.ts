import assert from 'node:assert/strict'
import { test } from 'node:test'
import { smallTalkKindOf, smallTalkReply } from '../../src/answer/small-talk.ts'

test('greetings, thanks, goodbyes and questions about the service are small talk, in Chinese and English', () => {
  const cases: [string, string][] = [
    ['你好', 'greeting'],
    ['您好!', 'greeting'],
    ['hello', 'greeting'],
    ['Hi there', 'greeting'],
    ['ok thanks', 'thanks'],
    ['谢谢!', 'thanks'],
    ['好的，谢谢', 'thanks'],
    ['再见', 'goodbye'],
    ['你是谁？', 'identity'],
    ['Who are you?', 'identity'],
    ['你能做些什么?', 'help'],
    ['What can you do?', 'help'],
    // Several clauses: the one that asks most is answered.
    ['Hi, who are you?', 'identity'],
  ]
  for (const [message, kind] of cases) assert.equal(smallTalkKindOf(message), kind, message)
})

test('a question about the documents is not small talk, even with a greeting in front or a word the lexicon can translate', () => {
  for (const question of ['你好,请问神山镇有多少个村?', 'Hello, how many boats were removed?', '作者是谁?', '维修了多少公里沟渠?', 'water', '好人好事有哪些?']) {
    assert.equal(smallTalkKindOf(question), undefined, question)
  }
})

test('the reply is friendly, names the documents by title and is in the message language', () => {
  const chinese = smallTalkReply('greeting', '你好', ['乡镇党委书记要牢牢把握“一二三四五”'])
  assert.match(chinese, /^你好!/)
  assert.match(chinese, /《乡镇党委书记要牢牢把握“一二三四五”》/)
  const english = smallTalkReply('thanks', 'thanks!', ['A', 'B', 'C', 'D', 'E'])
  assert.match(english, /^You're welcome\. Ask me about “A”, “B”, “C” and 2 more documents/)
})
