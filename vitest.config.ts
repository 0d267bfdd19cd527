import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';

// Two projects: Node-side tests (engine, app) resolve packages as Node does; renderer tests run in
// Svelte's browser build (files that need a DOM opt in with `// @vitest-environment jsdom`). Keeping svelteTesting() out of the Node project matters: it adds
// the 'browser' export condition, which would give Node code packages' browser stubs (e.g. ws).
const shared = { testTimeout: 60_000, hookTimeout: 60_000, pool: 'forks' as const };

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          ...shared,
          name: 'node',
          include: ['test/**/*.test.ts'],
          exclude: ['test/e2e/**', 'test/renderer/**', 'node_modules/**'],
          environment: 'node',
        },
      },
      {
        plugins: [svelte(), svelteTesting()],
        test: { ...shared, name: 'renderer', include: ['test/renderer/**/*.test.ts'], environment: 'node' },
      },
    ],
  },
});
