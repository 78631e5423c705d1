import { detectLanguage, type Language } from './detect-language.ts'

/**
 * Small talk and questions about the service itself — greetings, thanks, goodbyes, "who are you",
 * "what can you do" — in Chinese and English. They are not questions about the documents: they
 * get a short reply that says what the service answers questions about, with no citation, in
 * either mode and without calling the LLM.
 */
export type SmallTalkKind = 'greeting' | 'thanks' | 'goodbye' | 'identity' | 'help'

// The whole message must be small talk: "hello, how many boats were removed?" is a question.
// Politeness around it (请问, 呀, 啊, please) and the service's name may stand beside it.
const CHINESE: [SmallTalkKind, RegExp][] = [
  ['greeting', /^(?:你好|您好|你们好|大家好|嗨|哈喽|哈啰|嘿|喂|在吗|在不在|早上好|上午好|中午好|下午好|晚上好|早安|午安|晚安|早|hi|hello)+$/],
  ['thanks', /^(?:(?:好的|好|嗯|哦|ok|okay|明白了?|知道了|懂了|了解了?)?(?:谢谢|多谢|感谢|谢了|谢啦|谢谢你|谢谢您|非常感谢|太感谢了?|辛苦了)+|好的|好|嗯+|哦+|ok|明白了?|知道了|懂了|了解了?|收到|不错|很好|太好了|厉害)$/],
  ['goodbye', /^(?:再见|拜拜|回头见|下次见|先这样|没有了|没事了|就这些)+$/],
  ['identity', /^(?:你是谁|你是什么|你叫什么(?:名字)?|你是(?:机器人|人工智能|ai|人)吗?|您是谁|你是哪位)$/],
  ['help', /^(?:你(?:能|会|可以)(?:帮我)?(?:做|干|回答)?(?:些|点)?(?:什么|啥)(?:问题|事情?)?|你有什么功能|我(?:能|可以)问(?:些|点)?(?:什么|啥)|可以问什么|能问什么|怎么用|怎么使用|如何使用|帮助|使用说明|有什么可以问的)$/],
]

const ENGLISH: [SmallTalkKind, RegExp][] = [
  ['greeting', /^(?:(?:hi|hello|hey|hiya|howdy|greetings|yo|good (?:morning|afternoon|evening|day))(?: there| all| everyone)?|how are you(?: doing)?|how's it going)(?: (?:hi|hello|hey|how are you))*$/],
  ['thanks', /^(?:(?:ok|okay|great|cool|nice|fine|alright|got it|i see|perfect|good|awesome)(?: (?:thanks|thank you|thx|ty|cheers))?|(?:thanks|thank you|thx|ty|cheers|many thanks|thanks a lot|thank you so much|thanks so much)(?: (?:a lot|very much|so much|again))?)$/],
  ['goodbye', /^(?:bye|goodbye|bye bye|see you|see ya|that's all|that is all|nothing else)$/],
  ['identity', /^(?:who are you|what are you|what is your name|what's your name|are you (?:a bot|a robot|an ai|human))$/],
  ['help', /^(?:what can you do|what do you do|what can i ask(?: you)?|what should i ask|how do i use (?:this|you)|how does this work|help|what do you know(?: about)?)$/],
]

/** The message as the patterns read it: NFKC, lower case, the service's name, politeness and punctuation gone. */
function normalizedMessage(message: string, language: Language): string {
  let text = message.normalize('NFKC').toLowerCase().trim()
  text = text.replace(/[\p{P}\p{S}\s]+/gu, language === 'zh' ? '' : ' ').trim()
  if (language === 'zh') return text.replace(/^(?:请问|那个|嗯|哦)/u, '').replace(/(?:citeqa|呀|啊|呢|哈|啦|吧|哦|嘛)+$/u, '')
  return text.replace(/\b(?:citeqa|please|so|well|um|uh)\b/g, ' ').replace(/\s+/g, ' ').trim()
}

// When a message holds several (Hi, who are you?), the reply answers the one that asks most.
const PRECEDENCE: SmallTalkKind[] = ['help', 'identity', 'goodbye', 'thanks', 'greeting']

/** The kind of one clause of small talk, or undefined. */
function clauseKindOf(clause: string, language: Language): SmallTalkKind | undefined {
  const text = normalizedMessage(clause, language)
  if (!text) return undefined
  // A Chinese greeting may be typed in Latin letters (hi, ok) inside a Chinese chat, and the reverse.
  const patterns = language === 'zh' ? [...CHINESE, ...ENGLISH] : [...ENGLISH, ...CHINESE]
  return patterns.find(([, pattern]) => pattern.test(text))?.[0]
}

/**
 * The kind of small talk a message is, or undefined for a question about the documents. A message
 * of several clauses (Hi, who are you? / 你好,谢谢!) is small talk when every clause is.
 */
export function smallTalkKindOf(message: string): SmallTalkKind | undefined {
  const language = detectLanguage(message)
  const whole = clauseKindOf(message, language)
  if (whole) return whole
  const clauses = message.split(/[,，.。!！?？;；、\n]+/u).filter((clause) => clause.trim().length > 0)
  if (clauses.length < 2) return undefined
  const kinds = clauses.map((clause) => clauseKindOf(clause, language))
  if (kinds.some((kind) => kind === undefined)) return undefined
  return PRECEDENCE.find((kind) => kinds.includes(kind))
}

/** What the reply names the documents by: their titles (at most this many, then "and N more"). */
const TITLES_NAMED = 3

function listTitles(titles: string[], language: Language): string {
  const named = titles.slice(0, TITLES_NAMED)
  const more = titles.length - named.length
  if (language === 'zh') return `${named.map((title) => `《${title}》`).join('、')}${more > 0 ? `等 ${titles.length} 篇文档` : ''}`
  return `${named.map((title) => `“${title}”`).join(', ')}${more > 0 ? ` and ${more} more document${more > 1 ? 's' : ''}` : ''}`
}

const OPENINGS: Record<SmallTalkKind, Record<Language, string>> = {
  greeting: { zh: '你好!', en: 'Hello!' },
  thanks: { zh: '不客气。', en: "You're welcome." },
  goodbye: { zh: '再见!', en: 'Goodbye!' },
  identity: { zh: '我是 citeqa,一个根据文档内容回答问题的助手。', en: "I'm citeqa, an assistant that answers questions from documents." },
  help: { zh: '我可以回答关于文档内容的问题,每个回答都注明出处段落,方便核对。', en: 'I answer questions about documents, and every answer cites the paragraphs it comes from, so you can check it.' },
}

/**
 * The reply to small talk: a short friendly line that says what the service answers questions
 * about (the documents' titles), in the message's language.
 */
export function smallTalkReply(kind: SmallTalkKind, message: string, documentTitles: string[]): string {
  const language = detectLanguage(message)
  const titles = documentTitles.filter((title) => title.trim().length > 0)
  const about =
    language === 'zh'
      ? titles.length > 0
        ? `你可以问我关于${listTitles(titles, language)}的问题,我会引用原文段落作答。`
        : '你可以问我关于文档内容的问题,我会引用原文段落作答。'
      : titles.length > 0
        ? `Ask me about ${listTitles(titles, language)}, and I will answer with citations to its paragraphs.`
        : 'Ask me about the documents, and I will answer with citations to their paragraphs.'
  return `${OPENINGS[kind][language]}${language === 'zh' ? '' : ' '}${about}`
}
