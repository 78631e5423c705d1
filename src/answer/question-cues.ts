import { parseChineseNumeral } from '../text/chinese-numerals.ts'
/** What kind of answer a question asks for, read from its wording. */
export type ExpectedAnswer = 'alias' | 'date' | 'quantity' | 'person' | 'place' | 'reason' | 'name' | 'list' | 'definition' | 'open'

// The first cue that matches wins: the narrower kinds come first (别名 before 是什么, 哪一年 before 哪).
const CUES: [ExpectedAnswer, RegExp][] = [
  ['alias', /别名|别称|又称|又名|又叫|俗称|俗名|简称|昵称|原名|旧称|古称|史称|称之?为什么|叫什么|叫啥|\bother name|\balso (?:called|known)|\bnickname|\bformerly/i],
  ['date', /什么时候|啥时候?|何时|哪一?年|哪个年代|几月|哪天|哪一天|什么时间|\bwhen\b|what year|which year|what date/i],
  ['quantity', /多少|(?<![那这哪])几[个条家处户人亩年次项所名座种位部集届岁倍层]?|多长|多大|多高|多重|多远|多久|多深|多宽|\bhow (?:many|much|long|large|big|far|tall|high|old|heavy)\b|\bwhat (?:amount|number|percentage|size)\b/i],
  ['reason', /为什么|为啥|为何|因何|何故|什么原因|原因是什么|怎么会|\bwhy\b|\bwhat (?:caused|is the reason)\b/i],
  ['person', /谁|哪位|何人|什么人|\bwho\b|\bwhom\b/i],
  ['place', /哪里|哪儿|什么地方|何地|何处|在哪|哪个(?:国家|城市|省|地区|地方)|哪些(?:地区|地方|国家)|位于|分布|\bwhere\b|\bwhich (?:country|city|province|region)\b/i],
  ['name', /哪个|哪家|哪所|哪部|哪本|哪首|哪种|什么名字|\bwhich\b|\bwhat is the name\b/i],
  ['list', /哪些|包括|分别|都有|几个方面|怎么落实|如何落实|有什么|\bwhat are\b|\blist\b|\binclude\b/i],
  ['definition', /是什么|指什么|什么是|是指|\bwhat is\b|\bwhat does .+ mean\b/i],
]

/** The first cue that matches, narrowest first; else `open`. */
export function expectedAnswerOf(question: string): ExpectedAnswer {
  return CUES.find(([, cue]) => cue.test(question))?.[0] ?? 'open'
}

const UNIT = '(?:亩|户|人|家|条|个|处|公里|千米|公尺|米|厘米|公分|毫米|平方米|平方公里|公顷|元|美元|港元|%|％|名|份|座|项|次|倍|台|辆|吨|公斤|千克|克|只|所|间|期|批|类|种|村|窗口|个月|岁|天|小时|分钟|秒|届|部|集|场|位|层|分|度|英尺|英里|发|卷|页|字|首|本|张)'
// A number with a unit or magnitude: 2000亩, 6.5公里, 4.2亿元, 942户, 80%, 3个, 五个. Not a year:
// 2008年 is a date, and nearly every sentence of a biography has one.
const QUANTITY = new RegExp(`(?:\\d+(?:[.,]\\d+)?|[一二两三四五六七八九十百千万]+)\\s*(?:多|余)?\\s*(?:万|亿|千|百)?\\s*${UNIT}`)
const DATE = /\d{3,4}\s*年|\d{1,2}\s*月\s*(?:\d{1,2}\s*日)?|(?:今|去|明|前)年|[春夏秋冬]季|世纪|年代|朝|时期|年间/
// Names in this kind of text: organisations and places with their telltale suffixes, transliterated names, or quoted names.
const NAME = /[\p{Script=Han}A-Za-z]{2,}(?:公司|合作社|集团|协会|中心|委员会|银行|学校|大学|学院|医院|农业|果业|科技|村|镇|市|县|区|湖|河|水库)|[\p{Script=Han}]·[\p{Script=Han}]|“[^”]{2,12}”|《[^》]{1,30}》|「[^」]{1,20}」/u
const PERSON = /[\p{Script=Han}]{1,6}·[\p{Script=Han}]{1,8}|先生|女士|教授|博士|皇帝|皇后|国王|主席|总统|校长|导演|作者|作家|演员|歌手|创办人|创始人|由[^，。；]{1,20}(?:创作|创办|创立|主持|设计|编写|执导|开发|发明|提出|担任|主演|演唱|撰写|编剧)/u
const PLACE = /位于|地处|坐落|分布于|分布在|产于|原产|生长于|发源于|在[^，。；]{1,12}(?:省|市|县|区|州|国|岛|洋|海|山|河|湖|镇|村)|[省市县州国岛]/
const ALIAS = /又名|别名|改称|别称|俗称|俗名|又称|简称|亦称|也称|又叫|也叫|称为|称作|叫做|原名|旧称|学名|又译|昵称|外号|史称|通称/
const REASON = /因为|由于|因此|所以|因而|故而|之故|原因|为了|以致|导致|得名|以免|于是/

