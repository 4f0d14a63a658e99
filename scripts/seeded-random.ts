// A small seeded pseudo-random generator (mulberry32), so each benchmark run makes the same inputs.

/** Numbers in [0, 1) from a 32-bit seed; the same seed gives the same numbers. */
export function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
