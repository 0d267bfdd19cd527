/**
 * Telling a stream that what it reads from now on is the model's own output, not the user's melody.
 * Models with an in-piece memory learn generated tokens differently (engine/memory/learning.ts);
 * others need not know. The sampler calls `startGenerating` once, after reading the seed and before
 * the first draw; scoring never calls it. Mixtures pass it on to their parts.
 */
import type { TokenStream } from '../tokens/index.js';

export interface GenerationAware {
  startGenerating(): void;
}

function isAware(stream: TokenStream): stream is TokenStream & GenerationAware {
  return typeof (stream as Partial<GenerationAware>).startGenerating === 'function';
}

/** Calls the stream's `startGenerating` when it has one. */
export function startGenerating(stream: TokenStream): void {
  if (isAware(stream)) stream.startGenerating();
}

/**
 * Planning the form of what is generated (engine/memory/form.ts: which parts restate the part
 * before). The sampler calls `planParts` on each variation's stream after `startGenerating`, with a
 * seed of that variation's own; scoring never does. Mixtures pass it on to their parts.
 */
export interface PartPlanning {
  planParts(seed: number): void;
}

function canPlan(stream: TokenStream): stream is TokenStream & PartPlanning {
  return typeof (stream as Partial<PartPlanning>).planParts === 'function';
}

/** Calls the stream's `planParts` when it has one. */
export function planParts(stream: TokenStream, seed: number): void {
  if (canPlan(stream)) stream.planParts(seed);
}
