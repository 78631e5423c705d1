// Question words, particles and function words in Chinese and English. They carry no topic,
// so matching them would reward passages for sharing the question's grammar, not its subject.
const STOP_WORDS = new Set(
  [
    // Chinese question words and particles
    '的', '了', '是', '在', '和', '与', '及', '有', '都', '也', '就', '把', '被', '对', '为', '从', '于', '中', '上', '下',
    '吗', '呢', '吧', '啊', '么', '什么', '怎么', '怎样', '怎么样', '如何', '多少', '几', '哪', '哪些', '哪个', '哪一年',
    '谁', '为什么', '是否', '多', '少', '个', '些', '这', '那', '这些', '那些', '它', '他', '她', '其', '该', '要', '得',
    '一共', '总共', '分别', '包括', '内容', '情况', '请问', '文章', '一下', '了吗', '多长', '多大', '多久', '时候',
    '什么样', '哪里', '几个', '有没有', '是不是', '吗?',
    '多少', '什', '么', '怎', '样', '哪', '谁',
    // Spoken Chinese: fillers and demonstratives that carry no topic (…是多少来着? 那个…, 啥…)
    '来着', '啥', '咋', '咋样', '干啥', '为啥', '那个', '这个', '那座', '这座', '那位', '这位', '那趟', '那一片', '一下', '大概', '到底', '究竟', '大约', '左右', '一带',
    // English
    'a', 'an', 'the', 'of', 'to', 'in', 'on', 'at', 'for', 'by', 'with', 'from', 'and', 'or', 'is', 'are', 'was', 'were',
    'be', 'been', 'being', 'do', 'does', 'did', 'has', 'have', 'had', 'what', 'which', 'who', 'whom', 'whose', 'when',
    'where', 'why', 'how', 'many', 'much', 'it', 'its', 'this', 'that', 'these', 'those', 'there', 'their', 'they',
    'as', 'into', 'about', 'than', 'then', 'so', 'such', 'can', 'could', 'would', 'should', 'will', 'shall', 'may',
    'tell', 'me', 'please', 'article', 'say', 'says', 'said',
  ],
)

// Question words jieba keeps whole: 哪国, 哪几种, 何时, 何职, 因何, 几家, 第几, 由谁来, 什么样.
const QUESTION_WORD = /^(?:哪|何|几(?!乎|何))|(?:什么|谁|为何|因何|如何|何时|何地|何处|多少|啥)|^第几/

// A demonstrative with its measure word (这条路, 那座桥, 该项): it points, it names nothing.
const DEMONSTRATIVE = /^[这那该此][条座位家所只件项种块片栋间辆艘台部]$/u

/** True for words that say what kind of question it is rather than what it is about. */
export function isStopWord(word: string): boolean {
  return STOP_WORDS.has(word) || QUESTION_WORD.test(word) || DEMONSTRATIVE.test(word)
}
