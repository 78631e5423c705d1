import { LRUCache } from 'lru-cache'

/**
 * What a function gave for the keys asked lately (`lru-cache`, the least recently used going first
 * beyond `size`): a question's words, cuts and table lookups are asked for by several steps of one
 * answer. Undefined results are kept too (a word no table lists).
 */
export class RecentResults<V> {
  private readonly results: LRUCache<string, { value: V }>

  constructor(size: number) {
    this.results = new LRUCache({ max: size })
  }

  /** `make()`'s result for `key`, made now or kept from an earlier call with the same key. */
  get(key: string, make: () => V): V {
    let kept = this.results.get(key)
    if (!kept) {
      kept = { value: make() }
      this.results.set(key, kept)
    }
    return kept.value
  }
}
