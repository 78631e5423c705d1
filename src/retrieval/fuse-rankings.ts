/** One ranked list to fuse: ids best first, with the weight this list gets. */
export interface Ranking {
  ids: string[]
  /** Multiplies this list's contribution. Default 1. */
  weight?: number
}

/**
 * Reciprocal-rank fusion: each list adds weight / (k + rank) to an id. Robust to lists whose
 * scores live on different scales (cosine vs BM25), which is why it needs no calibration.
 * `k` (default 60) damps the head: a smaller k lets the top ranks dominate more.
 */
export function fuseRankings(rankings: Ranking[], k = 60): Map<string, number> {
  const fused = new Map<string, number>()
  for (const { ids, weight = 1 } of rankings) {
    ids.forEach((id, index) => fused.set(id, (fused.get(id) ?? 0) + weight / (k + index + 1)))
  }
  return fused
}
