import { kernelTests } from './kernel-cases.js';

// Without loadKernels(), the first use compiles synchronously; in Node ≥ 20.16 the loader turns on
// relaxed SIMD itself, so the fused multiply-add build is what networks get by default.
kernelTests('relaxed');
