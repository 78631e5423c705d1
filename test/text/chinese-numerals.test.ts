import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { parseChineseNumeral, writeChineseNumeral } from '../../src/text/chinese-numerals.ts'

const COUNTING = { digitByDigit: false }

test('every number written in Chinese reads back as itself: 0…9999', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 9999 }), (value) => {
      const written = writeChineseNumeral(value)
      assert.match(written, /^[零一二三四五六七八九十百千]+$/u)
      assert.equal(parseChineseNumeral(written), value, written)
      assert.equal(parseChineseNumeral(written, COUNTING), value, written)
    }),
    { numRuns: 2000 },
  )
})

test('every number written in Chinese reads back as itself: up to 9999亿9999万9999, across 万 and 亿', () => {
  const large = fc.oneof(fc.integer({ min: 0, max: 1e12 - 1 }), fc.constantFrom(1e4, 1e8, 100_010, 1_0000_0005, 1_0500_0000, 1_0000_1000, 1e12 - 1))
  fc.assert(
    fc.property(large, (value) => {
      const written = writeChineseNumeral(value)
      assert.equal(parseChineseNumeral(written), value, written)
      assert.equal(parseChineseNumeral(written, COUNTING), value, written)
    }),
    { numRuns: 2000 },
  )
})

test('the writer uses the plain forms: 十 not 一十 at the start, one 零 for a run of skipped places', () => {
  const cases: [number, string][] = [
    [0, '零'], [7, '七'], [10, '十'], [11, '十一'], [20, '二十'], [21, '二十一'], [99, '九十九'], [105, '一百零五'], [110, '一百一十'],
    [1005, '一千零五'], [1050, '一千零五十'], [2302, '二千三百零二'], [10_000, '一万'], [10_005, '一万零五'], [100_010, '十万零一十'],
    [350_000_000, '三亿五千万'], [1_0500_0000, '一亿零五百万'], [1_0000_1000, '一亿零一千'],
  ]
  for (const [value, written] of cases) assert.equal(writeChineseNumeral(value), written, String(value))
  for (const wrong of [-1, 1.5, Number.NaN, 1e12]) assert.throws(() => writeChineseNumeral(wrong), RangeError)
})

test('the numerals the brief names: 一…九, 十, 十一, 二十, 二十一, 一百零五, 两, 〇/零 and ASCII digits', () => {
  const cases: [string, number][] = [
    ['一', 1], ['九', 9], ['十', 10], ['十一', 11], ['二十', 20], ['二十一', 21], ['一十', 10], ['一百零五', 105], ['一百〇五', 105],
    ['两', 2], ['两千', 2000], ['两万', 20_000], ['〇', 0], ['零', 0], ['3', 3], ['21', 21], ['105', 105],
  ]
  for (const [written, value] of cases) {
    assert.equal(parseChineseNumeral(written), value, written)
    assert.equal(parseChineseNumeral(written, COUNTING), value, written)
  }
  fc.assert(fc.property(fc.nat(), (value) => parseChineseNumeral(String(value)) === value))
})

// The cases src/text/quantities.ts has read since it had its own parser (test/llm/quantities.test.ts).
test('quantities: well-formed numerals anywhere in a passage, runs of digits read digit by digit', () => {
  assert.equal(parseChineseNumeral('两千三百零二'), 2302)
  assert.equal(parseChineseNumeral('三百一十六'), 316)
  assert.equal(parseChineseNumeral('三亿五千万'), 350_000_000)
  assert.equal(parseChineseNumeral('二〇二〇'), 2020)
  assert.equal(parseChineseNumeral('一二三四五'), 12345)
  assert.equal(parseChineseNumeral('十四'), 14)
  for (const notOne of ['十四五', '万', '十十', '二十十', '千十', '五五五万万', '两两', '', '第二', '一3', 'x']) {
    assert.equal(parseChineseNumeral(notOne), undefined, notOne)
  }
  // A run of two or more digit characters (two is a count, never part of a run) reads as its digits.
  const digitCharacter = fc.constantFrom(...'零〇一二三四五六七八九')
  fc.assert(
    fc.property(fc.array(digitCharacter, { minLength: 2, maxLength: 8 }), (characters) => {
      const digits = characters.map((character) => '零一二三四五六七八九'.indexOf(character.replace('〇', '零'))).join('')
      assert.equal(parseChineseNumeral(characters.join('')), Number(digits))
    }),
  )
})

