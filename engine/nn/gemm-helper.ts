/**
 * A GEMM helper thread's entry (Node worker_threads; started by threads.ts): it keeps one kernel
 * instance per network on that network's shared memory and computes chunks of the GEMMs its caller
 * posts in the job block. It talks only through the shared blocks of helper-protocol.ts, apart from
 * one 'ready' message once it waits for commands, and the attach payloads on its port.
 */
import { parentPort, receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import {
  CMD,
  CTL,
  DONE_FAILED,
  JOB,
  OP,
  controlViews,
  jobViews,
  runChunks,
  type AttachMessage,
  type HelperData,
  type HelperKernels,
} from './helper-protocol.js';
import { wasmApi } from './kernel-loader.js';

const data = workerData as HelperData;
const port = data.port as MessagePort;
const { ctl, cmd } = controlViews(data.control);
const { job, args } = jobViews(data.job);
const instances = new Map<number, HelperKernels>();

function attachOrDetach(op: number): void {
  try {
    if (op === OP.ATTACH) {
      const { id, memory, scratch } = receiveMessageOnPort(port)!.message as AttachMessage;
      const k = new wasmApi!.Instance(data.module, { env: { memory } }).exports as HelperKernels;
      k.setScratch(scratch);
      instances.set(id, k);
    } else instances.delete(cmd[CMD.ID]!);
  } catch {
    Atomics.store(ctl, CTL.FAILED, 1);
  }
}

parentPort!.postMessage('ready');
let seen = 0;
for (;;) {
  // Spin a little before sleeping: per-step GEMMs come every ~0.1 ms, and waking from a futex
  // costs a good part of that.
  const t0 = performance.now();
  while (Atomics.load(ctl, CTL.SEQ) === seen && performance.now() - t0 < 0.2);
  Atomics.wait(ctl, CTL.SEQ, seen);
  seen = Atomics.load(ctl, CTL.SEQ);
  const op = cmd[CMD.OP]!;
  if (op === OP.QUIT) break;
  if (op === OP.ATTACH || op === OP.DETACH) {
    attachOrDetach(op);
    Atomics.store(ctl, CTL.ACK, seen);
    Atomics.notify(ctl, CTL.ACK);
    continue;
  }
  try {
    runChunks(job, args, (id) => instances.get(id));
  } catch {
    Atomics.store(job, JOB.FAILED, 1);
    Atomics.store(job, JOB.DONE, DONE_FAILED);
    Atomics.notify(job, JOB.DONE);
  }
}
