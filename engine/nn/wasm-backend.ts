/**
 * The fast path: the same math as reference.ts, run by the WebAssembly SIMD kernels of
 * engine/nn/assembly/kernels.ts (float32). JavaScript here only orchestrates: it lays out buffers in
 * the module's memory, reorders token ids and targets to time-major and calls the kernels in order.
 *
 * The first layer never multiplies embeddings row by row: its input is one token (and one extra id),
 * so x·Wx + b is a row of a per-token table embed·Wx[:E] + b (plus extraEmbed·Wx[E:]), computed
 * once per call (V·E·4H instead of T·B·E·4H work); its gradients go through per-token sums of the gate
 * gradients the same way. This is exact, not an approximation: it is the same sum, regrouped.
 *
 * Buffers (time-major rows r = t·B + b, as in the reference):
 *   x[l]      [T·B, H]     dropped-out output of layer l−1 (l ≥ 1, only with dropout)
 *   gates[l]  [T·B, 4H]    pre-activations, then activations i, f, g, o
 *   hs[l], cs[l] [(T+1)·B, H]  state in, then h/c after each step
 *   tc[l]     [T·B, H]     tanh(c), kept for the backward pass
 *   logits    [T·B, V]     then d(loss)/d(logits)
 * Weights are packed into 8-column panels once per call (and their transposes for the backward pass).
 */
import { validateConfig, type ModelConfig } from './config.js';
import { kernelModule, kernelsAvailable, wasmApi, type WasmMemory } from './kernel-loader.js';
import { paramCount, paramLayout, type FloatArray } from './params.js';
import type { GemmFn } from './helper-protocol.js';
import { sharedKernels, type SharedKernels } from './threads.js';
import {
  checkBatch,
  checkState,
  dims,
  dropoutMask,
  zeroState,
  type Batch,
  type EvalResult,
  type LstmState,
  type Network,
  type Stream,
  type TrainOptions,
  type TrainStepResult,
} from './types.js';

export { kernelsAvailable, loadKernels, kernelVariant } from './kernel-loader.js';

interface KernelExports {
  memory: WasmMemory;
  heapBase(): number;
  packB(b: number, ldb: number, K: number, N: number, dst: number): void;
  packBT(bt: number, ldb: number, K: number, N: number, dst: number): void;
  gemm: GemmFn;
  colSum(a: number, M: number, N: number, out: number): void;
  mulTo(out: number, x: number, y: number, n: number): void;
  lstmForward(
    g: number,
    cPrev: number,
    cOut: number,
    hOut: number,
    tcOut: number,
    B: number,
    H: number,
  ): void;
  lstmBackward(
    acts: number,
    cPrev: number,
    tc: number,
    dy: number,
    dhNext: number,
    dcNext: number,
    dG: number,
    B: number,
    H: number,
  ): void;
  softmaxXent(logits: number, targets: number, M: number, V: number, scale: number, grad: number): number;
  scratchBytes(): number;
  gatherRows(
    dst: number,
    n: number,
    width: number,
    tableA: number,
    idsA: number,
    tableB: number,
    idsB: number,
  ): void;
  scatterAddRows(dst: number, n: number, width: number, src: number, ids: number): void;
}

function instantiate(): KernelExports {
  return new wasmApi!.Instance(kernelModule().module, {}).exports as KernelExports;
}

/** Bump allocation in one module's memory; views are re-made after the memory grows. */
class Arena {
  private top: number;
  private readonly base: number;
  constructor(private readonly k: KernelExports) {
    this.base = this.top = Math.ceil(k.heapBase() / 64) * 64;
  }
  /** Frees everything allocated after `mark` (a value returned by alloc(0)). */
  resetTo(mark: number): void {
    this.top = Math.max(this.base, mark);
  }
  /** Byte offset of `floats` fresh 4-byte slots, 64-byte aligned. */
  alloc(floats: number): number {
    const ptr = this.top;
    // Arithmetic, not bit masks: offsets may pass 2^31 in a large model.
    this.top = Math.ceil((ptr + floats * 4) / 64) * 64;
    const need = this.top - this.k.memory.buffer.byteLength;
    if (need > 0) this.k.memory.grow(Math.ceil(need / 65536));
    return ptr;
  }
  f32(ptr: number, n: number): Float32Array {
    return new Float32Array(this.k.memory.buffer, ptr, n);
  }
  i32(ptr: number, n: number): Int32Array {
    return new Int32Array(this.k.memory.buffer, ptr, n);
  }
}

