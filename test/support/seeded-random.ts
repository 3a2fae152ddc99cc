/**
 * mulberry32: a seeded generator of numbers in [0, 1), so that a fuzz test's failure
 * names inputs that can be replayed. Integer maths throughout: a linear congruential
 * generator in floating point loses its low bits and cycles after a few thousand values.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
