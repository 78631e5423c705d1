import type { DeclaredMetadata, DocumentFormat } from './loaders/document-loader.ts'

/** One paragraph of a document, numbered from 1 in reading order, headings included. */
export interface Paragraph {
  docId: string
  /** 1-based paragraph number within its document. */
  number: number
  text: string
  /** Breadcrumb of the enclosing headings, e.g. `四、推动“四个全面”战略布局 › 2、全面深化改革不留暗门`; empty before the first heading. */
  section: string
  /** `heading` for a top section line (一、…), `item` for a numbered item (1、…), else `body`. */
  kind: 'heading' | 'item' | 'body'
  /** 1-based page the paragraph starts on, for documents that have pages (PDF). */
  page?: number
}

/**
 * One fact about a document found in its own text, citable like a passage:
 * `paragraphs[paragraph - 1].text.slice(start, end) === value` (the value alone, without its
 * label: `赤壁市神山镇党委书记杨赤明` out of `(作者:赤壁市神山镇党委书记杨赤明)`).
 */
export interface MetadataField {
  value: string
  /** 1-based paragraph number. */
  paragraph: number
  start: number
  end: number
}

/** What a document says about itself; a field is absent when the text does not say it. */
export interface DocumentMetadata {
  title?: MetadataField
  /** The byline: an author, or reporters (`记者王勃、通讯员程钊`). */
  author?: MetadataField
  /** Where it was published or taken from (`来源:` / `出处:`). */
  source?: MetadataField
  /** Publication date as written (`2018年7月3日`, `2018-07-03`). */
  date?: MetadataField
}

/** A document ready to index: its paragraphs after page chrome has been dropped. */
export interface ArticleDocument {
  id: string
  /** File the document was read from (for messages and /health). */
  source: string
  /** The format it was read as; absent for documents built in code (tests), which are text. */
  format?: DocumentFormat
  /** What the file said about itself outside its text (HTML `<title>`/`og:` tags, a PDF's page count); not citable. */
  declared?: DeclaredMetadata
  paragraphs: Paragraph[]
  /** Title, author, source and date, found in the paragraphs at ingest. */
  metadata: DocumentMetadata
}

/** A sentence with its character offsets in the paragraph it came from. */
export interface SentenceSpan {
  text: string
  start: number
  end: number
}

/** The unit that is embedded and searched: consecutive sentences of one paragraph. */
export interface Chunk {
  /** Content hash of docId, paragraph, section, offsets and text: re-ingesting the same text yields the same ids. */
  id: string
  docId: string
  paragraph: number
  section: string
  text: string
  /** Offsets of `text` in the paragraph: `paragraph.text.slice(start, end) === text`. */
  start: number
  end: number
  /** The page its paragraph starts on, for documents with pages (PDF). */
  page?: number
}
