import { loadKernels } from '../../../engine/nn/index.js';
import { kernelTests } from './kernel-cases.js';

// The plain SIMD build (separate multiply and add), for runtimes without relaxed SIMD.
await loadKernels({ variant: 'simd' });
kernelTests('simd');
