/**
 * PDF fonts often map one glyph both to an ideograph and to the radical that looks the same, and
 * the PDF's ToUnicode table then names the radical: pdf.js reads 石 as ⽯ (U+2F6F KANGXI RADICAL
 * STONE), 民 as ⺠ (U+2EA0 CJK RADICAL CIVILIAN). Kangxi radicals have compatibility decompositions
 * (NFKC gives the ideograph); the CJK Radicals Supplement has none, so its common look-alikes are
 * listed here (Unicode's EquivalentUnifiedIdeograph.txt, the simplified forms that Chinese text uses).
 * One Kangxi radical is overridden: simplified Chinese fonts draw ⼾ (U+2F3E) as 户, not NFKC's 戶.
 * Checked by printing the NFKC target of every Kangxi radical and these look-alikes in Noto Sans
 * CJK SC through Chromium to PDF and reading it back with pdf.js: all 264 come back right.
 */
// Radical → ideograph, two characters a pair.
const RADICAL_EQUIVALENTS = new Map(
  '⼾户 ⺐尢 ⺓幺 ⺕彐 ⻱龜 ⺟母 ⺠民 ⻄西 ⻅见 ⻆角 ⻉贝 ⻋车 ⻓长 ⻔门 ⻘青 ⻙韦 ⻚页 ⻛风 ⻜飞 ⻝食 ⻢马 ⻣骨 ⻤鬼 ⻥鱼 ⻦鸟 ⻧卤 ⻨麦 ⻩黄 ⻪黾 ⻬齐 ⻮齿 ⻰龙 ⻳龟 ⻗雨 ⻁虎 ⺩王 ⺜日 ⺝月 ⺼月 ⻑長 ⺬示 ⺻聿 ⺽臼 ⻐钅 ⻈讠 ⺰纟 ⻠饣 ⺅亻 ⺉刂 ⺖忄 ⺘扌 ⺙攵 ⺡氵 ⺣灬 ⺨犭 ⺾艹 ⻌辶 ⻏阝 ⻖阝 ⺁厂 ⺀冫 ⺦丬 ⺧牜 ⺭礻 ⻂衤 ⺹耂 ⺤爫 ⺫罒 ⻃覀'
    .split(' ')
    .map((pair) => [pair[0], pair[1]] as const),
)
const RADICAL = /[\u2E80-\u2EF3\u2F00-\u2FD5]/gu

/** The ideographs behind radical code points a PDF font named instead (see above). */
export function repairCjkRadicals(text: string): string {
  return text.replace(RADICAL, (radical) => RADICAL_EQUIVALENTS.get(radical) ?? radical.normalize('NFKC'))
}