const packedSize = (K: number, N: number) => Math.ceil(N / 8) * 8 * K;

interface FirstLayerPtrs {
  wxEP: number; // Wx rows of the token embedding, packed
  wxXP: number; // Wx rows of the extra embedding, packed
  tableE: number; // [V, 4H] embed·Wx[:E] + b
  tableX: number; // [V2, 4H] extraEmbed·Wx[E:]
}

interface LayerPtrs {
  wx: number;
  wh: number;
  b: number;
  wxP: number; // Wx packed
  whP: number; // Wh packed
  wxTP: number; // Wxᵀ packed
  whTP: number; // Whᵀ packed
  gwx: number;
  gwh: number;
  gb: number;
}

/** Weights in module memory: the flat params, their packed panels and the flat gradients. */
class Weights {
  readonly params: number;
  readonly grads: number;
  readonly layers: LayerPtrs[] = [];
  readonly embed: number;
  readonly extraEmbed: number;
  readonly outW: number;
  readonly outB: number;
  readonly outWP: number;
  readonly outWTP: number;
  readonly gOutW: number;
  readonly gOutB: number;
  readonly count: number;
  readonly first: FirstLayerPtrs;
  readonly gEmbed: number;
  readonly gExtraEmbed: number;

  constructor(
    readonly c: ModelConfig,
    readonly k: KernelExports,
    readonly arena: Arena,
    withGrads: boolean,
  ) {
    const P = (this.count = paramCount(c));
    this.params = arena.alloc(P);
    this.grads = withGrads ? arena.alloc(P) : -1;
    const at = new Map(paramLayout(c).map((t) => [t.name, t.offset * 4]));
    const { H, H4, V, In0 } = dims(c, 1, 1);
    this.embed = this.params + at.get('embed')!;
    this.extraEmbed = c.extraVocabSize > 0 ? this.params + at.get('extraEmbed')! : -1;
    for (let l = 0; l < c.layers; l++) {
      const In = l === 0 ? In0 : H;
      this.layers.push({
        wx: this.params + at.get(`lstm${l}.wx`)!,
        wh: this.params + at.get(`lstm${l}.wh`)!,
        b: this.params + at.get(`lstm${l}.b`)!,
        wxP: l > 0 ? arena.alloc(packedSize(In, H4)) : -1,
        whP: arena.alloc(packedSize(H, H4)),
        wxTP: withGrads ? arena.alloc(packedSize(H4, In)) : -1,
        whTP: withGrads ? arena.alloc(packedSize(H4, H)) : -1,
        gwx: this.grads + at.get(`lstm${l}.wx`)!,
        gwh: this.grads + at.get(`lstm${l}.wh`)!,
        gb: this.grads + at.get(`lstm${l}.b`)!,
      });
    }
    this.outW = this.params + at.get('out.w')!;
    this.outB = this.params + at.get('out.b')!;
    this.outWP = arena.alloc(packedSize(H, V));
    this.outWTP = withGrads ? arena.alloc(packedSize(V, H)) : -1;
    this.gOutW = this.grads + at.get('out.w')!;
    this.gOutB = this.grads + at.get('out.b')!;
    this.gEmbed = this.grads + at.get('embed')!;
    this.gExtraEmbed = c.extraVocabSize > 0 ? this.grads + at.get('extraEmbed')! : -1;
    this.first = {
      wxEP: arena.alloc(packedSize(c.embedSize, H4)),
      wxXP: c.extraVocabSize > 0 ? arena.alloc(packedSize(c.extraEmbedSize, H4)) : -1,
      tableE: arena.alloc(V * H4),
      tableX: c.extraVocabSize > 0 ? arena.alloc(c.extraVocabSize * H4) : -1,
    };
  }

  /** Copies params in and packs them; `transposes` also packs what the backward pass needs. */
  load(params: FloatArray, transposes: boolean): void {
    if (params.length !== this.count)
      throw new Error(`parameter array has ${params.length} values, the config needs ${this.count}`);
    this.arena.f32(this.params, this.count).set(params);
    const { c, k } = this;
    const { H, H4, V, E, V2, E2, In0 } = dims(c, 1, 1);
    const f = this.first,
      l0 = this.layers[0]!;
    k.packB(l0.wx, H4, E, H4, f.wxEP);
    k.gemm(V, H4, E, this.embed, E, 1, f.wxEP, f.tableE, H4, 0, l0.b);
    if (E2 > 0) {
      k.packB(l0.wx + E * H4 * 4, H4, E2, H4, f.wxXP);
      k.gemm(V2, H4, E2, this.extraEmbed, E2, 1, f.wxXP, f.tableX, H4, 0, 0);
    }
    this.layers.forEach((p, l) => {
      const In = l === 0 ? In0 : H;
      if (l > 0) k.packB(p.wx, H4, In, H4, p.wxP);
      k.packB(p.wh, H4, H, H4, p.whP);
      if (transposes) {
        k.packBT(p.wx, H4, H4, In, p.wxTP);
        k.packBT(p.wh, H4, H4, H, p.whTP);
      }
    });
    k.packB(this.outW, V, H, V, this.outWP);
    if (transposes) k.packBT(this.outW, V, V, H, this.outWTP);
  }
}

