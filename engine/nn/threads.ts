/**
 * Helper threads for the big GEMMs. Helper workers share the WebAssembly memory of a network. A
 * large GEMM is cut into chunks of output columns; the calling thread and the helpers claim chunks
 * from a shared counter (Atomics) until none are left, and the caller then waits only for chunks a
 * helper is still computing. A helper that is descheduled (busy machine) costs at most one chunk of
 * waiting. The API stays synchronous.
 *
 * Threads are off until `enableThreads()` (Node only: it needs worker_threads and shared memory). It
 * measures a recurrent-step GEMM on one thread and on 2…n threads and keeps the fastest count, or none
 * when no count is at least 1.1× faster here and now — on a machine whose cores are busy with other
 * work that is the usual answer.
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

// Per-helper command block: Int32 slots, then Float64 [op, instance id] at byte 16.
const SEQ = 0; // bumped for every command to this helper
const ACK = 1; // the helper echoes SEQ here after attach/detach
const CMD_FAILED = 2;
// Job block shared by all threads: Int32 slots, then the GEMM's Float64 arguments at byte 16.
const NEXT = 0; // next unclaimed chunk
const TOTAL = 1; // chunks in the current GEMM
const DONE = 2; // chunks finished
const JOB_FAILED = 3;
const CLOSED = 1 << 30; // NEXT while arguments are being written: every claim fails
const OP_GEMM = 0,
  OP_QUIT = -1,
  OP_ATTACH = -2,
  OP_DETACH = -3;

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
 * Claims and computes chunks until none are left; shared verbatim by the caller and the helpers (its
 * source is inlined into HELPER_SOURCE, so it refers to nothing outside itself). args: [instance id,
 * M, N, K, a, rsA, csA, bp, c, ldc, accumulate, bias, panels per chunk]; chunk j covers output panels
 * [j·per, (j+1)·per) of 8 columns.
 */
function runChunks(
  job: Int32Array,
  args: Float64Array,
  instance: (id: number) => { gemm: GemmFn } | undefined,
): void {
  for (;;) {
    const j = Atomics.add(job, 0, 1);
    const total = Atomics.load(job, 1);
    if (j >= total) return;
    const k = instance(args[0]!);
    if (!k) return;
    const N = args[2]!,
      K = args[3]!,
      bp = args[7]!,
      c = args[8]!,
      bias = args[11]!,
      per = args[12]!;
    const p0 = j * per,
      n0 = p0 * 8,
      n = Math.min(N - n0, per * 8);
    k.gemm(
      args[1]!,
      n,
      K,
      args[4]!,
      args[5]!,
      args[6]!,
      bp + p0 * K * 32,
      c + n0 * 4,
      args[9]!,
      args[10]!,
      bias ? bias + n0 * 4 : 0,
    );
    if (Atomics.add(job, 2, 1) + 1 === total) Atomics.notify(job, 2);
  }
}

/** Runs in each helper (CommonJS, eval'd). */
const HELPER_SOURCE = `
const { workerData, receiveMessageOnPort } = require('node:worker_threads');
const { control, job, port, module } = workerData;
const ctl = new Int32Array(control, 0, 4);
const cmd = new Float64Array(control, 16, 2);
const jctl = new Int32Array(job, 0, 4);
const args = new Float64Array(job, 16, 16);
const instances = new Map();
${runChunks.toString()}
let seen = 0;
for (;;) {
  // Spin a little before sleeping: per-step GEMMs come every ~0.1 ms, and waking from a futex
  // costs a good part of that.
  const t0 = performance.now();
  while (Atomics.load(ctl, ${SEQ}) === seen && performance.now() - t0 < 0.2);
  Atomics.wait(ctl, ${SEQ}, seen);
  seen = Atomics.load(ctl, ${SEQ});
  const op = cmd[0];
  if (op === ${OP_QUIT}) break;
  if (op === ${OP_ATTACH} || op === ${OP_DETACH}) {
    try {
      if (op === ${OP_ATTACH}) {
        const { id, memory, scratch } = receiveMessageOnPort(port).message;
        const k = new WebAssembly.Instance(module, { env: { memory } }).exports;
        k.setScratch(scratch);
        instances.set(id, k);
      } else instances.delete(cmd[1]);
    } catch (e) {
      Atomics.store(ctl, ${CMD_FAILED}, 1);
    }
    Atomics.store(ctl, ${ACK}, seen);
    Atomics.notify(ctl, ${ACK});
    continue;
  }
  try {
    runChunks(jctl, args, (id) => instances.get(id));
  } catch (e) {
    Atomics.store(jctl, ${JOB_FAILED}, 1);
    Atomics.store(jctl, ${DONE}, 1 << 29);
    Atomics.notify(jctl, ${DONE});
  }
}
`;

interface HelperThread {
  worker: WorkerLike;
  port: PortLike;
  ctl: Int32Array;
  cmd: Float64Array;
  seq: number;
}

class Pool {
  private readonly job: Int32Array;
  private readonly args: Float64Array;
  private nextId = 1;
  /** Helpers that take part in GEMMs (the others only sleep; calibration varies this). */
  active: number;

