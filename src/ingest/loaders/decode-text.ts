import chardet from 'chardet'
import iconv from 'iconv-lite'
import { CiteqaError } from '../../errors.ts'

/** A decoded file is refused when more than this share of its characters are U+FFFD or control characters. */
const MAX_BAD_CHARACTER_SHARE = 0.1
/** chardet's confidence (0–100) from which its guess is taken over GB18030 for bytes that read as Chinese in both. */
const CONFIDENT = 50
// Control characters other than tab and line breaks, C1 included: what binary bytes decode to in a single-byte encoding.
const BAD_CHARACTER = /[\uFFFD\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g

export interface DecodedText {
  text: string
  /** The encoding the bytes were read as (`UTF-8`, `UTF-16LE`, `GB18030`, …). */
  encoding: string
}

function isValidUtf8(bytes: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes)
    return true
  } catch {
    return false
  }
}

// UTF-16 without a byte order mark: ASCII-range text leaves a zero in every other byte.
function utf16WithoutBom(bytes: Buffer): 'UTF-16LE' | 'UTF-16BE' | undefined {
  const sample = bytes.subarray(0, 4096)
  let evenZeros = 0
  let oddZeros = 0
  for (let index = 0; index + 1 < sample.length; index += 2) {
    if (sample[index] === 0) evenZeros += 1
    if (sample[index + 1] === 0) oddZeros += 1
  }
  const pairs = Math.floor(sample.length / 2)
  if (pairs === 0) return undefined
  if (oddZeros / pairs > 0.3 && evenZeros / pairs < 0.05) return 'UTF-16LE'
  if (evenZeros / pairs > 0.3 && oddZeros / pairs < 0.05) return 'UTF-16BE'
  return undefined
}

/** GBK and GB2312 are subsets of GB18030: decoding as the superset never loses a character. */
function canonicalEncoding(name: string): string {
  const upper = name.toUpperCase()
  return upper === 'GBK' || upper === 'GB2312' || upper === 'GB_2312-80' ? 'GB18030' : upper
}

/**
 * The encoding of a text file: a byte order mark (UTF-8, UTF-16), else `declared` (an HTML
 * `<meta charset>`) when iconv-lite knows it, else valid UTF-8, else UTF-16 by its zero bytes, else
 * what chardet finds most likely (GB18030 for most Chinese `.txt` files written on Windows).
 */
export function detectEncoding(bytes: Buffer, declared?: string): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'UTF-8'
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'UTF-16LE'
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'UTF-16BE'
  if (declared && iconv.encodingExists(declared)) return canonicalEncoding(declared)
  if (isValidUtf8(bytes)) return 'UTF-8'
  const utf16 = utf16WithoutBom(bytes)
  if (utf16) return utf16
  const [best] = chardet.analyse(bytes)
  const detected = best && iconv.encodingExists(best.name) ? canonicalEncoding(best.name) : undefined
  if (detected && (/^(?:GB18030|BIG5)$/.test(detected) || best.confidence >= CONFIDENT)) return detected
  // On a few dozen bytes chardet guesses at random for Chinese (西凉湖渔业简介 in GB18030 is KOI8-R to
  // it, 神山镇有18个村。 ISO-8859-1, 拆除围网养殖4万亩 Shift_JIS, all below 50): unless it is sure,
  // GB18030 wins when it reads the bytes cleanly as mostly Han.
  if (readsAsChinese(bytes)) return 'GB18030'
  return detected ?? 'UTF-8'
}

/** The bytes decode as GB18030 without a replacement character, and at least 60% of the non-ASCII characters are Han. */
function readsAsChinese(bytes: Buffer): boolean {
  const text = iconv.decode(bytes, 'GB18030')
  if (text.includes('\uFFFD')) return false
  const nonAscii = text.replace(/[\u0000-\u007F]/g, '')
  const han = nonAscii.match(/\p{Script=Han}/gu)?.length ?? 0
  return nonAscii.length > 0 && han / [...nonAscii].length >= 0.6
}

/**
 * Decodes a text file (see {@link detectEncoding}), without its byte order mark. Throws
 * `ingest_undecodable` when the result is mostly replacement or control characters — a binary file,
 * or an encoding no detector recognised — rather than indexing mojibake.
 */
export function decodeText(bytes: Buffer, path: string, declared?: string): DecodedText {
  const encoding = detectEncoding(bytes, declared)
  const text = iconv.decode(bytes, encoding).replace(/^\uFEFF/, '')
  const characters = text.replace(/\s/g, '').length
  const bad = text.match(BAD_CHARACTER)?.length ?? 0
  if (characters > 0 && bad / characters > MAX_BAD_CHARACTER_SHARE) {
    throw new CiteqaError(
      'ingest_undecodable',
      `Ingest: ${path} does not read as text: decoded as ${encoding}, ${Math.round((bad / characters) * 100)}% of its characters are unreadable (a binary file, or an unknown encoding)`,
      { hint: 'Save the file as UTF-8 (or GB18030) text, or give it the extension of its real format (.pdf, .docx, .html).' },
    )
  }
  return { text, encoding }
}
