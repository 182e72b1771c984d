/**
 * The world's only source of randomness: sfc32 seeded through splitmix32. Integer arithmetic only
 * (Math.imul, shifts), so a seed gives the same numbers in every JS engine on every machine.
 */

export interface Rng {
  /** A uniform 32-bit unsigned integer. */
  u32(): number;
  /** Uniform in [0, 1), a multiple of 2^-32. */
  float(): number;
  /** Uniform integer in [lo, hi], both inclusive. */
  int(lo: number, hi: number): number;
  /** Uniform in [lo, hi). */
  range(lo: number, hi: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
  /** An independent generator seeded from one draw of this one. */
  fork(): Rng;
}

/** Murmur3's finalizer: a bijection on 32-bit integers that scatters every input bit. */
export function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** The seed of scene `index` of the world `seed`: scene i is the same whatever the world's size. */
export function sceneSeed(seed: number, index: number): number {
  return mix32(mix32(seed >>> 0) ^ Math.imul(index + 1, 0x9e3779b1));
}

export function createRng(seed: number): Rng {
  // splitmix32 turns one 32-bit seed into sfc32's four words of state.
  let s = seed >>> 0;
  const split = (): number => {
    s = (s + 0x9e3779b9) | 0;
    return mix32(s);
  };
  let a = split(),
    b = split(),
    c = split(),
    d = split();
  const u32 = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 12; i++) u32(); // sfc32's recommended warm-up
  const float = (): number => u32() / 4294967296;
  const rng: Rng = {
    u32,
    float,
    int: (lo, hi) => lo + Math.floor(float() * (hi - lo + 1)),
    range: (lo, hi) => lo + float() * (hi - lo),
    pick: (items) => items[Math.floor(float() * items.length)],
    chance: (p) => float() < p,
    fork: () => createRng(u32()),
  };
  return rng;
}
