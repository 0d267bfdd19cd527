/**
 * A second thread for the big GEMMs: one helper worker shares the WebAssembly memory of a network.
 * A large GEMM is cut into chunks of output columns; the calling thread and the helper claim chunks
 * from a shared counter (Atomics) until none are left, and the caller then waits only for chunks the
 * helper is still computing. A helper that is descheduled (busy machine) costs at most one chunk of
 * waiting instead of half the GEMM. The API stays synchronous.
 *
 * Threads are off until `enableThreads()` (Node only: it needs worker_threads and shared memory). It
 * measures a recurrent-step GEMM alone and split, and keeps the helper only when splitting is faster
 * here and now — on a machine whose cores are busy with other work it usually is not.
 */
import type * as WorkerThreads from 'node:worker_threads';
import {
  sharedKernelModule,
  wasmApi,
  type WasmMemory as SharedMemory,
  type WasmModule,
} from './kernel-loader.js';

interface WorkerLike {
  unref(): void;
  terminate(): Promise<number>;
}
interface PortLike {
  postMessage(message: unknown): void;
  close(): void;
}

// Control block (Int32 slots) shared with the helper.
const SEQ = 0; // bumped for every command
const ACK = 1; // the helper echoes SEQ here after attach/detach
const FAILED = 2; // set by the helper when a kernel threw
const NEXT = 3; // next unclaimed chunk of the current GEMM
const TOTAL = 4; // chunks in the current GEMM
const DONE = 5; // chunks finished
const CLOSED = 1 << 30; // NEXT while arguments are being written: every claim fails
const OP_GEMM = 0,
  OP_QUIT = -1,
  OP_ATTACH = -2,
  OP_DETACH = -3;

/**
 * Runs in the helper (CommonJS, eval'd). args: [op, instance id, M, N, K, a, rsA, csA, bp, c, ldc,
 * accumulate, bias, panels per chunk]; chunk j covers panels [j·per, (j+1)·per) of the output.
 */
const HELPER_SOURCE = `
const { workerData, receiveMessageOnPort } = require('node:worker_threads');
const { control, port, module } = workerData;
const ctl = new Int32Array(control, 0, 8);
const args = new Float64Array(control, 32, 16);
const instances = new Map();
${runChunks.toString()}
let seen = 0;
for (;;) {
  Atomics.wait(ctl, ${SEQ}, seen);
  seen = Atomics.load(ctl, ${SEQ});
  const op = args[0];
  if (op === ${OP_QUIT}) break;
  if (op === ${OP_ATTACH} || op === ${OP_DETACH}) {
    try {
      if (op === ${OP_ATTACH}) {
        const { id, memory, scratch } = receiveMessageOnPort(port).message;
        const k = new WebAssembly.Instance(module, { env: { memory } }).exports;
        k.setScratch(scratch);
        instances.set(id, k);
      } else instances.delete(args[1]);
    } catch (e) {
      Atomics.store(ctl, ${FAILED}, 1);
    }
    Atomics.store(ctl, ${ACK}, seen);
    Atomics.notify(ctl, ${ACK});
    continue;
  }
  try {
    runChunks(ctl, args, (id) => instances.get(id));
  } catch (e) {
    Atomics.store(ctl, ${FAILED}, 1);
    Atomics.store(ctl, ${DONE}, 1 << 29);
    Atomics.notify(ctl, ${DONE});
  }
}
`;

export type GemmFn = (
  M: number,
  N: number,
  K: number,
  a: number,
  rsA: number,
  csA: number,
  bp: number,
  c: number,
  ldc: number,
  accumulate: number,
  bias: number,
) => void;

/**
 * Claims and computes chunks until none are left; shared verbatim by the caller and the helper (its
 * source is inlined into HELPER_SOURCE, so it must not refer to anything outside itself).
 */
