/**
 * The sampler's random numbers: sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, 128-bit
 * state of four uint32s), seeded through splitmix32. Integer arithmetic only (Math.imul, shifts,
 * `| 0`), so the same seed gives the same numbers on every OS and CPU; Math.random is never used.
 *
 * A generator is identified by (seed, stream): variation i of a generation uses stream i, so every
 * variation is reproducible on its own from the user's random seed and its index.
 */
export interface RngState {
  a: number;
  b: number;
  c: number;
  d: number;
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** `seed`: any safe integer (negative too); `stream`: a non-negative integer (variation index). */
  constructor(seed: number, stream = 0) {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`random seed ${seed} is not a whole number`);
    if (!Number.isSafeInteger(stream) || stream < 0)
      throw new RangeError(`random stream ${stream} is not a whole number ≥ 0`);
    const lo = seed >>> 0;
    const hi = Math.floor(seed / 4294967296) >>> 0;
    let s = (lo ^ Math.imul(hi, 0x9e3779b9) ^ Math.imul(stream + 1, 0x85ebca6b)) >>> 0;
    const splitmix = (): number => {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
      z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
      return (z ^ (z >>> 15)) >>> 0;
    };
    this.a = splitmix();
    this.b = splitmix();
    this.c = splitmix();
    this.d = (stream ^ hi) >>> 0;
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** Uniform integer in 0 .. 2^32 − 1. */
  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1), 32 bits of resolution. */
  nextFloat(): number {
    return this.nextUint32() / 4294967296;
  }

  getState(): RngState {
    return { a: this.a, b: this.b, c: this.c, d: this.d };
  }

  setState(s: RngState): void {
    this.a = s.a | 0;
    this.b = s.b | 0;
    this.c = s.c | 0;
    this.d = s.d | 0;
  }
}
