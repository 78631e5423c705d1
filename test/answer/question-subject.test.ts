import assert from 'node:assert/strict'
import { test } from 'node:test'
import { englishSubjectsOf, holdsSubject, leadingTopicOf, subjectsOf } from '../../src/answer/question-subject.ts'

const subjectTexts = (question: string) => subjectsOf(question).map((subject) => subject.text)

test('a subject is the whole name the question gives, places and organisations by their tags and suffixes, titles and quoted names', () => {
  assert.deepEqual(subjectTexts('虫纹阿南鱼分布在哪里?'), ['虫纹阿南'])
  assert.deepEqual(subjectTexts('神山镇的常住人口有多少?'), ['神山镇'])
  assert.deepEqual(subjectTexts('《现代食品工程》的主编是谁?'), ['现代食品工程'])
  // An institution after a place is part of its name.
  assert.deepEqual(subjectTexts('南宁市第三中学是哪一年建校的？'), ['南宁市第三中学'])
  assert.deepEqual(subjectTexts('“乡里制”可追溯到什么时期？'), ['乡里制'])
  // Wording is not a subject: common words jieba tags as names, words it does not know, locatives.
  assert.deepEqual(subjectTexts('西贡商业信用银行的英文名是什么？'), ['西贡商业信用银行'])
  assert.deepEqual(subjectTexts('湖里的捕鱼船拆了多少艘?'), [])
  assert.deepEqual(subjectTexts('维修了多少公里沟渠?'), [])
})

test('a document holds a subject whole, or abbreviated; part of a name is not the name', () => {
  const text = '北斗阿南鱼分布于印度洋。加拿大航空189号班机在多伦多起飞时冲出跑道。'
  const [fish] = subjectsOf('虫纹阿南鱼分布在哪里?')
  assert.equal(holdsSubject(text, fish), false)
  assert.equal(holdsSubject(text, { text: '北斗阿南鱼', start: 0 }), true)
  assert.equal(holdsSubject(text, { text: '加航', start: 0 }), true)
  // Each word of a longer subject, abbreviated or in full (北京奥运会 for 北京……奥林匹克运动会).
  assert.equal(holdsSubject('2008年在北京举行的夏季奥林匹克运动会', { text: '北京奥运会', start: 0 }), true)
})

test('an English question names its subject in pinyin, held through its Chinese', () => {
  const [town] = englishSubjectsOf('What is the resident population of Qingxi town?', (word) => (word === 'qingxi' ? ['青溪'] : []))
  assert.deepEqual(town.alternatives, ['青溪'])
  assert.equal(holdsSubject('青溪镇地处安河县东南部', town), true)
  assert.equal(holdsSubject('南岭乡位于梅川县西北部', town), false)
})

test('in an English name of several capitalized words, the words after the first name its kind and are not subjects of their own', () => {
  const translations: Record<string, string[]> = { lhasa: ['拉萨'], river: ['江流'], qingxi: ['青溪'], town: ['城镇'], singapore: ['新加坡'], chinatown: ['唐人街'] }
  const subjects = (question: string) => englishSubjectsOf(question, (word) => translations[word] ?? []).map((subject) => subject.text)
  assert.deepEqual(subjects('Where does the Lhasa River eventually empty into?'), ['lhasa'])
  assert.deepEqual(subjects('How many villages does Qingxi Town have?'), ['qingxi'])
  assert.deepEqual(subjects("Why is Singapore's Chinatown called that?"), ['singapore', 'chinatown'])
})

test('the topic is what a question puts first, before its verb, question word or 的', () => {
  assert.equal(leadingTopicOf('潘仕成的祖籍在哪里？'), '潘仕成')
  assert.equal(leadingTopicOf('1842年，潘仕成做了什么事情？'), '潘仕成')
  assert.equal(leadingTopicOf('宋河那一片新弄的高效养虾基地有多少亩来着？'), '宋河')
})

test('an anchor abbreviating a name the text writes in full is held (加航 for 加拿大航空), a loose pair of characters is not', async () => {
  const { anchorHeld } = await import('../../src/answer/question-terms.ts')
  const anchor = { word: '加航', alternatives: ['加航'], weight: 1, inCorpus: false, specificity: 1, anchor: true, overlappingPairs: ['加航'] }
  assert.equal(anchorHeld(anchor, '加拿大航空189号班机起飞时冲出跑道'), true)
  assert.equal(anchorHeld(anchor, '增加了航线'), true, 'two characters a word apart read as an abbreviation too: the window is short')
  assert.equal(anchorHeld(anchor, '加强管理，航运发达，开通了新的航线'), false)
})
