import { loadKernels } from '../../../engine/nn/index.js';
import { kernelTests } from './kernel-cases.js';

// loadKernels() enables relaxed SIMD (fused multiply-add) where the runtime can have it.
await loadKernels();
kernelTests('relaxed');