function runChunks(
  ctl: Int32Array,
  args: Float64Array,
  instance: (id: number) => { gemm: GemmFn } | undefined,
): void {
  for (;;) {
    const j = Atomics.add(ctl, 3, 1);
    const total = Atomics.load(ctl, 4);
    if (j >= total) return;
    const k = instance(args[1]!);
    if (!k) return;
    const N = args[3]!,
      K = args[4]!,
      bp = args[8]!,
      c = args[9]!,
      bias = args[12]!,
      per = args[13]!;
    const p0 = j * per,
      n0 = p0 * 8,
      n = Math.min(N - n0, per * 8);
    k.gemm(
      args[2]!,
      n,
      K,
      args[5]!,
      args[6]!,
      args[7]!,
      bp + p0 * K * 32,
      c + n0 * 4,
      args[10]!,
      args[11]!,
      bias ? bias + n0 * 4 : 0,
    );
    if (Atomics.add(ctl, 5, 1) + 1 === total) Atomics.notify(ctl, 5);
  }
}

class Helper {
  private readonly ctl: Int32Array;
  private readonly args: Float64Array;
  private seq = 0;
  private nextId = 1;
  constructor(
    readonly module: WasmModule,
    private readonly worker: WorkerLike,
    private readonly port: PortLike,
    control: SharedArrayBuffer,
  ) {
    this.ctl = new Int32Array(control, 0, 8);
    this.args = new Float64Array(control, 32, 16);
  }

  private post(op: number, values: number[]): number {
    this.args[0] = op;
    this.args.set(values, 1);
    const seq = ++this.seq;
    Atomics.store(this.ctl, SEQ, seq);
    Atomics.notify(this.ctl, SEQ);
    return seq;
  }

  private checkFailed(): void {
    if (Atomics.load(this.ctl, FAILED) !== 0) {
      Atomics.store(this.ctl, FAILED, 0);
      throw new Error('nn: the helper thread failed to run a kernel');
    }
  }

  private command(op: number, values: number[]): void {
    const seq = this.post(op, values);
    while (Atomics.load(this.ctl, ACK) !== seq) Atomics.wait(this.ctl, ACK, Atomics.load(this.ctl, ACK), 20);
    this.checkFailed();
  }

  /** Runs gemm on this thread and the helper together (`id` names the helper's instance). */
  gemm(
    id: number,
    local: { gemm: GemmFn },
    M: number,
    N: number,
    K: number,
    a: number,
    rsA: number,
    csA: number,
    bp: number,
    c: number,
    ldc: number,
    accumulate: number,
    bias: number,
  ): void {
    const panels = (N + 7) >> 3;
    // ~16 chunks: small enough that waiting for the helper's last one is short.
    const per = Math.max(1, Math.ceil(panels / 16));
    const total = Math.ceil(panels / per);
    Atomics.store(this.ctl, NEXT, CLOSED);
    Atomics.store(this.ctl, DONE, 0);
    Atomics.store(this.ctl, TOTAL, total);
    this.args.set([OP_GEMM, id, M, N, K, a, rsA, csA, bp, c, ldc, accumulate, bias, per]);
    Atomics.store(this.ctl, NEXT, 0);
    Atomics.store(this.ctl, SEQ, ++this.seq);
    Atomics.notify(this.ctl, SEQ);
    runChunks(this.ctl, this.args, () => local);
    for (let i = 0; i < 5000 && Atomics.load(this.ctl, DONE) < total; i++);
    for (let d = Atomics.load(this.ctl, DONE); d < total; d = Atomics.load(this.ctl, DONE))
      Atomics.wait(this.ctl, DONE, d, 20);
    Atomics.store(this.ctl, NEXT, CLOSED);
    this.checkFailed();
  }

  attach(memory: SharedMemory, scratch: number): number {
    const id = this.nextId++;
    this.port.postMessage({ id, memory, scratch });
    this.command(OP_ATTACH, []);
    return id;
  }

  detach(id: number): void {
    this.command(OP_DETACH, [id]);
  }

  async close(): Promise<void> {
    this.post(OP_QUIT, []);
    this.port.close();
    await this.worker.terminate();
  }
}

let helper: Helper | null = null;

export interface ThreadStatus {
  enabled: boolean;
  /** Time of a recurrent-step GEMM alone divided by its time split over two threads (median). */
  speedup: number;
  reason: string;
}

/** A kernel instance on a fresh shared memory, plus a split GEMM that uses the helper. */
export interface SharedKernels {
  exports: unknown;
  memory: SharedMemory;
  /** Call once the instance's memory holds `scratchBytes()` at `scratch` for the helper. */
  attach(scratch: number): void;
  gemm: GemmFn;
  detach(): void;
}

