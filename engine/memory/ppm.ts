/**
 * Variable-order token counts with PPM-C blending (Cleary & Witten; Moffat's escape method C, with
 * blending rather than exclusion, as IDyOM uses for its long- and short-term models).
 *
 *   p_k(w | h) = (c(h_k, w) + T(h_k) · p_{k−1}(w | h)) / (N(h_k) + T(h_k)),   p_{−1} = uniform
 *
 * h_k = the last k tokens, c = how often w followed h_k, N = total count after h_k, T = number of
 * distinct tokens seen after h_k. Contexts never seen are skipped (their level leaves p unchanged).
 * Positions before the start of a piece read as a begin-of-piece symbol, so the model also learns
 * how pieces begin.
 *
 * Storage is a reversed-context trie in typed arrays with open-addressing hashes, because counts
 * over a corpus (studies/) hold millions of (context, token) entries and JS Maps of that size cost
 * several times the memory; a piece's counts are cloned at every variation, which typed arrays make
 * cheap.
 */

/**
 * Initial capacity for the counts of one piece: a few hundred tokens times the order's levels fit
 * without rehashing, which otherwise dominated the cost of a generation's first bars.
 */
export const PIECE_CAPACITY = 1024;

class NumberHash {
  keys: Float64Array;
  vals: Int32Array;
  mask: number;
  size = 0;

  constructor(capacity: number) {
    let c = 16;
    while (c < capacity * 2) c <<= 1;
    this.keys = new Float64Array(c).fill(-1);
    this.vals = new Int32Array(c);
    this.mask = c - 1;
  }

  private slot(k: number): number {
    const lo = k >>> 0;
    const hi = (k / 4294967296) >>> 0;
    let h = Math.imul(lo ^ Math.imul(hi, 0x27d4eb2d), 0x9e3779b1);
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    let i = h & this.mask;
    const keys = this.keys;
    for (;;) {
      const x = keys[i];
      if (x === k || x === -1) return i;
      i = (i + 1) & this.mask;
    }
  }

  clone(): NumberHash {
    const c = new NumberHash(1);
    c.keys = this.keys.slice();
    c.vals = this.vals.slice();
    c.mask = this.mask;
    c.size = this.size;
    return c;
  }

  get(k: number): number {
    const s = this.slot(k);
    return this.keys[s] === k ? this.vals[s] : -1;
  }

  set(k: number, v: number): void {
    const s = this.slot(k);
    if (this.keys[s] !== k) {
      this.keys[s] = k;
      this.size++;
    }
    this.vals[s] = v;
    if (this.size * 10 > this.keys.length * 6) this.grow();
  }

  private grow(): void {
    const ok = this.keys;
    const ov = this.vals;
    this.keys = new Float64Array(ok.length * 2).fill(-1);
    this.vals = new Int32Array(ok.length * 2);
    this.mask = this.keys.length - 1;
    for (let i = 0; i < ok.length; i++) {
      if (ok[i] !== -1) {
        const s = this.slot(ok[i]);
        this.keys[s] = ok[i];
        this.vals[s] = ov[i];
      }
    }
  }
}

function grown<T extends Int32Array>(a: T, n: number): T {
  const b = new Int32Array(n);
  b.set(a);
  return b as T;
}

export class PpmCounts {
  readonly vocabSize: number;
  readonly maxOrder: number;
  private readonly begin: number; // context symbol for positions before the piece
  private nNodes = 1;
  private total: Int32Array; // N per node
  private distinct: Int32Array; // T per node
  private firstEntry: Int32Array; // head of the node's entry list
  private nEntries = 0;
  private entryToken: Int32Array;
  private entryCount: Int32Array;
  private entryNext: Int32Array;
  private children: NumberHash;
  private entries: NumberHash;
  private readonly path: Int32Array;

  constructor(vocabSize: number, maxOrder: number, capacity = 1024) {
    this.vocabSize = vocabSize;
    this.maxOrder = maxOrder;
    this.begin = vocabSize;
    this.total = new Int32Array(capacity);
    this.distinct = new Int32Array(capacity);
    this.firstEntry = new Int32Array(capacity).fill(-1);
    this.entryToken = new Int32Array(capacity);
    this.entryCount = new Int32Array(capacity);
    this.entryNext = new Int32Array(capacity);
    this.children = new NumberHash(capacity);
    this.entries = new NumberHash(capacity);
    this.path = new Int32Array(maxOrder + 1);
  }

  /** An independent copy (a piece model branching into variations). */
  clone(): PpmCounts {
    const c = new PpmCounts(this.vocabSize, this.maxOrder, 16);
    c.nNodes = this.nNodes;
    c.total = this.total.slice();
    c.distinct = this.distinct.slice();
    c.firstEntry = this.firstEntry.slice();
    c.nEntries = this.nEntries;
    c.entryToken = this.entryToken.slice();
    c.entryCount = this.entryCount.slice();
    c.entryNext = this.entryNext.slice();
    c.children = this.children.clone();
    c.entries = this.entries.clone();
    return c;
  }

