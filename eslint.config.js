// One linter for the whole tree. Besides the usual rules it enforces DESIGN.md's import boundaries:
// the engine imports nothing from app/ or renderer/ (nor electron, svelte, DOM-only packages), and
// Node's modules only in its Node-only files; the renderer imports only types from app/contract (and
// its one pure value module, the wire codec) and, from the engine, only its pure time module and MIDI
// file-name list.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';

const engineBoundary = {
  patterns: [
    {
      group: ['**/app/**', '**/renderer/**'],
      message: 'engine/ is pure: it must not import from app/ or renderer/.',
    },
    {
      group: ['electron', 'svelte', 'svelte/*', 'tone'],
      message: 'engine/ is pure: no electron, svelte or tone.',
    },
  ],
};
// engine/ also runs in a worker and a page, so Node's modules (bare or `node:`) are imported only by
// its Node-only files. Type-only imports vanish at runtime, and a page-safe module may still reach
// Node through a guarded dynamic import() (nn/kernel-loader.ts, nn/threads.ts), which this rule does
// not see. A new Node-only file is named node.ts or node-io.ts, or listed here with the reason.
const engineNodeOnlyFiles = [
  'engine/**/node.ts',
  'engine/**/node-io.ts',
  'engine/cli/**',
  // The GEMM helper thread's entry: threads.ts starts it only inside Node's worker_threads.
  'engine/nn/gemm-helper.ts',
];
const engineNodeMessage =
  'engine/ runs in a worker and a page too: Node modules only in its Node-only files (*/node.ts, node-io.ts, cli/).';
const engineNodeImports = {
  paths: builtinModules.map((name) => ({ name, message: engineNodeMessage, allowTypeImports: true })),
  patterns: [{ group: ['node:*'], message: engineNodeMessage, allowTypeImports: true }],
};
const rendererBoundary = {
  patterns: [
    {
      group: ['**/app/*', '!**/app/contract'],
      message: 'renderer/ may import only types from app/contract.',
    },
    {
      // Two pure modules are the exception, so the page and the engine cannot disagree: engine/time
      // (the roll draws bar lines exactly where generation ends) and the MIDI file-name list (a drop
      // takes the files an import does).
      regex: '(^|/)engine/(?!time$|midi/file-names$)',
      message: 'renderer/ reaches the engine only through window.continuo (app/contract).',
    },
    {
      group: ['node:*', 'electron'],
      message: 'renderer/ runs in a sandboxed page: no Node or Electron modules.',
    },
  ],
};

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      '**/*.generated.ts',
      'engine/nn/assembly/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] } },
  },
  { files: ['engine/**/*.ts'], rules: { 'no-restricted-imports': ['error', engineBoundary] } },
  {
    files: ['engine/**/*.ts'],
    ignores: engineNodeOnlyFiles,
    rules: { '@typescript-eslint/no-restricted-imports': ['error', engineNodeImports] },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.svelte'],
    rules: {
      'no-restricted-imports': ['error', rendererBoundary],
      // Value imports from the contract would pull main-side code into the page; the wire codec is
      // the exception: pure and shared so the browser host and the page cannot disagree.
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/app/contract/**', '!**/app/contract/wire-codec'],
              allowTypeImports: true,
              message: 'Import only types from app/contract.',
            },
          ],
        },
      ],
    },
  },
);
