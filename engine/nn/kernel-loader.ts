/**
 * Finds the best build of the kernels this runtime accepts and compiles it once per process.
 *
 * Builds (scripts/build-kernels.mjs): 'relaxed' uses the relaxed-SIMD fused multiply-add in the GEMM
 * micro-kernels (measured 25 % faster here than separate mul + add), 'simd' is plain 128-bit SIMD.
 * Relaxed SIMD is on by default in Chromium ≥ 114, Electron ≥ 25 and Node ≥ 22; Node 20 has it behind
 * a V8 flag, which the loader turns on before compiling (it only enables what newer V8 versions ship
 * by default): synchronously where `process.getBuiltinModule` exists (Node ≥ 20.16), else in
 * `loadKernels()`.
 * Each has an owned-memory variant and a shared-memory variant for the helper thread (threads.ts).
 * A fused multiply-add rounds once where mul + add rounds twice, so results differ from the plain
 * build in the last bits; tests compare both to the reference within float tolerance.
 */
import {
  KERNELS_RELAXED_WASM_BASE64,
  KERNELS_SHARED_RELAXED_WASM_BASE64,
  KERNELS_SHARED_WASM_BASE64,
  KERNELS_WASM_BASE64,
} from './kernels-wasm.generated.js';

// The engine compiles without DOM types, and Node's types do not declare WebAssembly: describe the
// little that is used.
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
export interface WasmModule {
  readonly __brand: 'WasmModule';
}
export interface WasmApi {
  compile(bytes: Uint8Array): Promise<WasmModule>;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { exports: unknown };
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
}
export const wasmApi = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

export type KernelVariant = 'relaxed' | 'simd';

let compiled: WasmModule | null = null;
let variant: KernelVariant | null = null;
let loadError: string | null = null;
let syncError: string | null = null;

function decode(b64: string): Uint8Array {
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

const bytesOf = (v: KernelVariant, shared: boolean) =>
  decode(
    shared
      ? v === 'relaxed'
        ? KERNELS_SHARED_RELAXED_WASM_BASE64
        : KERNELS_SHARED_WASM_BASE64
      : v === 'relaxed'
        ? KERNELS_RELAXED_WASM_BASE64
        : KERNELS_WASM_BASE64,
  );

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

interface NodeProcess {
  versions?: { node?: string };
  getBuiltinModule?: (name: string) => unknown;
}
const nodeProcess = (globalThis as { process?: NodeProcess }).process;

function enableRelaxedSimd(v8: unknown): void {
  try {
    (v8 as { setFlagsFromString(flags: string): void }).setFlagsFromString(
      '--experimental-wasm-relaxed-simd',
    );
  } catch {
    // Not fatal: the plain SIMD build still works.
  }
}

/** Synchronous compile of the best variant accepted now; null when none is. */
function compileSync(): { module: WasmModule; variant: KernelVariant } | null {
  if (nodeProcess?.getBuiltinModule) enableRelaxedSimd(nodeProcess.getBuiltinModule('node:v8'));
  for (const v of ['relaxed', 'simd'] as const) {
    try {
      return { module: new wasmApi!.Module(bytesOf(v, false)), variant: v };
    } catch (e) {
      syncError = message(e);
    }
  }
  return null;
}

/**
 * Compiles the kernels asynchronously (required in browser pages, which refuse synchronous compiles
 * of this size) and, in Node 20, enables relaxed SIMD first. Resolves to whether kernels are usable.
 * `variant: 'simd'` asks for the plain build (to compare builds, or to test it). Networks and streams
 * created afterwards use the chosen build; earlier ones keep theirs.
 */
export async function loadKernels(options: { variant?: KernelVariant } = {}): Promise<boolean> {
  if (!wasmApi) {
    loadError = 'this runtime has no WebAssembly';
    return false;
  }
  const wanted: readonly KernelVariant[] = options.variant ? [options.variant] : ['relaxed', 'simd'];
  if (compiled && variant === wanted[0]) return true;
  if (wanted.includes('relaxed') && typeof nodeProcess?.versions?.node === 'string') {
    try {
      enableRelaxedSimd(await import('node:v8'));
    } catch {
      // Not fatal: the plain SIMD build still works.
    }
  }
  let error: string | null = null;
  for (const v of wanted) {
    try {
      compiled = await wasmApi.compile(bytesOf(v, false));
      variant = v;
      syncError = null;
      return true;
    } catch (e) {
      error = message(e);
    }
  }
  if (!compiled) loadError = error;
  return compiled !== null;
}

/**
 * Whether kernels are usable here. In Node and workers this compiles them synchronously on first
 * call; in a browser page it stays false until `await loadKernels()` has run.
 */
export function kernelsAvailable(): boolean {
  if (compiled || loadError || syncError) return compiled !== null;
  if (!wasmApi) {
    loadError = 'this runtime has no WebAssembly';
    return false;
  }
  const got = compileSync();
  if (got) {
    compiled = got.module;
    variant = got.variant;
    syncError = null;
  }
  return compiled !== null;
}

/** The compiled owned-memory module and its variant; throws a one-line Error when unavailable. */
export function kernelModule(): { module: WasmModule; variant: KernelVariant } {
  if (!kernelsAvailable())
    throw new Error(
      `nn: the WebAssembly kernels cannot be loaded here (${loadError ?? syncError}); in a page, await loadKernels() first`,
    );
  return { module: compiled!, variant: variant! };
}

/** The shared-memory build matching the loaded variant (for the helper thread). */
export function sharedKernelModule(): WasmModule {
  return new wasmApi!.Module(bytesOf(kernelModule().variant, true));
}

/** Which build new networks use: 'relaxed' (fused multiply-add), 'simd', or null without kernels. */
export function kernelVariant(): KernelVariant | null {
  return kernelsAvailable() ? variant : null;
}
