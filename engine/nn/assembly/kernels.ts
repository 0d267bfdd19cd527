// WebAssembly SIMD kernels for engine/nn (AssemblyScript, compiled by scripts/build-kernels.mjs).
// All pointers are byte offsets into this module's memory; all matrices are row-major f32.
// The JavaScript side (engine/nn/wasm-backend.ts) owns allocation: nothing here allocates.

// Blocking: a packed B panel of KC rows × 8 columns is 8 KiB and stays in L1 while MC rows of A
// (MC × KC floats, 64 KiB) stay in L2 and are reused across all panels.
const KC: i32 = 256;
const MC: i32 = 64;

// Scratch for edge tiles (fewer than 8 valid columns): 4 rows × 8 floats. A helper thread sharing
// this memory points its own instance elsewhere with setScratch (globals are per instance).
let edge: usize = memory.data(4 * 8 * 4, 16);

export function heapBase(): usize {
  return __heap_base;
}

// ---------------------------------------------------------------------------------------------
// Packing. A packed B holds ceil(N/8) panels; panel p is K rows of 8 floats (columns 8p..8p+7,
// zero past N), so the micro-kernel reads B strictly sequentially.

/** Packs B[K, N] (row stride ldb floats). */
export function packB(b: usize, ldb: i32, K: i32, N: i32, dst: usize): void {
  const panels = (N + 7) >> 3;
  for (let p = 0; p < panels; p++) {
    const col = p << 3;
    const cols = min(8, N - col);
    let d = dst + (<usize>p * <usize>K << 5);
    if (cols == 8) {
      for (let k = 0; k < K; k++) {
        const s = b + ((<usize>k * <usize>ldb + <usize>col) << 2);
        v128.store(d, v128.load(s));
        v128.store(d, v128.load(s, 16), 16);
        d += 32;
      }
    } else {
      for (let k = 0; k < K; k++) {
        const s = b + ((<usize>k * <usize>ldb + <usize>col) << 2);
        for (let c = 0; c < 8; c++) store<f32>(d + (<usize>c << 2), c < cols ? load<f32>(s + (<usize>c << 2)) : 0);
        d += 32;
      }
    }
  }
}

