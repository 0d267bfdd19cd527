/**
 * The engine's seeded random numbers: sfc32 (Chris Doty-Humphrey's Small Fast Counting generator),
 * whose whole state is four uint32 words. Integer arithmetic only (Math.imul, shifts, `>>> 0`), so
 * the same seed gives the same numbers on every OS and CPU; Math.random is never used. The state is
 * plain data, so a training checkpoint can store it and a resumed run draws exactly the numbers the
 * uninterrupted run would have drawn.
 *
 * Two seed derivations, each kept bit for bit because stored results depend on them:
 * - `new Rng(seed, stream)`, the sampler's: splitmix32 spreads a safe-integer seed and a stream over
 *   the words. Variation i of a generation uses stream i, so every variation is reproducible on its
 *   own from the user's random seed and its index.
 * - `trainingRng(seed)` (engine/train/rng.ts), the batch stream's: the sfc32 reference's expansion
 *   of a 32-bit seed, which the default model's recipe was trained with.
 */
export type RngState = [a: number, b: number, c: number, d: number];

export class Rng {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;

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
    this.setState([splitmix(), splitmix(), splitmix(), stream ^ hi]);
    this.discard(12);
  }

  /** A generator that continues from `state` (as returned by getState). */
  static fromState(state: RngState): Rng {
    const rng = new Rng(0);
    rng.setState(state);
    return rng;
  }

  getState(): RngState {
    return [this.a, this.b, this.c, this.d];
  }

  /** Accepts each word as signed or unsigned 32 bits (earlier builds stored either). */
  setState(state: RngState): void {
    [this.a, this.b, this.c, this.d] = state.map((x) => x >>> 0) as RngState;
  }

  /** Draws and drops `count` numbers: the warm-up that mixes a weak seed into all four words. */
  discard(count: number): void {
    for (let i = 0; i < count; i++) this.nextUint32();
  }

  /** Uniform integer in 0 .. 2^32 − 1. */
  nextUint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = (this.b ^ (this.b >>> 9)) >>> 0;
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** Uniform in [0, 1), 32 bits of resolution. */
  nextFloat(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [lo, hi] (inclusive). */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.nextFloat() * (hi - lo + 1));
  }

  /** Fisher–Yates shuffle in place. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      const tmp = items[i];
      items[i] = items[j];
      items[j] = tmp;
    }
    return items;
  }
}