/** Non-null while threads are enabled: new WasmNetworks then run their big GEMMs on two threads. */
export function sharedKernels(): SharedKernels | null {
  if (!helper || !wasmApi) return null;
  const h = helper;
  const memory = new wasmApi.Memory({ initial: 2, maximum: 32768, shared: true });
  const exports = new wasmApi.Instance(h.module, { env: { memory } }).exports as { gemm: GemmFn };
  let id = 0;
  const gemm: GemmFn = (M, N, K, a, rsA, csA, bp, c, ldc, accumulate, bias) => {
    if (id === 0 || N < 32 || 2 * M * N * K < 2e6)
      exports.gemm(M, N, K, a, rsA, csA, bp, c, ldc, accumulate, bias);
    else h.gemm(id, exports, M, N, K, a, rsA, csA, bp, c, ldc, accumulate, bias);
  };
  return {
    exports,
    memory,
    attach: (scratch) => {
      id = h.attach(memory, scratch);
    },
    gemm,
    detach: () => {
      if (id !== 0) h.detach(id);
      id = 0;
    },
  };
}

/**
 * Starts the helper thread and keeps it when a split GEMM is measurably faster (≥ 1.1×), or always
 * with `force`. Networks created afterwards use it; existing ones do not change.
 */
export async function enableThreads(options: { force?: boolean } = {}): Promise<ThreadStatus> {
  if (helper) return { enabled: true, speedup: NaN, reason: 'already enabled' };
  if (!wasmApi || typeof SharedArrayBuffer === 'undefined')
    return { enabled: false, speedup: NaN, reason: 'no shared memory in this runtime' };
  let wt: typeof WorkerThreads;
  try {
    wt = await import('node:worker_threads');
  } catch {
    return {
      enabled: false,
      speedup: NaN,
      reason: 'worker_threads is not available (threads are Node-only)',
    };
  }
  const module = sharedKernelModule();
  const control = new SharedArrayBuffer(32 + 16 * 8);
  const { port1, port2 } = new wt.MessageChannel();
  const worker = new wt.Worker(HELPER_SOURCE, {
    eval: true,
    workerData: { control, port: port2, module },
    transferList: [port2],
  });
  worker.unref();
  helper = new Helper(module, worker, port1, control);
  const speedup = calibrate();
  if (options.force || speedup >= 1.1)
    return { enabled: true, speedup, reason: options.force ? 'forced' : 'faster here' };
  await disableThreads();
  return { enabled: false, speedup, reason: 'not faster here' };
}

export async function disableThreads(): Promise<void> {
  const h = helper;
  helper = null;
  if (h) await h.close();
}

export function threadsEnabled(): boolean {
  return helper !== null;
}

/** Times the recurrent-step GEMM of the reference workload (32×1024×256) alone and split. */
function calibrate(): number {
  const sk = sharedKernels()!;
  const k = sk.exports as { heapBase(): number; scratchBytes(): number; gemm: GemmFn };
  const M = 32,
    N = 1024,
    K = 256;
  const base = (k.heapBase() + 63) & ~63;
  const a = base,
    bp = a + M * K * 4,
    c = bp + K * N * 4,
    scratch = c + M * N * 4;
  const end = scratch + k.scratchBytes();
  sk.memory.grow(Math.ceil(Math.max(0, end - sk.memory.buffer.byteLength) / 65536));
  new Float32Array(sk.memory.buffer, a, (c - a) / 4).fill(0.01);
  sk.attach(scratch);
  const ratios: number[] = [];
  for (let round = 0; round < 7; round++) {
    let t0 = performance.now();
    for (let i = 0; i < 16; i++) k.gemm(M, N, K, a, K, 1, bp, c, N, 0, 0);
    const one = performance.now() - t0;
    t0 = performance.now();
    for (let i = 0; i < 16; i++) sk.gemm(M, N, K, a, K, 1, bp, c, N, 0, 0);
    ratios.push(one / (performance.now() - t0));
  }
  sk.detach();
  ratios.sort((x, y) => x - y);
  return Number(ratios[3]!.toFixed(2));
}
