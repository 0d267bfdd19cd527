import { kernelTests } from './kernel-cases.js';

// Without loadKernels(), Node 20 compiles synchronously and gets the plain SIMD build.
kernelTests('simd');
