/**
 * What the calling thread (threads.ts) and the GEMM helper threads (gemm-helper.ts) share: the layout
 * of the shared blocks through which they talk, and the loop both run to compute a GEMM's chunks.
 * Both sides name every slot through the constants here, so neither can drift from the other.
 *
 * Control block, one per helper (CONTROL_BYTES):
 *   Int32   CTL slots  at byte 0
 *   Float64 CMD slots  at byte 16
 * Job block, shared by all threads (JOB_BYTES):
 *   Int32   JOB slots  at byte 0
 *   Float64 ARG slots  at byte 16: the instance id, GemmFn's 11 arguments, panels per chunk
 */
import type { WasmModule } from './kernel-loader.js';

/** The kernel's GEMM (engine/nn/assembly/kernels.ts): C[M, N] (+)= A·B (+ bias), B packed. */
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

/** Int32 slots of a helper's control block. */
export const CTL = {
  SEQ: 0, // bumped for every command to this helper
  ACK: 1, // the helper echoes SEQ here after attach/detach
  FAILED: 2, // set by the helper when an attach or detach failed
} as const;
/** Float64 slots of the control block: the command and the network instance it is about. */
export const CMD = { OP: 0, ID: 1 } as const;
export const OP = { GEMM: 0, QUIT: -1, ATTACH: -2, DETACH: -3 } as const;

/** Int32 slots of the job block. */
export const JOB = {
  NEXT: 0, // next unclaimed chunk
  TOTAL: 1, // chunks in the current GEMM
  DONE: 2, // chunks finished
  FAILED: 3, // set by a helper whose kernel threw
} as const;
/** NEXT while the arguments are being written: every claim fails. */
export const CLOSED = 1 << 30;
/** DONE after a helper failed: more than any GEMM's chunk count, so the caller stops waiting. */
export const DONE_FAILED = 1 << 29;
/** Float64 slots of the job block: the instance, then GemmFn's arguments in its order from M on. */
export const ARG = {
  INSTANCE: 0,
  M: 1,
  N: 2,
  K: 3,
  A: 4,
  RS_A: 5,
  CS_A: 6,
  BP: 7,
  C: 8,
  LDC: 9,
  ACCUMULATE: 10,
  BIAS: 11,
  PER: 12, // output panels (of 8 columns) per chunk
} as const;

const INTS = 4,
  FLOATS_AT = 16;
export const CONTROL_BYTES = FLOATS_AT + 2 * 8;
export const JOB_BYTES = FLOATS_AT + 16 * 8;

export function controlViews(buffer: SharedArrayBuffer): { ctl: Int32Array; cmd: Float64Array } {
  return { ctl: new Int32Array(buffer, 0, INTS), cmd: new Float64Array(buffer, FLOATS_AT, 2) };
}

export function jobViews(buffer: SharedArrayBuffer): { job: Int32Array; args: Float64Array } {
  return { job: new Int32Array(buffer, 0, INTS), args: new Float64Array(buffer, FLOATS_AT, 16) };
}

/** What a helper is started with (its workerData). */
export interface HelperData {
  control: SharedArrayBuffer;
  job: SharedArrayBuffer;
  /** Carries each attach's { id, memory, scratch } (an AttachMessage), read with receiveMessageOnPort. */
  port: unknown;
  module: WasmModule;
}

/** The kernel exports a helper uses on a network's memory. */
export interface HelperKernels {
  gemm: GemmFn;
  setScratch(at: number): void;
}

/** Sent on the helper's port before OP.ATTACH: the instance to make on a network's shared memory. */
export interface AttachMessage {
  id: number;
  memory: unknown;
  scratch: number;
}

/**
 * Claims and computes chunks until none are left; run by the caller and the helpers alike. Chunk j
 * covers output panels [j·per, (j+1)·per) of 8 columns.
 */
export function runChunks(
  job: Int32Array,
  args: Float64Array,
  instance: (id: number) => { gemm: GemmFn } | undefined,
): void {
  for (;;) {
    const j = Atomics.add(job, JOB.NEXT, 1);
    const total = Atomics.load(job, JOB.TOTAL);
    if (j >= total) return;
    const k = instance(args[ARG.INSTANCE]!);
    if (!k) return;
    const N = args[ARG.N]!,
      K = args[ARG.K]!,
      bias = args[ARG.BIAS]!,
      per = args[ARG.PER]!;
    const p0 = j * per,
      n0 = p0 * 8,
      n = Math.min(N - n0, per * 8);
    k.gemm(
      args[ARG.M]!,
      n,
      K,
      args[ARG.A]!,
      args[ARG.RS_A]!,
      args[ARG.CS_A]!,
      args[ARG.BP]! + p0 * K * 32,
      args[ARG.C]! + n0 * 4,
      args[ARG.LDC]!,
      args[ARG.ACCUMULATE]!,
      bias ? bias + n0 * 4 : 0,
    );
    if (Atomics.add(job, JOB.DONE, 1) + 1 === total) Atomics.notify(job, JOB.DONE);
  }
}