  private newNode(): number {
    if (this.nNodes === this.total.length) {
      const n = this.total.length * 2;
      this.total = grown(this.total, n);
      this.distinct = grown(this.distinct, n);
      const f = new Int32Array(n).fill(-1);
      f.set(this.firstEntry);
      this.firstEntry = f;
    }
    return this.nNodes++;
  }

  private newEntry(node: number, token: number): number {
    if (this.nEntries === this.entryToken.length) {
      const n = this.entryToken.length * 2;
      this.entryToken = grown(this.entryToken, n);
      this.entryCount = grown(this.entryCount, n);
      this.entryNext = grown(this.entryNext, n);
    }
    const e = this.nEntries++;
    this.entryToken[e] = token;
    this.entryNext[e] = this.firstEntry[node];
    this.firstEntry[node] = e;
    this.distinct[node]++;
    return e;
  }

  /** Counts `seq[i]` after each of its contexts of length 0..maxOrder (`seq[i-1]`, `seq[i-2]`, …). */
  add(seq: ArrayLike<number>, i: number): void {
    const V = this.vocabSize;
    const VB = V + 1;
    const tok = seq[i];
    let node = 0;
    for (let d = 0; ; d++) {
      const key = node * V + tok;
      let e = this.entries.get(key);
      if (e < 0) {
        e = this.newEntry(node, tok);
        this.entries.set(key, e);
      }
      this.entryCount[e]++;
      this.total[node]++;
      if (d === this.maxOrder) break;
      const ct = i - 1 - d >= 0 ? seq[i - 1 - d] : this.begin;
      const ck = node * VB + ct;
      let child = this.children.get(ck);
      if (child < 0) {
        child = this.newNode();
        this.children.set(ck, child);
      }
      node = child;
    }
  }

  /** Counts every token of a sequence (a corpus, in the studies; tests). */
  addSequence(seq: ArrayLike<number>): void {
    for (let i = 0; i < seq.length; i++) this.add(seq, i);
  }

  /**
   * Length of the longest context of seq[i] (at most maxOrder) that has been seen: inside a passage
   * that repeats earlier material of a piece it grows by one per token.
   */
  matchedOrder(seq: ArrayLike<number>, i: number): number {
    const L = this.contextPath(seq, i, this.maxOrder);
    for (let d = L; d > 0; d--) if (this.total[this.path[d]] > 0) return d;
    return 0;
  }

  /** Nodes of the contexts of seq[i] that exist, orders 0..L; returns L. */
  private contextPath(seq: ArrayLike<number>, i: number, order: number): number {
    const VB = this.vocabSize + 1;
    let node = 0;
    this.path[0] = 0;
    let d = 0;
    for (; d < order; d++) {
      const ct = i - 1 - d >= 0 ? seq[i - 1 - d] : this.begin;
      const c = this.children.get(node * VB + ct);
      if (c < 0) break;
      node = c;
      this.path[d + 1] = c;
    }
    return d;
  }

  /**
   * Writes the PPM-C distribution of the token at position i of `seq` (given seq[0..i-1]) into
   * `out` (length vocabSize), using contexts up to maxOrder. Returns `out`. What escapes every order
   * goes to `base` (a distribution over the vocabulary) when given, else uniformly to every token.
   */
  distribution(seq: ArrayLike<number>, i: number, out: Float64Array, base?: ArrayLike<number>): Float64Array {
    const V = this.vocabSize;
    out.fill(0);
    const L = this.contextPath(seq, i, this.maxOrder);
    // The blend unrolled from the highest order down: a count at level d is scaled by the escape
    // probabilities of all higher levels (`scale`), so the cost is the entries visited plus one pass
    // over the vocabulary, not one pass per order.
    let scale = 1;
    for (let d = L; d >= 0; d--) {
      const nd = this.path[d];
      const N = this.total[nd];
      if (N === 0) continue;
      const T = this.distinct[nd];
      const den = N + T;
      const a = scale / den;
      for (let e = this.firstEntry[nd]; e >= 0; e = this.entryNext[e])
        out[this.entryToken[e]] += this.entryCount[e] * a;
      scale *= T / den;
    }
    if (base) for (let v = 0; v < V; v++) out[v] += scale * base[v];
    else {
      const u = scale / V;
      for (let v = 0; v < V; v++) out[v] += u;
    }
    return out;
  }

  /**
   * Probability of seq[i] given seq[0..i-1] under every maximum order 0..maxOrder at once (cheaper
   * than full distributions when choosing an order): out[k] = p with contexts up to k. The studies
   * choose n-gram orders and encodings with it (studies/).
   */
  probabilityAllOrders(seq: ArrayLike<number>, i: number, out: Float64Array): Float64Array {
    const V = this.vocabSize;
    const tok = seq[i];
    const L = this.contextPath(seq, i, this.maxOrder);
    let p = 1 / V;
    for (let k = 0; k <= this.maxOrder; k++) {
      if (k <= L) {
        const nd = this.path[k];
        const N = this.total[nd];
        if (N > 0) {
          const e = this.entries.get(nd * V + tok);
          const c = e >= 0 ? this.entryCount[e] : 0;
          const T = this.distinct[nd];
          p = (c + T * p) / (N + T);
        }
      }
      out[k] = p;
    }
    return out;
  }
}