/** One layer's activations (pointers; shapes in the header comment). */
interface LayerBuffers {
  gates: number;
  hs: number;
  cs: number;
  tc: number;
  mask: number; // −1 without dropout
}

interface Buffers {
  B: number;
  T: number;
  x: number[];
  layers: LayerBuffers[];
  logits: number;
  targets: number;
  dy: number;
  dx: number;
  dG: number;
  dGP: number;
  dhNext: number;
  dcNext: number;
  dLogitsP: number;
  tokIds: number; // i32 [T·B]
  extraIds: number; // i32 [T·B]
  sumE: number; // [V, 4H] gate gradients summed per token
  sumX: number; // [V2, 4H]
  sumP: number; // packed sums
  embTmp: number; // [max(V, V2), In0]
}

export class WasmNetwork implements Network {
  readonly backend = 'wasm-simd' as const;
  private readonly k: KernelExports;
  private readonly arena: Arena;
  private readonly w: Weights;
  private bufs: Buffers | null = null;
  private readonly bufBase: number;
  private readonly shared: SharedKernels | null;
  /** Threads this network's big GEMMs can run on (see threads.ts). */
  readonly threads: number;

  constructor(readonly config: ModelConfig) {
    validateConfig(config);
    this.shared = kernelsAvailable() ? sharedKernels() : null;
    this.k = this.shared
      ? { ...(this.shared.exports as KernelExports), gemm: this.shared.gemm }
      : instantiate();
    this.threads = this.shared ? this.shared.helpers + 1 : 1;
    this.arena = new Arena(this.k);
    this.w = new Weights(config, this.k, this.arena, true);
    if (this.shared) {
      const bytes = this.k.scratchBytes();
      const scratch = this.arena.alloc((bytes / 4) * this.shared.helpers);
      this.shared.attach((i) => scratch + i * bytes);
    }
    this.bufBase = this.arena.alloc(0);
  }

  private buffers(B: number, T: number): Buffers {
    if (this.bufs && this.bufs.B === B && this.bufs.T === T) return this.bufs;
    // Buffers for a new shape replace the old ones; the weights below them stay where they are.
    this.arena.resetTo(this.bufBase);
    const c = this.config;
    const { H, H4, V, N, V2, In0 } = dims(c, B, T);
    const a = (n: number) => this.arena.alloc(n);
    const bufs: Buffers = {
      B,
      T,
      x: [],
      layers: [],
      logits: 0,
      targets: 0,
      dy: 0,
      dx: 0,
      dG: 0,
      dGP: 0,
      dhNext: 0,
      dcNext: 0,
      dLogitsP: 0,
      tokIds: 0,
      extraIds: 0,
      sumE: 0,
      sumX: 0,
      sumP: 0,
      embTmp: 0,
    };
    for (let l = 0; l < c.layers; l++) {
      bufs.x.push(l > 0 && c.dropout > 0 ? a(N * H) : -1);
      bufs.layers.push({
        gates: a(N * H4),
        hs: a((T + 1) * B * H),
        cs: a((T + 1) * B * H),
        tc: a(N * H),
        mask: c.dropout > 0 ? a(N * H) : -1,
      });
    }
    bufs.x.push(c.dropout > 0 ? a(N * H) : -1); // dropped-out input of the output layer
    bufs.logits = a(N * V);
    bufs.targets = a(N);
    bufs.dy = a(N * H);
    bufs.dx = a(N * H);
    bufs.dG = a(N * H4);
    bufs.dGP = a(packedSize(N, H4));
    bufs.dhNext = a(B * H);
    bufs.dcNext = a(B * H);
    bufs.dLogitsP = a(packedSize(N, V));
    bufs.tokIds = a(N);
    bufs.extraIds = a(N);
    bufs.sumE = a(V * H4);
    bufs.sumX = a(Math.max(1, V2) * H4);
    bufs.sumP = a(packedSize(Math.max(V, V2), H4));
    bufs.embTmp = a(Math.max(V, V2) * In0);
    this.bufs = bufs;
    return bufs;
  }