// Units a question names after 多少/几 that an answer must give: 多少万元, 几公里, 多少平方公里. Counting words (个, 条, 名) are left out: 几个村 is answered by 18个村 and by 十八个.
const ASKED_UNIT = /(?:多少|几)\s*(万|亿|千)?\s*(平方公里|平方米|公里|千米|公顷|亩|户|元|美元|吨|公斤|千克|米|厘米|小时|分钟|岁)/u

/** The unit a quantity question names (万元 in 投资了多少万元?), or undefined. */
export function askedUnitOf(question: string): string | undefined {
  const text = question.normalize('NFKC')
  // 花了多少钱, 多少钱: money, which the text gives in 元 (万元, 亿元).
  if (MONEY_ASKED.test(text)) return '元'
  const match = ASKED_UNIT.exec(text)
  if (match) return match[2]
  if (AREA_ASKED.test(text)) return AREA
  const english = ENGLISH_ASKED_UNIT.exec(text)
  return english ? ENGLISH_UNITS[english[1].toLowerCase().replace(/s$/, '')] : undefined
}

// How many tonnes / square kilometres / households: the unit the Chinese text writes it in.
const ENGLISH_ASKED_UNIT = /\bhow\s+(?:many|much)\s+(square\s+kilomet(?:re|er)s?|kilomet(?:re|er)s?|km|tonnes?|tons?|hectares?|mu|yuan|households?|met(?:re|er)s?|kilograms?|kg|hours?|minutes?)\b/i
const ENGLISH_UNITS: Record<string, string> = {
  'square kilometre': '平方公里', 'square kilometer': '平方公里', kilometre: '公里', kilometer: '公里', km: '公里', tonne: '吨', ton: '吨',
  hectare: '公顷', mu: '亩', yuan: '元', household: '户', metre: '米', meter: '米', kilogram: '公斤', kg: '公斤', hour: '小时', minute: '分钟',
}

// How much money: 多少钱, 花了多少钱, 几块钱.
const MONEY_ASKED = /(?:多少|几(?:块|毛)?)钱/u

// A quantity per day or per month (一天能接待多少, how many a day): the text must give it per period.
const ASKED_RATE: [RegExp, RegExp][] = [
  [/(?:一|每)(?:天|日)|日均|\b(?:a|per|each|every)\s+day\b|\bdaily\b/iu, periodBeside('日|天|每')],
  [/(?:一个?|每个?)月|月均|\b(?:a|per|each|every)\s+month\b|\bmonthly\b/iu, periodBeside('月|每')],
]

/** A number with the period in its clause just before it (日供水能力3000吨) or just after (3000吨/天). */
function periodBeside(period: string): RegExp {
  return new RegExp(`(?:${period})[^,，。;；]{0,8}[\\d一二两三四五六七八九十百千万]|\\d[^,，。;；]{0,4}/(?:${period})`, 'u')
}

/** What a sentence must hold when the question asks a quantity per day or per month (日, 天 or 每 before a number, for 一天), or undefined. */
export function askedRateOf(question: string): RegExp | undefined {
  return ASKED_RATE.find(([asked]) => asked.test(question.normalize('NFKC')))?.[1]
}

// 多大面积, 面积有多大, how large an area: any unit of area.
const AREA_ASKED = /多大(?:的)?面积|面积(?:有|是)?多(?:大|少)|占地(?:面积)?(?:有|是)?多(?:大|少)|\bhow (?:large|big) an? area\b|\bwhat area\b/iu
/** The unit askedUnitOf gives for an area: holdsQuantityIn takes any unit of area for it. */
export const AREA = '亩|英亩|公顷|平方米|平方公里|平方千米|平方公尺|平方英里|km²|km2|m²|平方'

// What names the currency before 元: 美元, 港元, 欧元, 日元, 韩元, 澳元, 加元, 新台币 is not 元 but 新元 is.
const CURRENCY_BEFORE_YUAN = '(?:美|港|欧|日|韩|澳|加|新|台)?'

/** True when a sentence gives a number with the unit (4万亩 for 亩, 877万元 for 元; 平方米 is not 米; any unit of area for AREA). */
export function holdsQuantityIn(sentence: string, unit: string): boolean {
  // Money asked in 元 (多少钱, 多少万元) is given in any 元 currency: 77亿美元, 500万港元.
  const escaped = unit === AREA ? `(?:${AREA})` : unit === '元' ? `${CURRENCY_BEFORE_YUAN}元` : unit.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const longer = unit === '米' ? '(?<!平方|厘|千|公)' : unit === '公里' ? '(?<!平方)' : ''
  return new RegExp(`(?:\\d|[一二两三四五六七八九十百千万亿])\\s*(?:多|余)?\\s*(?:万|亿|千|百)?\\s*${longer}${escaped}`, 'u').test(sentence.normalize('NFKC'))
}

