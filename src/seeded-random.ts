/**
 * A small seeded generator of floats in [0, 1) (mulberry32): the same seed gives the same sequence,
 * which Math.random cannot. The similarity calibration samples the same chunks at every rebuild, the
 * bench writes the same corpora, the soak injects the same faults, the test model has the same weights.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let mixed = state
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1)
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61)
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296
  }
}