  /** Runs the forward pass; returns the loss sum and the pointer of the output layer's input. */
  private forward(
    params: FloatArray,
    batch: Batch,
    stateIn: LstmState | null,
    dropoutSeed: number | null,
    transposes: boolean,
    logitsOut?: Float32Array,
  ) {
    const { config: c, k, w, arena: ar } = this;
    const { B, T, H, H4, V, N, E2, In0 } = dims(c, batch.batchSize, batch.seqLen);
    const bufs = this.buffers(B, T);
    w.load(params, transposes);
    const tok = ar.i32(bufs.tokIds, N),
      ext = ar.i32(bufs.extraIds, N);
    for (let b = 0; b < B; b++) {
      for (let t = 0; t < T; t++) {
        tok[t * B + b] = batch.tokens[b * T + t]!;
        if (E2 > 0) ext[t * B + b] = batch.extras![b * T + t]!;
      }
    }
    const state = stateIn ?? zeroState(c, B);
    const stateOut = zeroState(c, B);
    const inputs: number[] = [];
    let x = -1;
    for (let l = 0; l < c.layers; l++) {
      const In = l === 0 ? In0 : H;
      const p = w.layers[l]!;
      const { gates: g, hs, cs, tc, mask } = bufs.layers[l]!;
      inputs.push(x);
      if (l === 0) {
        k.gatherRows(g, N, H4, w.first.tableE, bufs.tokIds, E2 > 0 ? w.first.tableX : 0, bufs.extraIds);
      } else {
        k.gemm(N, H4, In, x, In, 1, p.wxP, g, H4, 0, p.b);
      }
      ar.f32(hs, B * H).set(state.h.subarray(l * B * H, (l + 1) * B * H));
      ar.f32(cs, B * H).set(state.c.subarray(l * B * H, (l + 1) * B * H));
      const step = B * H * 4;
      for (let t = 0; t < T; t++) {
        const gt = g + t * B * H4 * 4;
        k.gemm(B, H4, H, hs + t * step, H, 1, p.whP, gt, H4, 1, 0);
        k.lstmForward(gt, cs + t * step, cs + (t + 1) * step, hs + (t + 1) * step, tc + t * step, B, H);
      }
      stateOut.h.set(ar.f32(hs + T * step, B * H), l * B * H);
      stateOut.c.set(ar.f32(cs + T * step, B * H), l * B * H);
      let y = hs + step;
      if (dropoutSeed !== null && c.dropout > 0) {
        dropoutMask(dropoutSeed, l, N * H, c.dropout, ar.f32(mask, N * H));
        const dst = bufs.x[l + 1]!;
        k.mulTo(dst, y, mask, N * H);
        y = dst;
      }
      x = y;
    }
    k.gemm(N, V, H, x, H, 1, w.outWP, bufs.logits, V, 0, w.outB);
    if (logitsOut) {
      const lg = ar.f32(bufs.logits, N * V);
      for (let t = 0; t < T; t++)
        for (let b = 0; b < B; b++)
          logitsOut.set(lg.subarray((t * B + b) * V, (t * B + b + 1) * V), (b * T + t) * V);
    }
    const tg = ar.i32(bufs.targets, N);
    let count = 0;
    for (let b = 0; b < B; b++) {
      for (let t = 0; t < T; t++) {
        const y = batch.targets[b * T + t]!;
        tg[t * B + b] = y;
        if (y >= 0) count++;
      }
    }
    return { bufs, inputs, top: x, count, state: stateOut };
  }

