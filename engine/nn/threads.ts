/**
 * Helper threads for the big GEMMs. Helper workers (gemm-helper.ts, talking through the shared blocks
 * laid out in helper-protocol.ts) share the WebAssembly memory of a network. A large GEMM is cut into
 * chunks of output columns; the calling thread and the helpers claim chunks from a shared counter
 * (Atomics) until none are left, and the caller then waits only for chunks a helper is still
 * computing. A helper that is descheduled (busy machine) costs at most one chunk of
 * waiting. The API stays synchronous.
 *
 * Threads are off until `enableThreads()` (Node only: it needs worker_threads and shared memory). It
 * measures a recurrent-step GEMM on one thread and on 2…n threads and keeps the fastest count, or none
 * when no count is at least 1.1× faster here and now — on a machine whose cores are busy with other
 * work that is the usual answer.
 */
import type * as WorkerThreads from 'node:worker_threads';
import {
  ARG,
  CMD,
  CTL,
  JOB,
  OP,
  CLOSED,
  CONTROL_BYTES,
  JOB_BYTES,
  controlViews,
  jobViews,
  runChunks,
  type AttachMessage,
  type GemmFn,
  type HelperData,
} from './helper-protocol.js';
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
    ({ job: this.job, args: this.args } = jobViews(jobBuffer));
    this.active = helpers.length;
  }

  get size(): number {
    return this.helpers.length;
  }

  private command(h: HelperThread, op: number, id: number): void {
    h.cmd[CMD.OP] = op;
    h.cmd[CMD.ID] = id;
    const seq = ++h.seq;
    Atomics.store(h.ctl, CTL.SEQ, seq);
    Atomics.notify(h.ctl, CTL.SEQ);
    while (Atomics.load(h.ctl, CTL.ACK) !== seq)
      Atomics.wait(h.ctl, CTL.ACK, Atomics.load(h.ctl, CTL.ACK), 20);
    if (Atomics.load(h.ctl, CTL.FAILED) !== 0) {
      Atomics.store(h.ctl, CTL.FAILED, 0);
      throw new Error('nn: a helper thread could not attach to the shared memory');
    }
  }

  /** Gives every helper an instance on `memory`; helper i uses `scratch(i)`. Returns the instance id. */
  attach(memory: SharedMemory, scratch: (helper: number) => number): number {
    const id = this.nextId++;
    this.helpers.forEach((h, i) => {
      h.port.postMessage({ id, memory, scratch: scratch(i) } satisfies AttachMessage);
      this.command(h, OP.ATTACH, id);
    });
    return id;
  }

  detach(id: number): void {
    for (const h of this.helpers) this.command(h, OP.DETACH, id);
  }

  /** Runs one GEMM on this thread and the active helpers together. */
  gemm(id: number, local: { gemm: GemmFn }, ...gemm: Parameters<GemmFn>): void {
    const [, N] = gemm;
    const panels = (N + 7) >> 3;
    // ~8 chunks per thread: small enough that waiting for a helper's last one is short, large
    // enough that each chunk's repacking of A stays a few percent of its work.
    const per = Math.max(1, Math.ceil(panels / (8 * (this.active + 1))));
    const total = Math.ceil(panels / per);
    const job = this.job;
    Atomics.store(job, JOB.NEXT, CLOSED);
    Atomics.store(job, JOB.DONE, 0);
    Atomics.store(job, JOB.TOTAL, total);
    this.args[ARG.INSTANCE] = id;
    this.args.set(gemm, ARG.M);
    this.args[ARG.PER] = per;
    Atomics.store(job, JOB.NEXT, 0);
    for (let i = 0; i < this.active; i++) {
      const h = this.helpers[i]!;
      h.cmd[CMD.OP] = OP.GEMM; // before SEQ moves: a helper reads the command once it sees a new SEQ
      Atomics.store(h.ctl, CTL.SEQ, ++h.seq);
      Atomics.notify(h.ctl, CTL.SEQ);
    }
    runChunks(job, this.args, () => local);
    for (let i = 0; i < 5000 && Atomics.load(job, JOB.DONE) < total; i++);
    for (let d = Atomics.load(job, JOB.DONE); d < total; d = Atomics.load(job, JOB.DONE))
      Atomics.wait(job, JOB.DONE, d, 20);
    Atomics.store(job, JOB.NEXT, CLOSED);
    if (Atomics.load(job, JOB.FAILED) !== 0) {
      Atomics.store(job, JOB.FAILED, 0);
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
    h.cmd[CMD.OP] = OP.QUIT;
    Atomics.store(h.ctl, CTL.SEQ, ++h.seq);
    Atomics.notify(h.ctl, CTL.SEQ);
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

export interface ThreadOptions {
  /** Keep every helper whatever the measurement. */
  force?: boolean;
  /** Threads in all, the caller's included (default: the cores, at most 4). */
  threads?: number;
  /**
   * The compiled helper entry, gemm-helper.js; default: the one beside this module (dist/engine/nn).
   * Code run from the TypeScript sources (the tests) passes the built one: a worker runs JavaScript.
   */
  helperScript?: string | URL;
}

/**
 * Starts helper threads and keeps the count that makes a recurrent-step GEMM fastest, if that is at
 * least 1.1× one thread. Networks created afterwards use them; existing ones do not change.
 */
export async function enableThreads(options: ThreadOptions = {}): Promise<ThreadStatus> {
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
  const jobBuffer = new SharedArrayBuffer(JOB_BYTES);
  const script = options.helperScript ?? new URL('./gemm-helper.js', import.meta.url);
  const helpers: HelperThread[] = [];
  const starts: Promise<void>[] = [];
  for (let i = 1; i < total; i++) {
    const control = new SharedArrayBuffer(CONTROL_BYTES);
    const { port1, port2 } = new wt.MessageChannel();
    const worker = new wt.Worker(script, {
      workerData: { control, job: jobBuffer, port: port2, module } satisfies HelperData,
      transferList: [port2],
    });
    worker.unref();
    starts.push(started(worker));
    helpers.push({ worker, port: port1, ...controlViews(control), seq: 0 });
  }
  try {
    await Promise.all(starts);
  } catch (e) {
    for (const h of helpers) h.port.close();
    await Promise.all(helpers.map((h) => h.worker.terminate()));
    return off(`a helper thread could not start: ${e instanceof Error ? e.message : String(e)}`);
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

/** Resolves once a helper waits for commands (its one 'ready' message); rejects with why it did not. */
function started(worker: WorkerThreads.Worker): Promise<void> {
  return new Promise((resolve, reject) => {
    const settle = (error: Error | null) => {
      worker.off('message', onReady).off('error', settle).off('exit', onExit);
      if (error) reject(error);
      else resolve();
    };
    const onReady = () => settle(null);
    const onExit = (code: number) => settle(new Error(`it exited with code ${code}`));
    worker.once('message', onReady).once('error', settle).once('exit', onExit);
  });
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
