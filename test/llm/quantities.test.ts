import { test } from 'node:test'
import assert from 'node:assert/strict'
import { findQuantities, holdsQuantity } from '../../src/text/quantities.ts'

const values = (text: string, generous = false) => findQuantities(text, { generous }).map((quantity) => quantity.value)

test('the same amount written in Chinese and in English has one value', () => {
  for (const written of ['877万元', '8.77 million yuan', '8,770,000 yuan', 'RMB 8.77mn', '877 ten thousand yuan']) assert.deepEqual(values(written), [8_770_000], written)
  assert.deepEqual(values('4万亩'), values('40,000 mu'))
  assert.deepEqual(values('316.5平方米'), values('316.5 square metres'))
  assert.deepEqual(values('2302户'), values('2,302 households'))
  assert.deepEqual(values('总投资4.2亿元'), values('a total investment of 420 million yuan'))
  assert.deepEqual(values('近8000万元'), values('nearly 80 million yuan'))
})

test('percentages keep their number and say they are percentages', () => {
  for (const written of ['增长6%', '增长６％', 'grew by 6%', 'grew by 6 percent', 'grew 6 per cent']) {
    assert.deepEqual(findQuantities(written).map(({ value, percent }) => ({ value, percent })), [{ value: 6, percent: true }], written)
  }
  const passage = findQuantities('比上年增长6%', { generous: true })
  assert.ok(holdsQuantity(passage, findQuantities('6 percent')[0]))
  assert.ok(!holdsQuantity(findQuantities('6个项目'), findQuantities('6 percent')[0]), '6% is not 6 projects')
  assert.ok(holdsQuantity(findQuantities('百分之六', { generous: true }), findQuantities('6%')[0]))
})

test('English number words, and "one" only before a multiplier', () => {
  assert.deepEqual(values('twenty-six reservoirs and four comprehensives'), [26, 4])
  assert.deepEqual(values('one million yuan, a hundred villages'), [1_000_000, 100])
  assert.deepEqual(values('one of the tasks'), [])
  assert.deepEqual(values('the 14th Five-Year Plan'), [14, 5])
})

test('Chinese numerals are read in passages only, generously', () => {
  assert.deepEqual(values('强化两个责任'), [])
  assert.deepEqual(values('强化两个责任', true), [2])
  assert.ok(values('“十四五”时期', true).includes(14))
  assert.ok(values('“十四五”时期', true).includes(5))
  assert.ok(values('二〇二〇年投资一百零五万元', true).includes(2020))
  assert.ok(values('二〇二〇年投资一百零五万元', true).includes(1_050_000))
  // The reader itself: test/text/chinese-numerals.test.ts.
})

test('a wrong value is not held, and numbers are read whole', () => {
  const passage = findQuantities('投资877万元对张家坝水厂进行扩建升级', { generous: true })
  assert.ok(holdsQuantity(passage, findQuantities('8.77 million')[0]))
  assert.ok(!holdsQuantity(passage, findQuantities('9.77 million')[0]))
  assert.ok(!holdsQuantity(passage, findQuantities('877')[0]), '877 is not 877万')
  assert.deepEqual(values('2020年10月投入使用'), [2020, 10])
  assert.deepEqual(values('18.7-kilometre road'), [18.7])
})