  trainStep(
    params: FloatArray,
    batch: Batch,
    state: LstmState | null,
    grads: FloatArray,
    options: TrainOptions = {},
  ): TrainStepResult {
    const { config: c, k, w, arena: ar } = this;
    checkBatch(c, batch, state);
    if (grads.length !== w.count)
      throw new Error(`gradient array has ${grads.length} values, the config needs ${w.count}`);
    const fw = this.forward(params, batch, state, options.dropoutSeed ?? 0, true);
    const { bufs, count } = fw;
    const { B, T, H, H4, V, N, E, V2, E2, In0 } = dims(c, batch.batchSize, batch.seqLen);
    const lossSum = k.softmaxXent(bufs.logits, bufs.targets, N, V, count > 0 ? 1 / count : 0, 1);
    ar.f32(w.grads, w.count).fill(0);
    if (count > 0) {
      k.colSum(bufs.logits, N, V, w.gOutB);
      k.packB(bufs.logits, V, N, V, bufs.dLogitsP);
      k.gemm(H, V, N, fw.top, 1, H, bufs.dLogitsP, w.gOutW, V, 0, 0);
      k.gemm(N, H, V, bufs.logits, V, 1, w.outWTP, bufs.dy, H, 0, 0);
      let dy = bufs.dy,
        dx = bufs.dx;
      const step = B * H * 4;
      for (let l = c.layers - 1; l >= 0; l--) {
        const In = l === 0 ? In0 : H;
        const p = w.layers[l]!;
        const { gates: g, hs, cs, tc, mask } = bufs.layers[l]!;
        if (c.dropout > 0) k.mulTo(dy, dy, mask, N * H);
        ar.f32(bufs.dhNext, B * H).fill(0);
        ar.f32(bufs.dcNext, B * H).fill(0);
        for (let t = T - 1; t >= 0; t--) {
          const gt = g + t * B * H4 * 4,
            dGt = bufs.dG + t * B * H4 * 4;
          k.lstmBackward(
            gt,
            cs + t * step,
            tc + t * step,
            dy + t * step,
            bufs.dhNext,
            bufs.dcNext,
            dGt,
            B,
            H,
          );
          if (t > 0) k.gemm(B, H, H4, dGt, H4, 1, p.whTP, bufs.dhNext, H, 0, 0);
        }
        k.colSum(bufs.dG, N, H4, p.gb);
        k.packB(bufs.dG, H4, N, H4, bufs.dGP);
        k.gemm(H, H4, N, hs, 1, H, bufs.dGP, p.gwh, H4, 0, 0);
        if (l > 0) {
          const x = fw.inputs[l]!;
          k.gemm(In, H4, N, x, 1, In, bufs.dGP, p.gwx, H4, 0, 0);
          k.gemm(N, In, H4, bufs.dG, H4, 1, p.wxTP, dx, In, 0, 0);
          [dy, dx] = [dx, dy];
          continue;
        }
        // First layer: per-token sums of dG give dWx = embedᵀ·sums and d(embed) = sums·Wxᵀ.
        const parts: [
          ids: number,
          sum: number,
          vocab: number,
          width: number,
          table: number,
          col: number,
          gTable: number,
        ][] = [[bufs.tokIds, bufs.sumE, V, E, w.embed, 0, w.gEmbed]];
        if (E2 > 0) parts.push([bufs.extraIds, bufs.sumX, V2, E2, w.extraEmbed, E, w.gExtraEmbed]);
        for (const [ids, sum, vocab, width, table, col, gTable] of parts) {
          ar.f32(sum, vocab * H4).fill(0);
          k.scatterAddRows(sum, N, H4, bufs.dG, ids);
          k.packB(sum, H4, vocab, H4, bufs.sumP);
          k.gemm(width, H4, vocab, table, 1, width, bufs.sumP, p.gwx + col * H4 * 4, H4, 0, 0);
          k.gemm(vocab, In0, H4, sum, H4, 1, p.wxTP, bufs.embTmp, In0, 0, 0);
          const tmp = ar.f32(bufs.embTmp, vocab * In0),
            gt = ar.f32(gTable, vocab * width);
          for (let v = 0; v < vocab; v++)
            gt.set(tmp.subarray(v * In0 + col, v * In0 + col + width), v * width);
        }
      }
    }
    grads.set(ar.f32(w.grads, w.count));
    return { loss: count > 0 ? lossSum / count : 0, lossSum, count, state: fw.state };
  }

  evaluate(params: FloatArray, batch: Batch, state: LstmState | null, logits?: Float32Array): EvalResult {
    const c = this.config;
    checkBatch(c, batch, state, logits);
    const fw = this.forward(params, batch, state, null, false, logits);
    const lossSum = this.k.softmaxXent(
      fw.bufs.logits,
      fw.bufs.targets,
      batch.batchSize * batch.seqLen,
      c.vocabSize,
      0,
      0,
    );
    return { lossSum, count: fw.count, state: fw.state };
  }

  dispose(): void {
    this.bufs = null;
    this.shared?.detach();
  }
}

/**
 * Times one GEMM C[M, N] += A[M, K]·B[K, N] on this thread's kernels (B packed beforehand, as in
 * training) and returns the best of `rounds` in milliseconds: the kernel's speed, for `continuo bench`.
 */