/** Packs the transpose of Bt[N, K] (row stride ldb floats), i.e. B[k, n] = Bt[n, k]. */
export function packBT(bt: usize, ldb: i32, K: i32, N: i32, dst: usize): void {
  const panels = (N + 7) >> 3;
  for (let p = 0; p < panels; p++) {
    const base = dst + (<usize>p * <usize>K << 5);
    for (let c = 0; c < 8; c++) {
      const n = (p << 3) + c;
      let d = base + (<usize>c << 2);
      if (n < N) {
        let s = bt + (<usize>n * <usize>ldb << 2);
        for (let k = 0; k < K; k++) {
          store<f32>(d, load<f32>(s));
          s += 4;
          d += 32;
        }
      } else {
        for (let k = 0; k < K; k++) {
          store<f32>(d, 0);
          d += 32;
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// GEMM: C[M, N] (+)= A · B with A given by strides (element (i, k) at A + (i·rsA + k·csA)·4, so the
// same kernel serves A and Aᵀ) and B packed. `accumulate` 0 overwrites C.

// A is packed per (MC × KC) block into groups of 4 rows, k-major: group q holds, for each k, the 4
// values A[4q..4q+3, k]. Rows past M are zero. So the micro-kernel reads A and B strictly forward
// whatever A's strides were (Aᵀ with a 1 KiB stride would otherwise thrash a few L1 sets).
let apack: usize = memory.data(MC * KC * 4, 64);

/** Bytes of scratch a thread needs: the packed A block and the edge tile. */
export function scratchBytes(): usize {
  return MC * KC * 4 + 4 * 8 * 4;
}

/** Moves this instance's scratch to `ptr` (64-byte aligned, scratchBytes() long). */
export function setScratch(ptr: usize): void {
  apack = ptr;
  edge = ptr + MC * KC * 4;
}

function packA(a: usize, rs: usize, cs: usize, mc: i32, kc: i32): void {
  const groups = (mc + 3) >> 2;
  const full = mc >> 2;
  if (rs == 4) {
    // Transposed A: the rows of a block are adjacent, so walk k outermost and read each k's
    // mc floats in one forward run (group-major order would revisit the same lines 1 KiB apart).
    const gstride = <usize>kc << 4;
    for (let k = 0; k < kc; k++) {
      const s = a + <usize>k * cs;
      let d = apack + (<usize>k << 4);
      for (let q = 0; q < full; q++) {
        v128.store(d, v128.load(s + (<usize>q << 4)));
        d += gstride;
      }
      if (full < groups) {
        const rows = mc - (full << 2);
        for (let i = 0; i < 4; i++) store<f32>(d + (<usize>i << 2), i < rows ? load<f32>(s + (<usize>((full << 2) + i) << 2)) : 0);
      }
    }
    return;
  }
  for (let q = 0; q < groups; q++) {
    const rows = min(4, mc - (q << 2));
    let d = apack + (<usize>q * <usize>kc << 4);
    const r0 = a + <usize>(q << 2) * rs;
    if (rows == 4 && cs == 4) {
      // Row-major A: read four rows forward, four floats at a time, and interleave.
      let k = 0;
      const r1 = r0 + rs, r2 = r1 + rs, r3 = r2 + rs;
      for (; k + 3 < kc; k += 4) {
        const o = <usize>k << 2;
        const x0 = v128.load(r0 + o), x1 = v128.load(r1 + o), x2 = v128.load(r2 + o), x3 = v128.load(r3 + o);
        const t0 = v128.shuffle<f32>(x0, x1, 0, 4, 1, 5), t1 = v128.shuffle<f32>(x2, x3, 0, 4, 1, 5);
        const t2 = v128.shuffle<f32>(x0, x1, 2, 6, 3, 7), t3 = v128.shuffle<f32>(x2, x3, 2, 6, 3, 7);
        v128.store(d, v128.shuffle<f32>(t0, t1, 0, 1, 4, 5));
        v128.store(d, v128.shuffle<f32>(t0, t1, 2, 3, 6, 7), 16);
        v128.store(d, v128.shuffle<f32>(t2, t3, 0, 1, 4, 5), 32);
        v128.store(d, v128.shuffle<f32>(t2, t3, 2, 3, 6, 7), 48);
        d += 64;
      }
      for (; k < kc; k++) {
        const o = <usize>k << 2;
        store<f32>(d, load<f32>(r0 + o));
        store<f32>(d, load<f32>(r1 + o), 4);
        store<f32>(d, load<f32>(r2 + o), 8);
        store<f32>(d, load<f32>(r3 + o), 12);
        d += 16;
      }
    } else {
      for (let k = 0; k < kc; k++) {
        const s = r0 + <usize>k * cs;
        for (let i = 0; i < 4; i++) store<f32>(d + (<usize>i << 2), i < rows ? load<f32>(s + <usize>i * rs) : 0);
        d += 16;
      }
    }
  }
}

// a·b + c: one fused instruction in the relaxed-SIMD build, mul then add in the plain one.
@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

@inline function micro4x8(kc: i32, ap: usize, bp: usize, c: usize, ldc: usize, mode: i32, bias: usize, rows: i32, cols: i32): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let k = 0; k < kc; k++) {
    const b0 = v128.load(bp), b1 = v128.load(bp, 16);
    let s = v128.load32_splat(ap);
    c00 = madd(s, b0, c00);
    c01 = madd(s, b1, c01);
    s = v128.load32_splat(ap, 4);
    c10 = madd(s, b0, c10);
    c11 = madd(s, b1, c11);
    s = v128.load32_splat(ap, 8);
    c20 = madd(s, b0, c20);
    c21 = madd(s, b1, c21);
    s = v128.load32_splat(ap, 12);
    c30 = madd(s, b0, c30);
    c31 = madd(s, b1, c31);
    ap += 16;
    bp += 32;
  }
  if (cols == 8 && rows == 4) {
    if (mode == MODE_BIAS) {
      const b0 = v128.load(bias), b1 = v128.load(bias, 16);
      c00 = f32x4.add(c00, b0); c01 = f32x4.add(c01, b1);
      c10 = f32x4.add(c10, b0); c11 = f32x4.add(c11, b1);
      c20 = f32x4.add(c20, b0); c21 = f32x4.add(c21, b1);
      c30 = f32x4.add(c30, b0); c31 = f32x4.add(c31, b1);
    }
    const acc = mode == MODE_ACCUMULATE;
    let r = c;
    if (acc) { c00 = f32x4.add(c00, v128.load(r)); c01 = f32x4.add(c01, v128.load(r, 16)); }
    v128.store(r, c00); v128.store(r, c01, 16);
    r += ldc;
    if (acc) { c10 = f32x4.add(c10, v128.load(r)); c11 = f32x4.add(c11, v128.load(r, 16)); }
    v128.store(r, c10); v128.store(r, c11, 16);
    r += ldc;
    if (acc) { c20 = f32x4.add(c20, v128.load(r)); c21 = f32x4.add(c21, v128.load(r, 16)); }
    v128.store(r, c20); v128.store(r, c21, 16);
    r += ldc;
    if (acc) { c30 = f32x4.add(c30, v128.load(r)); c31 = f32x4.add(c31, v128.load(r, 16)); }
    v128.store(r, c30); v128.store(r, c31, 16);
  } else {
    v128.store(edge, c00); v128.store(edge, c01, 16);
    v128.store(edge, c10, 32); v128.store(edge, c11, 48);
    v128.store(edge, c20, 64); v128.store(edge, c21, 80);
    v128.store(edge, c30, 96); v128.store(edge, c31, 112);
    for (let i = 0; i < rows; i++) {
      const r = c + <usize>i * ldc;
      for (let j = 0; j < cols; j++) {
        const v = load<f32>(edge + ((<usize>(i * 8 + j)) << 2));
        const q = r + (<usize>j << 2);
        store<f32>(q, v + (mode == MODE_ACCUMULATE ? load<f32>(q) : mode == MODE_BIAS ? load<f32>(bias + (<usize>j << 2)) : 0));
      }
    }
  }
}

/** One row times packed B, for the matrix-vector products of generation (A read in place). */
@inline function micro1x8(kc: i32, a: usize, cs: usize, bp: usize, c: usize, mode: i32, bias: usize, cols: i32): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0);
  let d0 = f32x4.splat(0), d1 = f32x4.splat(0);
  let k = 0;
  // Two independent accumulator pairs hide the add latency when a single row is all there is.
  for (; k + 1 < kc; k += 2) {
    const s = v128.load32_splat(a), t = v128.load32_splat(a + cs);
    c0 = madd(s, v128.load(bp), c0);
    c1 = madd(s, v128.load(bp, 16), c1);
    d0 = madd(t, v128.load(bp, 32), d0);
    d1 = madd(t, v128.load(bp, 48), d1);
    a += cs << 1;
    bp += 64;
  }
  if (k < kc) {
    const s = v128.load32_splat(a);
    c0 = madd(s, v128.load(bp), c0);
    c1 = madd(s, v128.load(bp, 16), c1);
  }
  c0 = f32x4.add(c0, d0);
  c1 = f32x4.add(c1, d1);
  if (cols == 8) {
    if (mode == MODE_ACCUMULATE) { c0 = f32x4.add(c0, v128.load(c)); c1 = f32x4.add(c1, v128.load(c, 16)); }
    else if (mode == MODE_BIAS) { c0 = f32x4.add(c0, v128.load(bias)); c1 = f32x4.add(c1, v128.load(bias, 16)); }
    v128.store(c, c0); v128.store(c, c1, 16);
  } else {
    v128.store(edge, c0); v128.store(edge, c1, 16);
    for (let j = 0; j < cols; j++) {
      const v = load<f32>(edge + (<usize>j << 2));
      const q = c + (<usize>j << 2);
      store<f32>(q, v + (mode == MODE_ACCUMULATE ? load<f32>(q) : mode == MODE_BIAS ? load<f32>(bias + (<usize>j << 2)) : 0));
    }
  }
}

const MODE_OVERWRITE: i32 = 0;
const MODE_ACCUMULATE: i32 = 1;
const MODE_BIAS: i32 = 2;

/**
 * C[M, N] = A · B (accumulate 0, bias 0), C += A · B (accumulate 1), or C = A · B + bias (accumulate
 * 0, bias = pointer to N floats, read up to 7 floats past its end, never used), fused so C is written once.
 */
export function gemm(M: i32, N: i32, K: i32, a: usize, rsA: i32, csA: i32, bp: usize, c: usize, ldc: i32, accumulate: i32, bias: usize): void {
  const panels = (N + 7) >> 3;
  const rs = <usize>rsA << 2, cs = <usize>csA << 2, ldcb = <usize>ldc << 2;
  if (K == 0) {
    if (!accumulate) {
      for (let i = 0; i < M; i++) {
        if (bias) memory.copy(c + <usize>i * ldcb, bias, <usize>N << 2);
        else memory.fill(c + <usize>i * ldcb, 0, <usize>N << 2);
      }
    }
    return;
  }
  if (M < 4) {
    for (let k0 = 0; k0 < K; k0 += KC) {
      const kc = min(KC, K - k0);
      const mode = accumulate != 0 || k0 > 0 ? MODE_ACCUMULATE : bias ? MODE_BIAS : MODE_OVERWRITE;
      for (let p = 0; p < panels; p++) {
        const col = p << 3;
        const bpp = bp + ((<usize>p * <usize>K + <usize>k0) << 5);
        for (let i = 0; i < M; i++) micro1x8(kc, a + <usize>i * rs + <usize>k0 * cs, cs, bpp, c + <usize>i * ldcb + (<usize>col << 2), mode, bias + (<usize>col << 2), min(8, N - col));
      }
    }
    return;
  }
  for (let k0 = 0; k0 < K; k0 += KC) {
    const kc = min(KC, K - k0);
    const mode = accumulate != 0 || k0 > 0 ? MODE_ACCUMULATE : bias ? MODE_BIAS : MODE_OVERWRITE;
    for (let i0 = 0; i0 < M; i0 += MC) {
      const mc = min(MC, M - i0);
      packA(a + <usize>i0 * rs + <usize>k0 * cs, rs, cs, mc, kc);
      const groups = (mc + 3) >> 2;
      for (let p = 0; p < panels; p++) {
        const col = p << 3;
        const cols = min(8, N - col);
        const bpp = bp + ((<usize>p * <usize>K + <usize>k0) << 5);
        for (let q = 0; q < groups; q++) {
          const i = i0 + (q << 2);
          micro4x8(kc, apack + (<usize>q * <usize>kc << 4), bpp, c + <usize>i * ldcb + (<usize>col << 2), ldcb, mode, bias + (<usize>col << 2), min(4, M - i), cols);
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Elementwise helpers.

/** out[n] = x[n] + y[n]; out may be x or y (each element is read before it is written). */
@inline function addTo(out: usize, x: usize, y: usize, n: i32): void {
  const n4 = n & ~3;
  let i = 0;
  for (; i < n4; i += 4) {
    const o = <usize>i << 2;
    v128.store(out + o, f32x4.add(v128.load(x + o), v128.load(y + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, load<f32>(x + o) + load<f32>(y + o));
  }
}

/** out[N] += column sums of A[M, N]. */
export function colSum(a: usize, M: i32, N: i32, out: usize): void {
  for (let i = 0; i < M; i++) addTo(out, out, a + ((<usize>i * <usize>N) << 2), N);
}

/** out[n] = x[n] · y[n]; out may be x (each element is read before it is written). */
export function mulTo(out: usize, x: usize, y: usize, n: i32): void {
  const n4 = n & ~3;
  let i = 0;
  for (; i < n4; i += 4) {
    const o = <usize>i << 2;
    v128.store(out + o, f32x4.mul(v128.load(x + o), v128.load(y + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, load<f32>(x + o) * load<f32>(y + o));
  }
}

/**
 * Row gather: dst[r] = tableA[idsA[r]] (+ tableB[idsB[r]] when tableB ≠ 0), rows of `width` floats,
 * ids i32. The first layer's gate inputs come from per-token tables this way instead of a GEMM.
 */
export function gatherRows(dst: usize, n: i32, width: i32, tableA: usize, idsA: usize, tableB: usize, idsB: usize): void {
  const wb = <usize>width << 2;
  for (let r = 0; r < n; r++) {
    const d = dst + <usize>r * wb;
    const a = tableA + <usize>load<i32>(idsA + (<usize>r << 2)) * wb;
    if (tableB == 0) {
      memory.copy(d, a, wb);
      continue;
    }
    addTo(d, a, tableB + <usize>load<i32>(idsB + (<usize>r << 2)) * wb, width);
  }
}

/** Row scatter-add: dst[ids[r]] += src[r], rows of `width` floats. */
export function scatterAddRows(dst: usize, n: i32, width: i32, src: usize, ids: usize): void {
  const wb = <usize>width << 2;
  for (let r = 0; r < n; r++) {
    const d = dst + <usize>load<i32>(ids + (<usize>r << 2)) * wb;
    addTo(d, d, src + <usize>r * wb, width);
  }
}

// ---------------------------------------------------------------------------------------------
// exp, sigmoid, tanh on f32x4: Cephes expf (range reduction by ln 2, degree-5 polynomial),
// relative error ~2e-7 over the clamped range.

@inline function expv(x: v128): v128 {
  // pmin/pmax are single instructions; min/max carry NaN semantics that cost a long sequence each.
  x = f32x4.pmax(f32x4.pmin(x, f32x4.splat(88.3762626647949)), f32x4.splat(-87.3365478515625));
  // Adding 1.5·2^23 rounds x·log2(e) to an integer n held in the low mantissa bits (|n| < 2^22).
  const magic = f32x4.splat(12582912.0);
  const t = f32x4.add(f32x4.mul(x, f32x4.splat(1.44269504088896341)), magic);
  const fx = f32x4.sub(t, magic);
  let r = f32x4.sub(x, f32x4.mul(fx, f32x4.splat(0.693359375)));
  r = f32x4.sub(r, f32x4.mul(fx, f32x4.splat(-2.12194440e-4)));
  let y = f32x4.splat(1.9875691500e-4);
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(1.3981999507e-3));
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(8.3334519073e-3));
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(4.1665795894e-2));
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(1.6666665459e-1));
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(5.0000001201e-1));
  y = f32x4.add(f32x4.add(f32x4.mul(y, f32x4.mul(r, r)), r), f32x4.splat(1));
  // The bits of t are 0x4B400000 + n: shifting left by 23 leaves (n + 127) << 23 after adding 127.
  const pow2n = i32x4.shl(i32x4.add(t, i32x4.splat(127)), 23);
  return f32x4.mul(y, pow2n);
}

@inline function sigmoidv(x: v128): v128 {
  const one = f32x4.splat(1);
  return f32x4.div(one, f32x4.add(one, expv(f32x4.neg(x))));
}

@inline function tanhv(x: v128): v128 {
  const one = f32x4.splat(1);
  return f32x4.sub(f32x4.mul(f32x4.splat(2), sigmoidv(f32x4.add(x, x))), one);
}

@inline function sigmoids(x: f32): f32 {
  return f32x4.extract_lane(sigmoidv(f32x4.splat(x)), 0);
}

@inline function tanhs(x: f32): f32 {
  return f32x4.extract_lane(tanhv(f32x4.splat(x)), 0);
}

// ---------------------------------------------------------------------------------------------
// LSTM cell, one time step for B rows. g: [B, 4H] pre-activations i, f, g, o, replaced by their
// activations. cPrev, cOut, hOut, tcOut (tanh of cOut): [B, H]. cOut may alias cPrev, hOut may
// alias the h that fed the gate GEMM (both are read before written, element by element).

export function lstmForward(g: usize, cPrev: usize, cOut: usize, hOut: usize, tcOut: usize, B: i32, H: i32): void {
  const h4 = <usize>H << 4, hb = <usize>H << 2;
  const H4 = H & ~3;
  for (let b = 0; b < B; b++) {
    const gr = g + <usize>b * h4, row = <usize>b * hb;
    let u = 0;
    for (; u < H4; u += 4) {
      const o = <usize>u << 2;
      const i = sigmoidv(v128.load(gr + o));
      const f = sigmoidv(v128.load(gr + hb + o));
      const gg = tanhv(v128.load(gr + 2 * hb + o));
      const og = sigmoidv(v128.load(gr + 3 * hb + o));
      v128.store(gr + o, i);
      v128.store(gr + hb + o, f);
      v128.store(gr + 2 * hb + o, gg);
      v128.store(gr + 3 * hb + o, og);
      const cn = f32x4.add(f32x4.mul(f, v128.load(cPrev + row + o)), f32x4.mul(i, gg));
      const tc = tanhv(cn);
      v128.store(cOut + row + o, cn);
      v128.store(tcOut + row + o, tc);
      v128.store(hOut + row + o, f32x4.mul(og, tc));
    }
    for (; u < H; u++) {
      const o = <usize>u << 2;
      const i = sigmoids(load<f32>(gr + o));
      const f = sigmoids(load<f32>(gr + hb + o));
      const gg = tanhs(load<f32>(gr + 2 * hb + o));
      const og = sigmoids(load<f32>(gr + 3 * hb + o));
      store<f32>(gr + o, i);
      store<f32>(gr + hb + o, f);
      store<f32>(gr + 2 * hb + o, gg);
      store<f32>(gr + 3 * hb + o, og);
      const cn = f * load<f32>(cPrev + row + o) + i * gg;
      const tc = tanhs(cn);
      store<f32>(cOut + row + o, cn);
      store<f32>(tcOut + row + o, tc);
      store<f32>(hOut + row + o, og * tc);
    }
  }
}

/**
 * Backward through one step. acts: [B, 4H] activated gates; cPrev, tc: [B, H]; dy: [B, H] gradient
 * from above; dhNext, dcNext: [B, H] gradients flowing from step t+1 (dcNext is updated to flow to
 * t−1; dhNext is read here and recomputed by the caller's GEMM). dG: [B, 4H] gate pre-activation grads.
 */
export function lstmBackward(acts: usize, cPrev: usize, tc: usize, dy: usize, dhNext: usize, dcNext: usize, dG: usize, B: i32, H: i32): void {
  const h4 = <usize>H << 4, hb = <usize>H << 2;
  const H4 = H & ~3;
  const one = f32x4.splat(1);
  for (let b = 0; b < B; b++) {
    const ar = acts + <usize>b * h4, dr = dG + <usize>b * h4, row = <usize>b * hb;
    let u = 0;
    for (; u < H4; u += 4) {
      const o = <usize>u << 2;
      const i = v128.load(ar + o), f = v128.load(ar + hb + o), gg = v128.load(ar + 2 * hb + o), og = v128.load(ar + 3 * hb + o);
      const t = v128.load(tc + row + o);
      const dh = f32x4.add(v128.load(dy + row + o), v128.load(dhNext + row + o));
      const dc = f32x4.add(v128.load(dcNext + row + o), f32x4.mul(f32x4.mul(dh, og), f32x4.sub(one, f32x4.mul(t, t))));
      v128.store(dcNext + row + o, f32x4.mul(dc, f));
      v128.store(dr + o, f32x4.mul(f32x4.mul(dc, gg), f32x4.mul(i, f32x4.sub(one, i))));
      v128.store(dr + hb + o, f32x4.mul(f32x4.mul(dc, v128.load(cPrev + row + o)), f32x4.mul(f, f32x4.sub(one, f))));
      v128.store(dr + 2 * hb + o, f32x4.mul(f32x4.mul(dc, i), f32x4.sub(one, f32x4.mul(gg, gg))));
      v128.store(dr + 3 * hb + o, f32x4.mul(f32x4.mul(dh, t), f32x4.mul(og, f32x4.sub(one, og))));
    }
    for (; u < H; u++) {
      const o = <usize>u << 2;
      const i = load<f32>(ar + o), f = load<f32>(ar + hb + o), gg = load<f32>(ar + 2 * hb + o), og = load<f32>(ar + 3 * hb + o);
      const t = load<f32>(tc + row + o);
      const dh = load<f32>(dy + row + o) + load<f32>(dhNext + row + o);
      const dc = load<f32>(dcNext + row + o) + dh * og * (1 - t * t);
      store<f32>(dcNext + row + o, dc * f);
      store<f32>(dr + o, dc * gg * i * (1 - i));
      store<f32>(dr + hb + o, dc * load<f32>(cPrev + row + o) * f * (1 - f));
      store<f32>(dr + 2 * hb + o, dc * i * (1 - gg * gg));
      store<f32>(dr + 3 * hb + o, dh * t * og * (1 - og));
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Softmax cross-entropy over rows of logits[M, V]. targets: i32[M], −1 = no loss. Returns the summed
// loss; when `grad` is set, logits are replaced by d(loss·scale)/d(logits) = (p − onehot)·scale on
// rows with a target and 0 elsewhere.

export function softmaxXent(logits: usize, targets: usize, M: i32, V: i32, scale: f32, grad: i32): f64 {
  let loss: f64 = 0;
  const V4 = V & ~3;
  const vb = <usize>V << 2;
  for (let r = 0; r < M; r++) {
    const row = logits + <usize>r * vb;
    const target = load<i32>(targets + (<usize>r << 2));
    if (target < 0 && grad == 0) continue;
    let mx = f32x4.splat(-Infinity);
    let j = 0;
    for (; j < V4; j += 4) mx = f32x4.pmax(mx, v128.load(row + (<usize>j << 2)));
    let m = max(max(f32x4.extract_lane(mx, 0), f32x4.extract_lane(mx, 1)), max(f32x4.extract_lane(mx, 2), f32x4.extract_lane(mx, 3)));
    for (; j < V; j++) m = max(m, load<f32>(row + (<usize>j << 2)));
    if (target < 0) {
      memory.fill(row, 0, vb);
      continue;
    }
    const xt = load<f32>(row + (<usize>target << 2));
    const mv = f32x4.splat(m);
    let sv = f32x4.splat(0);
    j = 0;
    for (; j < V4; j += 4) {
      const q = row + (<usize>j << 2);
      const e = expv(f32x4.sub(v128.load(q), mv));
      v128.store(q, e);
      sv = f32x4.add(sv, e);
    }
    let sum: f32 = f32x4.extract_lane(sv, 0) + f32x4.extract_lane(sv, 1) + f32x4.extract_lane(sv, 2) + f32x4.extract_lane(sv, 3);
    for (; j < V; j++) {
      const q = row + (<usize>j << 2);
      const e = f32x4.extract_lane(expv(f32x4.splat(load<f32>(q) - m)), 0);
      store<f32>(q, e);
      sum += e;
    }
    loss += <f64>(m - xt) + Math.log(<f64>sum);
    if (grad) {
      const k = f32x4.splat(scale / sum);
      j = 0;
      for (; j < V4; j += 4) {
        const q = row + (<usize>j << 2);
        v128.store(q, f32x4.mul(v128.load(q), k));
      }
      const ks = scale / sum;
      for (; j < V; j++) {
        const q = row + (<usize>j << 2);
        store<f32>(q, load<f32>(q) * ks);
      }
      const qt = row + (<usize>target << 2);
      store<f32>(qt, load<f32>(qt) - scale);
    }
  }
  return loss;
}
