import { describe, expect, it } from 'vitest';
import {
  isJobName,
  isProgressFor,
  isResultFor,
  isWorkerReply,
  isWorkerRequest,
  type WorkerReply,
} from '../../app/contract/worker.js';

const progress: WorkerReply = {
  type: 'progress',
  id: 3,
  job: 'midi.parse',
  progress: { done: 1, total: 2, file: { ok: false, fileName: 'a.mid', error: 'is empty' } },
};
const result: WorkerReply = { type: 'result', id: 3, job: 'midi.parse', result: { parsed: 1 } };

describe('the worker contract', () => {
  it('knows the job names by own key only', () => {
    expect(isJobName('midi.parse')).toBe(true);
    expect(isJobName('constructor')).toBe(false);
    expect(isJobName(undefined)).toBe(false);
  });

  it('accepts replies tagged with a known job and refuses others', () => {
    expect(isWorkerReply(progress)).toBe(true);
    expect(isWorkerReply({ ...result, job: 'midi.render' })).toBe(false);
    expect(isWorkerReply({ type: 'result', id: 1.5, job: 'midi.parse', result: [] })).toBe(false);
    expect(isWorkerReply({ type: 'cancelled', id: 4 })).toBe(true);
  });

  it('accepts job and cancel requests only', () => {
    expect(isWorkerRequest({ type: 'job', id: 1, job: 'midi.parse', args: { files: [] } })).toBe(true);
    expect(isWorkerRequest({ type: 'cancel', id: 1 })).toBe(true);
    expect(isWorkerRequest({ type: 'job', id: 1, job: 'midi.parse' })).toBe(false);
    expect(isWorkerRequest({ type: 'exit', id: 1 })).toBe(false);
  });

  it('matches a progress or result reply to the job it answers, and only to that', () => {
    expect(isProgressFor(progress, 'midi.parse')).toBe(true);
    expect(isResultFor(progress, 'midi.parse')).toBe(false);
    expect(isResultFor(result, 'midi.parse')).toBe(true);
    expect(isProgressFor({ type: 'failed', id: 3, message: 'x' }, 'midi.parse')).toBe(false);
  });
});