export function timeGemm(M: number, N: number, K: number, rounds: number, now: () => number): number {
  const k = instantiate();
  const arena = new Arena(k);
  const a = arena.alloc(M * K),
    bp = arena.alloc(packedSize(K, N)),
    c = arena.alloc(M * N);
  arena.f32(a, M * K).fill(0.01);
  arena.f32(bp, packedSize(K, N)).fill(0.02);
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    const t0 = now();
    k.gemm(M, N, K, a, K, 1, bp, c, N, 1, 0);
    best = Math.min(best, now() - t0);
  }
  return best;
}

export class WasmStream implements Stream {
  readonly backend = 'wasm-simd' as const;
  private readonly k: KernelExports;
  private readonly arena: Arena;
  private readonly w: Weights;
  private readonly ids: number; // i32 [B] tokens, then [B] extras
  private readonly g: number;
  private readonly h: number; // [L, B, H]
  private readonly c: number;
  private readonly tc: number;
  private readonly logits: number;
  private readonly out: Float32Array;

  constructor(
    readonly config: ModelConfig,
    params: FloatArray,
    readonly batchSize = 1,
  ) {
    validateConfig(config);
    this.k = instantiate();
    this.arena = new Arena(this.k);
    this.w = new Weights(config, this.k, this.arena, false);
    this.w.load(params, false);
    const B = batchSize,
      H = config.hiddenSize;
    this.ids = this.arena.alloc(2 * B);
    this.g = this.arena.alloc(B * 4 * H);
    this.h = this.arena.alloc(config.layers * B * H);
    this.c = this.arena.alloc(config.layers * B * H);
    this.tc = this.arena.alloc(B * H);
    this.logits = this.arena.alloc(B * config.vocabSize);
    this.out = new Float32Array(B * config.vocabSize);
  }

  step(tokens: ArrayLike<number>, extras?: ArrayLike<number>): Float32Array {
    const { config: c, k, w, arena: ar } = this;
    const { B, H, H4, V, V2, E2 } = dims(c, this.batchSize, 1);
    if (tokens.length !== B) throw new Error(`stream: expected ${B} tokens, got ${tokens.length}`);
    if (E2 > 0 && (!extras || extras.length !== B))
      throw new Error(`stream: expected ${B} extras for a model with a second input`);
    const ids = ar.i32(this.ids, 2 * B);
    for (let b = 0; b < B; b++) {
      const tok = tokens[b]!;
      if (!(tok >= 0 && tok < V && Number.isInteger(tok)))
        throw new Error(`stream: token ${tok} is outside the vocabulary 0..${V - 1}`);
      ids[b] = tok;
      if (E2 > 0) {
        const e = extras![b]!;
        if (!(e >= 0 && e < V2 && Number.isInteger(e)))
          throw new Error(`stream: extra ${e} is outside 0..${V2 - 1}`);
        ids[B + b] = e;
      }
    }
    let x = -1;
    for (let l = 0; l < c.layers; l++) {
      const p = w.layers[l]!;
      const h = this.h + l * B * H * 4,
        cc = this.c + l * B * H * 4;
      if (l === 0) {
        k.gatherRows(this.g, B, H4, w.first.tableE, this.ids, E2 > 0 ? w.first.tableX : 0, this.ids + B * 4);
      } else {
        k.gemm(B, H4, H, x, H, 1, p.wxP, this.g, H4, 0, p.b);
      }
      k.gemm(B, H4, H, h, H, 1, p.whP, this.g, H4, 1, 0);
      k.lstmForward(this.g, cc, cc, h, this.tc, B, H);
      x = h;
    }
    k.gemm(B, V, H, x, H, 1, w.outWP, this.logits, V, 0, w.outB);
    this.out.set(ar.f32(this.logits, B * V));
    return this.out;
  }

  getState(): LstmState {
    const n = this.config.layers * this.batchSize * this.config.hiddenSize;
    return {
      batchSize: this.batchSize,
      h: this.arena.f32(this.h, n).slice(),
      c: this.arena.f32(this.c, n).slice(),
    };
  }

  setState(state: LstmState): void {
    checkState(this.config, state, this.batchSize);
    const n = state.h.length;
    this.arena.f32(this.h, n).set(state.h);
    this.arena.f32(this.c, n).set(state.c);
  }

  reset(): void {
    const n = this.config.layers * this.batchSize * this.config.hiddenSize;
    this.arena.f32(this.h, n).fill(0);
    this.arena.f32(this.c, n).fill(0);
  }
}