test('counts and places are never read digit by digit: 一二三四五 announces five points, 第一二部分 is not part 12', () => {
  for (const run of ['一二', '一二三四五', '二〇二〇', '五五']) assert.equal(parseChineseNumeral(run, COUNTING), undefined, run)
})

test('any string with a character that is not a numeral is not one numeral', () => {
  const numeralCharacter = fc.constantFrom(...'零〇一二两三四五六七八九十百千万亿')
  const other = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }).filter((character) => !/[零〇一二两三四五六七八九十百千万亿\d]/u.test(character))
  fc.assert(
    fc.property(fc.array(numeralCharacter, { maxLength: 4 }), other, fc.array(numeralCharacter, { maxLength: 4 }), (before, character, after) => {
      assert.equal(parseChineseNumeral([...before, character, ...after].join('')), undefined)
    }),
  )
})

// The two small readers this one replaced (quantities' was moved whole), kept here to show where the callers' readings changed.
const OUTLINE_DIGITS = '一二三四五六七八九十'
function formerOutlineCount(text: string): number | undefined {
  if (/^\d+$/.test(text)) return Number(text)
  const match = /^([一二三四五六七八九])?(十)?([一二三四五六七八九])?$/u.exec(text.replace('两', '二'))
  if (!match || text === '') return undefined
  const [, tens, ten, units] = match
  if (!ten) return tens && !units ? OUTLINE_DIGITS.indexOf(tens) + 1 : undefined
  return (tens ? OUTLINE_DIGITS.indexOf(tens) + 1 : 1) * 10 + (units ? OUTLINE_DIGITS.indexOf(units) + 1 : 0)
}
function formerOverviewPlace(text: string): number | undefined {
  if (/^\d+$/.test(text)) return Number(text)
  const digits = '一二三四五六七八九'
  if (text === '十') return 10
  if (text.length === 1) return digits.indexOf(text) + 1 || undefined
  if (text.length === 2 && text[0] === '十') return 10 + digits.indexOf(text[1]) + 1
  return undefined
}
/** Every string of 1…length characters of the alphabet. */
function everyString(alphabet: string, length: number): string[] {
  const strings: string[] = []
  let previous = ['']
  for (let size = 1; size <= length; size++) {
    previous = previous.flatMap((prefix) => [...alphabet].map((character) => prefix + character))
    strings.push(...previous)
  }
  return strings
}

test('the outline reads every count it read before (五个方面, 二十一个部分, 12点), 两十两 aside', () => {
  // What its pattern captures: [一二两三四五六七八九十]{1,3} or \d{1,2}.
  const captured = [...everyString('一二两三四五六七八九十', 3), ...everyString('0123456789', 2)]
  const changed = captured.filter((text) => parseChineseNumeral(text, COUNTING) !== formerOutlineCount(text))
  assert.deepEqual(changed, ['两十两'])
  assert.equal(parseChineseNumeral('两十两', COUNTING), 22)
})

test('a question\'s place: 第二十 and 第二十一 are read now, every place read before reads the same, 第十十 no longer reads as 10', () => {
  // What its pattern captures: [一二三四五六七八九十]{1,3} or \d{1,2}.
  const captured = [...everyString('一二三四五六七八九十', 3), ...everyString('0123456789', 2)]
  const changed = captured.filter((text) => parseChineseNumeral(text, COUNTING) !== formerOverviewPlace(text))
  for (const text of changed) {
    if (text === '十十') continue
    assert.equal(formerOverviewPlace(text), undefined, `${text} was read before, and differently`)
    assert.equal(parseChineseNumeral(text, COUNTING), formerOutlineCount(text), `${text} reads as the outline read it`)
  }
  assert.ok(changed.includes('二十') && changed.includes('二十一'))
  assert.equal(parseChineseNumeral('十十', COUNTING), undefined)
})

test('an answer writes a count of parts as before (全文分为五个部分, 二十一个部分)', () => {
  const formerCount = (count: number) => {
    const digits = '零一二三四五六七八九'
    if (count < 10) return digits[count]
    const tens = Math.floor(count / 10)
    return `${tens === 1 ? '' : digits[tens]}十${count % 10 ? digits[count % 10] : ''}`
  }
  for (let count = 0; count < 100; count++) assert.equal(writeChineseNumeral(count), formerCount(count), String(count))
})
