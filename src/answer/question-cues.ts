/** What kind of answer a question asks for, read from its wording. */
export type ExpectedAnswer = 'quantity' | 'date' | 'name' | 'list' | 'open'

const CUES: [ExpectedAnswer, RegExp][] = [
  ['date', /什么时候|何时|哪一?年|几月|哪天|哪一天|\bwhen\b|what year|which year/i],
  ['quantity', /多少|几[个条家处户人亩年次项所名座]?|多长|多大|多高|多远|多久|\bhow (?:many|much|long|large|big|far)\b|\bwhat (?:amount|number|percentage)\b/i],
  ['name', /谁|哪个|哪家|哪位|哪里|什么地方|\bwho\b|\bwhich\b|\bwhere\b|\bwhat is the name\b/i],
  ['list', /哪些|包括|分别|有什么|都有|几个方面|怎么落实|如何落实|\bwhat are\b|\blist\b|\binclude\b/i],
]

/** The first cue that matches, in the order date, quantity, name, list; else `open`. */
export function expectedAnswerOf(question: string): ExpectedAnswer {
  return CUES.find(([, cue]) => cue.test(question))?.[0] ?? 'open'
}

// A number with a unit or magnitude: 2000亩, 6.5公里, 4.2亿元, 942户, 80%, 3个.
const QUANTITY = /\d+(?:\.\d+)?\s*(?:多|余)?\s*(?:万|亿|千|百)?\s*(?:亩|户|人|家|条|个|处|公里|千米|米|平方米|元|%|％|名|份|座|项|次|倍|台|辆|吨|只|所|间|份|期|批|类|种|村|窗口|个月)/
const DATE = /\d{4}\s*年|\d{1,2}\s*月\s*(?:\d{1,2}\s*日)?|(?:今|去|明|前)年/
// Proper names in this kind of text: organisations and places with their telltale suffixes, or quoted names.
const NAME = /[\p{Script=Han}A-Za-z]{2,}(?:公司|合作社|集团|协会|中心|委员会|银行|学校|医院|农业|果业|科技|村|镇|市|县|区|湖|河|水库)|“[^”]{2,12}”/u

/** True when a sentence holds the kind of thing the question asks for. */
export function sentenceFitsExpectation(sentence: string, expected: ExpectedAnswer): boolean {
  switch (expected) {
    case 'quantity':
      return QUANTITY.test(sentence)
    case 'date':
      return DATE.test(sentence)
    case 'name':
      return NAME.test(sentence)
    default:
      return false
  }
}

// Sentences that carry on an enumeration begun before them: 二是…, 三是…, (2)…, 其次…
const ENUMERATION_CONTINUES = /^(?:[二三四五六七八九十]是|[（(][2-9][)）]|[2-9][、.．]|第[二三四五六七八九十]|其[二三四次]|再次|最后)/

/** True when a sentence continues a numbered enumeration (二是…), so it belongs with the one before. */
export function continuesEnumeration(sentence: string): boolean {
  return ENUMERATION_CONTINUES.test(sentence.trim())
}