  constructor(
    readonly module: WasmModule,
    private readonly helpers: HelperThread[],
    jobBuffer: SharedArrayBuffer,
  ) {
    this.job = new Int32Array(jobBuffer, 0, 4);
    this.args = new Float64Array(jobBuffer, 16, 16);
    this.active = helpers.length;
  }

  get size(): number {
    return this.helpers.length;
  }

  private command(h: HelperThread, op: number, id: number): void {
    h.cmd[0] = op;
    h.cmd[1] = id;
    const seq = ++h.seq;
    Atomics.store(h.ctl, SEQ, seq);
    Atomics.notify(h.ctl, SEQ);
    while (Atomics.load(h.ctl, ACK) !== seq) Atomics.wait(h.ctl, ACK, Atomics.load(h.ctl, ACK), 20);
    if (Atomics.load(h.ctl, CMD_FAILED) !== 0) {
      Atomics.store(h.ctl, CMD_FAILED, 0);
      throw new Error('nn: a helper thread could not attach to the shared memory');
    }
  }

  /** Gives every helper an instance on `memory`; helper i uses `scratch(i)`. Returns the instance id. */
  attach(memory: SharedMemory, scratch: (helper: number) => number): number {
    const id = this.nextId++;
    this.helpers.forEach((h, i) => {
      h.port.postMessage({ id, memory, scratch: scratch(i) });
      this.command(h, OP_ATTACH, id);
    });
    return id;
  }

  detach(id: number): void {
    for (const h of this.helpers) this.command(h, OP_DETACH, id);
  }

  /** Runs one GEMM on this thread and the active helpers together. */
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
    // ~8 chunks per thread: small enough that waiting for a helper's last one is short, large
    // enough that each chunk's repacking of A stays a few percent of its work.
    const per = Math.max(1, Math.ceil(panels / (8 * (this.active + 1))));
    const total = Math.ceil(panels / per);
    const job = this.job;
    Atomics.store(job, NEXT, CLOSED);
    Atomics.store(job, DONE, 0);
    Atomics.store(job, TOTAL, total);
    this.args.set([id, M, N, K, a, rsA, csA, bp, c, ldc, accumulate, bias, per]);
    Atomics.store(job, NEXT, 0);
    for (let i = 0; i < this.active; i++) {
      const h = this.helpers[i]!;
      h.cmd[0] = OP_GEMM; // before SEQ moves: a helper reads the command once it sees a new SEQ
      Atomics.store(h.ctl, SEQ, ++h.seq);
      Atomics.notify(h.ctl, SEQ);
    }
    runChunks(job, this.args, () => local);
    for (let i = 0; i < 5000 && Atomics.load(job, DONE) < total; i++);
    for (let d = Atomics.load(job, DONE); d < total; d = Atomics.load(job, DONE))
      Atomics.wait(job, DONE, d, 20);
    Atomics.store(job, NEXT, CLOSED);
    if (Atomics.load(job, JOB_FAILED) !== 0) {
      Atomics.store(job, JOB_FAILED, 0);
      throw new Error('nn: a helper thread failed to run a kernel');
    }
  }

  /** Stops helpers beyond the first `keep`. */
  async shrink(keep: number): Promise<void> {
    const extra = this.helpers.splice(keep);
    this.active = Math.min(this.active, keep);
    await Promise.all(extra.map((h) => this.quit(h)));
  }

  private async quit(h: HelperThread): Promise<void> {
    h.cmd[0] = OP_QUIT;
    Atomics.store(h.ctl, SEQ, ++h.seq);
    Atomics.notify(h.ctl, SEQ);
    h.port.close();
    await h.worker.terminate();
  }

  async close(): Promise<void> {
    await this.shrink(0);
  }
}

let pool: Pool | null = null;

export interface ThreadStatus {
  enabled: boolean;
  /** Threads that GEMMs now use, the caller included (1 when disabled). */
  threads: number;
  /** Time of a recurrent-step GEMM on one thread divided by its time on `threads` threads (median). */
  speedup: number;
  /** Every count tried, with its measured speedup. */
  measured: { threads: number; speedup: number }[];
  reason: string;
}

/** A kernel instance on a fresh shared memory, plus a GEMM that uses the helpers. */
export interface SharedKernels {
  exports: unknown;
  memory: SharedMemory;
  /** Number of scratch areas (`scratchBytes()` each) that attach asks for. */
  helpers: number;
  /** Gives the helpers instances on this memory; `scratch(i)` is helper i's scratch area. */
  attach(scratch: (helper: number) => number): void;
  gemm: GemmFn;
  detach(): void;
}

