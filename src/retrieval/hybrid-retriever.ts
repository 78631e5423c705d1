import { Document } from '@langchain/core/documents'
import { BaseRetriever } from '@langchain/core/retrievers'
import type { Chunk } from '../ingest/types.ts'
import { isHan } from '../text/tokenize.ts'
import { fuseRankings } from './fuse-rankings.ts'
import { KeywordIndex } from './keyword-index.ts'
import type { KeywordSearch } from './keyword-search.ts'
import { passageText, type SearchIndex } from './search-index.ts'
import { semanticEvidence } from './similarity-calibration.ts'

/** How dense and keyword results are combined. */
export interface HybridRetrieverOptions {
  /** Candidates taken from each of the dense and keyword searches before fusion. Default 20. */
  candidates: number
  /** Reciprocal-rank-fusion constant (see fuseRankings). Default 10: chosen on the dev set, top ranks matter at this corpus size. */
  rrfK: number
  /** Weight of the dense ranking in fusion. Default 1. */
  denseWeight: number
  /** Weight of the keyword (BM25) ranking in fusion. Default 1. */
  keywordWeight: number
}

export const defaultHybridRetrieverOptions: HybridRetrieverOptions = { candidates: 20, rrfK: 10, denseWeight: 1, keywordWeight: 1 }

/** A retrieved chunk with its fused score and where each search ranked it (0 = not found). */
export interface RetrievedPassage {
  chunk: Chunk
  score: number
  denseRank: number
  denseScore: number
  keywordRank: number
  keywordScore: number
  /**
   * The dense score read against the index's similarity calibration, 0–1 (see semanticEvidence);
   * undefined without a calibration (the offline embedder) or when the dense search missed the passage.
   */
  semanticEvidence?: number
}

/**
 * Dense (HNSW) plus BM25 retrieval fused by reciprocal rank. English questions are searched
 * with their Chinese translations added, so the keyword side works across languages too.
 */
export class HybridRetriever extends BaseRetriever {
  lc_namespace = ['citeqa', 'retrieval']
  private readonly index: SearchIndex
  private readonly keywords: KeywordSearch
  private readonly options: HybridRetrieverOptions
  private readonly chunksById: Map<string, Chunk>

  constructor(index: SearchIndex, options: Partial<HybridRetrieverOptions> = {}) {
    super()
    this.index = index
    this.options = { ...defaultHybridRetrieverOptions, ...options }
    this.keywords = index.keywordSearch ?? new KeywordIndex(index.chunks, passageText, index.terms)
    this.chunksById = new Map(index.chunks.map((chunk) => [chunk.id, chunk]))
  }

  /** The query the keyword search uses: English words gain their Chinese translations. */
  keywordQuery(question: string): string {
    return [...question].some(isHan) && !/[a-z]{3,}/i.test(question) ? question : this.index.translator.translate(question)
  }

  async retrieve(question: string, topK: number): Promise<RetrievedPassage[]> {
    const { candidates, rrfK, denseWeight, keywordWeight } = this.options
    const queryVector = await this.index.embeddings.embedQuery(question)
    // A query with no term the embedder knows embeds to zeros, which has no direction to compare.
    const hasDirection = queryVector.some((value) => value !== 0)
    // Side by side: with the postgres store each is a query of its own.
    const [dense, keyword] = await Promise.all([
      hasDirection ? this.index.vectorStore.similaritySearchVectorWithScore(queryVector, candidates) : [],
      this.keywords.find(this.keywordQuery(question), candidates),
    ])

    // Nothing matched a word or a pair of the question (湖里的捕鱼船拆了多少艘? against 拆除…渔船): the
    // passages sharing most of its characters are still the places to look, for the answerer to judge.
    if (dense.length === 0 && keyword.length === 0) return this.byCharacters(question, topK)

    const calibration = this.index.similarityCalibration
    const denseIds = dense.map(([document]) => (document.metadata as Chunk).id)
    const fused = fuseRankings(
      [
        { ids: denseIds, weight: denseWeight },
        { ids: keyword.map((match) => match.id), weight: keywordWeight },
      ],
      rrfK,
    )
    return [...fused.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, topK)
      .map(([id, score]) => {
        const denseIndex = denseIds.indexOf(id)
        const keywordIndex = keyword.findIndex((match) => match.id === id)
        return {
          chunk: this.chunksById.get(id)!,
          score,
          denseRank: denseIndex + 1,
          denseScore: denseIndex === -1 ? 0 : dense[denseIndex][1],
          keywordRank: keywordIndex + 1,
          keywordScore: keywordIndex === -1 ? 0 : keyword[keywordIndex].score,
          ...(denseIndex !== -1 && calibration && { semanticEvidence: semanticEvidence(dense[denseIndex][1], calibration) }),
        }
      })
  }

  /**
   * The chunks holding most of the question's Chinese characters, each weighed by how few chunks
   * hold it (a character in every chunk says nothing); chunks holding none are left out. Only when
   * neither search found anything: it reads every chunk's text.
   */
  private byCharacters(question: string, topK: number): RetrievedPassage[] {
    const characters = [...new Set(question.normalize('NFKC').match(/\p{Script=Han}/gu) ?? [])]
    const chunks = this.index.chunks
    const weights = characters.map((character) => {
      const holding = chunks.reduce((count, chunk) => count + (chunk.text.includes(character) ? 1 : 0), 0)
      return holding === 0 ? 0 : Math.log(1 + chunks.length / holding)
    })
    return chunks
      .map((chunk) => ({ chunk, score: characters.reduce((sum, character, index) => sum + (chunk.text.includes(character) ? weights[index] : 0), 0) }))
      .filter(({ score }) => score > 0)
      .sort((a, b) => b.score - a.score)
      .slice(0, topK)
      .map(({ chunk, score }) => ({ chunk, score, denseRank: 0, denseScore: 0, keywordRank: 0, keywordScore: 0 }))
  }

  /** LangChain retriever interface: the passages as Documents, scores in metadata. */
  async _getRelevantDocuments(query: string): Promise<Document[]> {
    const passages = await this.retrieve(query, 5)
    return passages.map(({ chunk, ...scores }) => new Document({ pageContent: chunk.text, metadata: { ...chunk, ...scores } }))
  }
}
