/**
 * A second thread for the big GEMMs: one helper worker shares the WebAssembly memory of a network and
 * computes half of the output columns of each large GEMM while the calling thread computes the other
 * half, then both meet at a barrier (Atomics). The API stays synchronous.
 *
 * Threads are off until `enableThreads()` (Node only: it needs worker_threads and shared memory). It
 * measures a recurrent-step GEMM alone and split, and keeps the helper only when splitting is faster
 * here and now — on a machine whose cores are busy with other work it usually is not.
 */
import type * as WorkerThreads from 'node:worker_threads';
import { sharedKernelModule, wasmApi, type WasmMemory as SharedMemory, type WasmModule } from './kernel-loader.js';

interface WorkerLike {
  unref(): void;
  terminate(): Promise<number>;
}
interface PortLike {
  postMessage(message: unknown): void;
  close(): void;
}

/** Runs in the helper (CommonJS, eval'd): waits for a command, runs it, signals done. */
const HELPER_SOURCE = `
const { workerData, receiveMessageOnPort } = require('node:worker_threads');
const { control, port, module } = workerData;
const ctl = new Int32Array(control, 0, 4);
const args = new Float64Array(control, 16, 16);
const instances = new Map();
let seen = 0;
for (;;) {
  Atomics.wait(ctl, 0, seen);
  seen = Atomics.load(ctl, 0);
  const op = args[0];
  if (op === -1) break;
  try {
    if (op === -2) {
      const { id, memory, scratch } = receiveMessageOnPort(port).message;
      const k = new WebAssembly.Instance(module, { env: { memory } }).exports;
      k.setScratch(scratch);
      instances.set(id, k);
    } else if (op === -3) {
      instances.delete(args[1]);
    } else {
      instances.get(args[1]).gemm(args[2], args[3], args[4], args[5], args[6], args[7], args[8], args[9], args[10], args[11], args[12]);
    }
  } catch (e) {
    Atomics.store(ctl, 2, 1);
  }
  Atomics.store(ctl, 1, seen);
  Atomics.notify(ctl, 1);
}
`;

export type GemmFn = (M: number, N: number, K: number, a: number, rsA: number, csA: number, bp: number, c: number, ldc: number, accumulate: number, bias: number) => void;

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
    this.ctl = new Int32Array(control, 0, 4);
    this.args = new Float64Array(control, 16, 16);
  }

  post(op: number, values: number[]): number {
    this.args[0] = op;
    this.args.set(values, 1);
    const seq = ++this.seq;
    Atomics.store(this.ctl, 0, seq);
    Atomics.notify(this.ctl, 0);
    return seq;
  }

  wait(seq: number): void {
    // Spin briefly: the helper usually finishes within microseconds of the caller's half.
    for (let i = 0; i < 2000 && Atomics.load(this.ctl, 1) !== seq; i++);
    while (Atomics.load(this.ctl, 1) !== seq) Atomics.wait(this.ctl, 1, Atomics.load(this.ctl, 1), 20);
    if (Atomics.load(this.ctl, 2) !== 0) {
      Atomics.store(this.ctl, 2, 0);
      throw new Error('nn: the helper thread failed to run a kernel');
    }
  }

  attach(memory: SharedMemory, scratch: number): number {
    const id = this.nextId++;
    this.port.postMessage({ id, memory, scratch });
    this.wait(this.post(-2, []));
    return id;
  }

  detach(id: number): void {
    this.wait(this.post(-3, [id]));
  }

  async close(): Promise<void> {
    this.post(-1, []);
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
    const panels = (N + 7) >> 3;
    if (id === 0 || panels < 4 || 2 * M * N * K < 2e6) {
      exports.gemm(M, N, K, a, rsA, csA, bp, c, ldc, accumulate, bias);
      return;
    }
    const p0 = panels >> 1, n0 = p0 * 8;
    const seq = h.post(0, [id, M, N - n0, K, a, rsA, csA, bp + p0 * K * 32, c + n0 * 4, ldc, accumulate, bias ? bias + n0 * 4 : 0]);
    exports.gemm(M, n0, K, a, rsA, csA, bp, c, ldc, accumulate, bias);
    h.wait(seq);
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
  if (!wasmApi || typeof SharedArrayBuffer === 'undefined') return { enabled: false, speedup: NaN, reason: 'no shared memory in this runtime' };
  let wt: typeof WorkerThreads;
  try {
    wt = await import('node:worker_threads');
  } catch {
    return { enabled: false, speedup: NaN, reason: 'worker_threads is not available (threads are Node-only)' };
  }
  const module = sharedKernelModule();
  const control = new SharedArrayBuffer(16 + 16 * 8);
  const { port1, port2 } = new wt.MessageChannel();
  const worker = new wt.Worker(HELPER_SOURCE, { eval: true, workerData: { control, port: port2, module }, transferList: [port2] });
  worker.unref();
  helper = new Helper(module, worker, port1, control);
  const speedup = calibrate();
  if (options.force || speedup >= 1.1) return { enabled: true, speedup, reason: options.force ? 'forced' : 'faster here' };
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
  const M = 32, N = 1024, K = 256;
  const base = (k.heapBase() + 63) & ~63;
  const a = base, bp = a + M * K * 4, c = bp + K * N * 4, scratch = c + M * N * 4;
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
