import { isStopWord } from './stop-words.ts'

// English words as the translation lexicon keys them: the same light stemming for CC-CEDICT's glosses
// and for questions, so that "invested" meets "to invest".

/** Gloss words that are grammar or dictionary shorthand, not meaning (beyond the shared stop words). */
const GLOSS_STOP_WORDS = new Set([
  'sb', 'sth', 'etc', 'one', "one's", 'oneself', 'someone', 'somebody', 'something', 'also', 'lit', 'fig', 'esp',
  'abbr', 'e', 'g', 'i', 'not', 'no', 'very', 'some', 'any', 'all', 'each', 'every', 'other', 'up', 'out', 'off',
  'own', 'used', 'form', 'bound', 'variant', 'our', 'your', 'his', 'her', 'my', 'we', 'you', 'he', 'she', 'us',
  'them', 'but', 'if', 'more', 'most', 'just',
])

/** An English word, lower case, with inner apostrophes (one's). */
export const ENGLISH_WORD = /[a-z]+(?:'[a-z]+)*/g

/**
 * Light English stemming, the same for glosses and questions so that "invested" meets "to
 * invest" and "households" meets "household". Rules, in order: possessive `'s` dropped; `-ies`/
 * `-ied` → `-y`; `-sses` → `-ss`; `-es` after s/x/z/ch/sh dropped; other plural `-s` dropped
 * (not `-ss`, `-us`, `-is`); `-ing`/`-ed` dropped with a doubled final consonant undone; a final
 * `-e` dropped ("complete"/"completed" → "complet"). Stems need not be words, only consistent.
 *
 * Hand-written on purpose, measured against the npm stemmers: Porter (`stemmer`) and Porter2
 * (`porter2`) also strip derivational suffixes, which merges glosses that differ in meaning
 * (organic/organ, national/nation, cooperative/cooper). On 32 English questions about the article
 * Porter2 answered two more (71.9% vs 65.6%) but retrieved worse (hit@1 62.5% vs 65.6%, hit@3
 * 90.6% vs 93.8%, MRR@10 0.765 vs 0.791), Porter the same with 68.8%; the dev set did not change.
 * Swap it for a package only when it is at least as good on every figure.
 */
export function stemEnglishWord(word: string): string {
  let stem = americanSpelling(word.toLowerCase().replace(/'s$/, '').replace(/'/g, ''))
  if (stem.length <= 3) return stem
  if (/(?:ies|ied)$/.test(stem) && stem.length > 4) stem = `${stem.slice(0, -3)}y`
  else if (stem.endsWith('sses')) stem = stem.slice(0, -2)
  else if (/(?:[sxz]|ch|sh)es$/.test(stem)) stem = stem.slice(0, -2)
  else if (/[^sui]s$/.test(stem)) stem = stem.slice(0, -1)
  else if (stem.endsWith('ing') && stem.length > 5) stem = undoubleFinalConsonant(stem.slice(0, -3))
  else if (stem.endsWith('ed') && stem.length > 4) stem = undoubleFinalConsonant(stem.slice(0, -2))
  if (stem.endsWith('e') && stem.length > 3) stem = stem.slice(0, -1)
  return stem
}

/**
 * CC-CEDICT glosses are in American spelling; questions may be British: kilometre(s) → kilometer(s),
 * honour → honor, organised → organized, centre → center. Applied before stemming, on both sides.
 */
function americanSpelling(word: string): string {
  if (word.length <= 5) return word
  let spelled = word.replace(/([bt])re(s|d)?$/, '$1er$2')
  if (!/(?:four|tour|pour|your|hour|flour|sour)/.test(spelled)) spelled = spelled.replace(/our(s|ed|ing|able)?$/, 'or$1')
  const ise = /^(\w{3,})is(e|ed|es|ing|ation|ations)$/.exec(spelled)
  if (ise && !BRITISH_ISE_EXCEPTIONS.test(`${ise[1]}ise`)) spelled = `${ise[1]}iz${ise[2]}`
  return spelled
}

// Words that end in -ise in American English too.
const BRITISH_ISE_EXCEPTIONS = /(?:advertise|exercise|promise|compromise|surprise|revise|supervise|advise|devise|comprise|despise|disguise|enterprise|franchise|merchandise|premise|treatise|expertise|wise|rise|noise|praise|raise|cruise|concise|precise|paradise|otherwise|likewise|clockwise)$/

/** "planned" → "plann" → "plan"; l, s and z stay doubled ("filled", "passed", "buzzed"). */
function undoubleFinalConsonant(stem: string): string {
  return /([b-df-hj-km-npqrtv-xy])\1$/.test(stem) && !/(?:ll|ss|zz)$/.test(stem) ? stem.slice(0, -1) : stem
}

function isEnglishStopWord(word: string): boolean {
  return isStopWord(word) || GLOSS_STOP_WORDS.has(word)
}

/** Content words of an English text, in order, lower-cased and stemmed. */
export function englishContentStems(text: string): string[] {
  const words = text.toLowerCase().replace(/[’‘]/g, "'").match(ENGLISH_WORD) ?? []
  return words
    .map((word) => word.replace(/'s$/, ''))
    .filter((word) => !isEnglishStopWord(word))
    .map(stemEnglishWord)
    .filter((stem) => stem.length > 1 && !isEnglishStopWord(stem))
}