/** Non-null while threads are enabled: new WasmNetworks then run their big GEMMs on the helpers too. */
export function sharedKernels(): SharedKernels | null {
  if (!pool || !wasmApi) return null;
  const p = pool;
  const memory = new wasmApi.Memory({ initial: 2, maximum: 32768, shared: true });
  const exports = new wasmApi.Instance(p.module, { env: { memory } }).exports as { gemm: GemmFn };
  let id = 0;
  const gemm: GemmFn = (M, N, K, a, rsA, csA, bp, c, ldc, accumulate, bias) => {
    if (id === 0 || p.active === 0 || N < 32 || 2 * M * N * K < 2e6)
      exports.gemm(M, N, K, a, rsA, csA, bp, c, ldc, accumulate, bias);
    else p.gemm(id, exports, M, N, K, a, rsA, csA, bp, c, ldc, accumulate, bias);
  };
  return {
    exports,
    memory,
    helpers: p.size,
    attach: (scratch) => {
      id = p.attach(memory, scratch);
    },
    gemm,
    detach: () => {
      if (id !== 0) p.detach(id);
      id = 0;
    },
  };
}

/**
 * Starts helper threads and keeps the count that makes a recurrent-step GEMM fastest, if that is at
 * least 1.1× one thread; `threads` caps the total (default: the cores, at most 4); `force` keeps all
 * of them whatever the measurement. Networks created afterwards use them; existing ones do not change.
 */
export async function enableThreads(
  options: { force?: boolean; threads?: number } = {},
): Promise<ThreadStatus> {
  const off = (reason: string, measured: ThreadStatus['measured'] = [], speedup = NaN): ThreadStatus => ({
    enabled: false,
    threads: 1,
    speedup,
    measured,
    reason,
  });
  if (pool)
    return { enabled: true, threads: pool.active + 1, speedup: NaN, measured: [], reason: 'already enabled' };
  if (!wasmApi || typeof SharedArrayBuffer === 'undefined') return off('no shared memory in this runtime');
  let wt: typeof WorkerThreads;
  let cores: number;
  try {
    wt = await import('node:worker_threads');
    cores = (await import('node:os')).availableParallelism();
  } catch {
    return off('worker_threads is not available (threads are Node-only)');
  }
  const total = Math.max(1, Math.floor(options.threads ?? Math.min(4, cores)));
  if (total < 2) return off('one thread requested or one core here');
  const module = sharedKernelModule();
  const jobBuffer = new SharedArrayBuffer(16 + 16 * 8);
  const helpers: HelperThread[] = [];
  for (let i = 1; i < total; i++) {
    const control = new SharedArrayBuffer(16 + 2 * 8);
    const { port1, port2 } = new wt.MessageChannel();
    const worker = new wt.Worker(HELPER_SOURCE, {
      eval: true,
      workerData: { control, job: jobBuffer, port: port2, module },
      transferList: [port2],
    });
    worker.unref();
    helpers.push({
      worker,
      port: port1,
      ctl: new Int32Array(control, 0, 4),
      cmd: new Float64Array(control, 16, 2),
      seq: 0,
    });
  }
  pool = new Pool(module, helpers, jobBuffer);
  const measured = calibrate(pool);
  const best = measured.reduce((a, b) => (b.speedup > a.speedup ? b : a));
  if (options.force) {
    pool.active = pool.size;
    const all = measured[measured.length - 1]!;
    return { enabled: true, threads: all.threads, speedup: all.speedup, measured, reason: 'forced' };
  }
  if (best.speedup >= 1.1) {
    await pool.shrink(best.threads - 1);
    return { enabled: true, threads: best.threads, speedup: best.speedup, measured, reason: 'faster here' };
  }
  await disableThreads();
  return off('not faster here', measured, best.speedup);
}

export async function disableThreads(): Promise<void> {
  const p = pool;
  pool = null;
  if (p) await p.close();
}

export function threadsEnabled(): boolean {
  return pool !== null;
}

/** Times the recurrent-step GEMM of the reference workload (32×1024×256) on 1 and on 2…n threads. */
function calibrate(p: Pool): { threads: number; speedup: number }[] {
  const sk = sharedKernels()!;
  const k = sk.exports as { heapBase(): number; scratchBytes(): number; gemm: GemmFn };
  const M = 32,
    N = 1024,
    K = 256;
  const a = Math.ceil(k.heapBase() / 64) * 64,
    bp = a + M * K * 4,
    c = bp + K * N * 4,
    scratch = c + M * N * 4;
  const end = scratch + k.scratchBytes() * p.size;
  sk.memory.grow(Math.ceil(Math.max(0, end - sk.memory.buffer.byteLength) / 65536));
  new Float32Array(sk.memory.buffer, a, (c - a) / 4).fill(0.01);
  sk.attach((i) => scratch + i * k.scratchBytes());
  const out: { threads: number; speedup: number }[] = [];
  const time = (gemm: GemmFn) => {
    const t0 = performance.now();
    for (let i = 0; i < 64; i++) gemm(M, N, K, a, K, 1, bp, c, N, 0, 0);
    return performance.now() - t0;
  };
  for (let active = 1; active <= p.size; active++) {
    p.active = active;
    time(sk.gemm); // wakes the helpers
    const ratios: number[] = [];
    for (let round = 0; round < 5; round++) ratios.push(time(k.gemm) / time(sk.gemm));
    ratios.sort((x, y) => x - y);
    out.push({ threads: active + 1, speedup: Number(ratios[2]!.toFixed(2)) });
  }
  sk.detach();
  return out;
}