// 哪三个, 哪几种, 哪五大, which three: a question asking for a number of things.
const ASKED_COUNT = /哪\s*(几|两|[一二三四五六七八九十]+|\d+)\s*(?:个|种|项|类|条|点|样|大|方面|位|件|句|字|句话)/u
const ENGLISH_COUNT = /\b(?:which|what are the|name the|list the)\s+(two|three|four|five|six|seven|eight|nine|ten)\b/i
const ENGLISH_NUMBERS: Record<string, number> = { two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10 }

/** How many things a question asks for: 3 for 哪三个 / which three, `several` for 哪几种, undefined for a question about one thing. */
export function askedCountOf(question: string): number | 'several' | undefined {
  const chinese = ASKED_COUNT.exec(question.normalize('NFKC'))
  if (chinese) {
    if (chinese[1] === '几') return 'several'
    const count = parseChineseNumeral(chinese[1])
    return count !== undefined && count >= 2 ? count : undefined
  }
  const english = ENGLISH_COUNT.exec(question)
  return english ? ENGLISH_NUMBERS[english[1].toLowerCase()] : undefined
}

// The markers that open each item of an enumeration inside a paragraph: 一是…二是…, (1)…(2)…, 第一…第二…
const ITEM_MARKER = /(?:^|[,，;；:：。])\s*(?:([一二三四五六七八九十])是|[（(]([1-9一二三四五六七八九十])[)）]|第([一二三四五六七八九十])[,，、])/u

/** The position (1, 2, 3…) of the enumeration item a sentence opens or holds (一是… → 1), or undefined. */
export function enumerationItemOf(sentence: string): number | undefined {
  const match = ITEM_MARKER.exec(sentence.normalize('NFKC'))
  const numeral = match?.[1] ?? match?.[2] ?? match?.[3]
  return numeral === undefined ? undefined : parseChineseNumeral(numeral)
}

/** The number of items a sentence lists with 、 and a last 和/及/与 (政治判断力、政治领悟力、政治执行力 → 3; 莉比·兰顿和艾沙马 → 2), in its longest such run. */
export function listedItemsIn(sentence: string): number {
  let most = 0
  for (const clause of sentence.split(/[,，;；:：。]/u)) {
    const items = clause.split('、')
    most = Math.max(most, items.length + (/[和及与]/u.test(items.at(-1)!) ? 1 : 0))
  }
  return most
}

/** True when a sentence holds the kind of thing the question asks for. */
export function sentenceFitsExpectation(sentence: string, expected: ExpectedAnswer): boolean {
  switch (expected) {
    case 'quantity':
      return QUANTITY.test(sentence)
    case 'date':
      return DATE.test(sentence)
    case 'alias':
      return ALIAS.test(sentence)
    case 'reason':
      return REASON.test(sentence)
    case 'person':
      return PERSON.test(sentence) || NAME.test(sentence)
    case 'place':
      return PLACE.test(sentence)
    case 'name':
      return NAME.test(sentence)
    default:
      return false
  }
}

// Sentences that carry on an enumeration begun before them: 二是…, 三是…, (2)…, 其次…
const ENUMERATION_CONTINUES = /^(?:[二三四五六七八九十]是|[（(][2-9二三四五六七八九][)）]|[2-9][、.．]|第[二三四五六七八九十]|其[二三四次]|再次|最后)/

/** True when a sentence continues a numbered enumeration (二是…), so it belongs with the one before. */
export function continuesEnumeration(sentence: string): boolean {
  return ENUMERATION_CONTINUES.test(sentence.trim())
}

// A sentence that announces what follows: it ends with a colon, or says 如下/以下; or it opens a
// list after a colon and stops at a semicolon (拆分成两家公司：一家…；另一家…。).
const ANNOUNCES_LIST = /[:：]\s*$|如下|以下几|下列|[:：][^。]*[；;]\s*$/

/** True when a sentence announces a list that the next sentences hold (…分为以下三类：). */
export function announcesList(sentence: string): boolean {
  return ANNOUNCES_LIST.test(sentence.trim())
}

/** True when a sentence stops at a semicolon: the clause after it belongs to the same statement. */
export function endsInSemicolon(sentence: string): boolean {
  return /[；;]\s*$/.test(sentence)
}

// A sentence that draws a consequence from the one before: 因此…, 所以…, 故…
const DRAWS_CONSEQUENCE = /^(?:因此|所以|因而|故而|故|于是|由此|这使|这导致|这样)/

/** True when a sentence states a consequence of the sentence before it, which holds the reason. */
export function drawsConsequence(sentence: string): boolean {
  return DRAWS_CONSEQUENCE.test(sentence.trim())
}
