import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateBitsPerNote, isValidationFile } from '../../../engine/eval/index.js';
import { loadModel } from '../../../engine/model-file/node.js';
import { DEFAULT_MODEL } from '../../../engine/train/default-model.js';
import { engineModelFromFile } from '../../../engine/model/lstm-model.js';
import { loadMelodies } from '../../../engine/train/node-io.js';
import { SKIP_NOTE, corpusDir, hasShared, repoRoot } from '../../helpers/shared.js';

const modelFile = path.join(repoRoot, DEFAULT_MODEL.out);
const card = fs.readFileSync(path.join(repoRoot, 'models/MODEL.md'), 'utf8');

describe('models/default.continuo', () => {
  it('is a sound model file under 10 MB, made by the recipe in engine/train/default-model.ts', () => {
    expect(fs.statSync(modelFile).size).toBeLessThan(10 * 1024 * 1024);
    const { header } = loadModel(modelFile);
    expect(header.training).toMatchObject({
      data: [DEFAULT_MODEL.data],
      steps: DEFAULT_MODEL.steps,
      seed: DEFAULT_MODEL.seed,
      preset: DEFAULT_MODEL.preset,
    });
    expect(header.config).toMatchObject(DEFAULT_MODEL.overrides);
    expect(header.extra?.memory).toBeDefined();
  });

  it('has the validation numbers its card states', () => {
    const { metrics } = loadModel(modelFile).header;
    expect(card).toContain(
      `| **LSTM alone** (\`continuo eval --lstm-only\`) | **${(metrics.validationBitsPerNoteLstm as number).toFixed(3)}** |`,
    );
    expect(card).toContain(
      `(\`continuo eval\`) | **${(metrics.validationBitsPerNoteWithMemory as number).toFixed(3)}** |`,
    );
  });
});

describe.skipIf(!hasShared)(
  'models/default.continuo on the validation tunes of the folk corpus' + SKIP_NOTE,
  () => {
    it('scores what its header records, with and without the in-piece memory, which lowers it by over a bit', () => {
      const files = fs
        .readdirSync(corpusDir)
        .filter((f) => f.endsWith('.mid') && isValidationFile(f))
        .map((f) => path.join(corpusDir, f));
      const { pieces, problems } = loadMelodies(files);
      expect(problems).toEqual([]);
      const contents = loadModel(modelFile);
      const engine = engineModelFromFile(contents, modelFile);
      const melodies = pieces.map((p) => ({ name: p.file, melody: p.melody }));
      const mixed = evaluateBitsPerNote(engine.model, melodies);
      const alone = evaluateBitsPerNote(engine.lstm, melodies);
      expect(mixed.notes).toBe(contents.header.metrics.validationNotes);
      // another CPU may round the relaxed-SIMD kernels differently in the last bits, never by 0.005 bits
      expect(mixed.bitsPerNote).toBeCloseTo(
        contents.header.metrics.validationBitsPerNoteWithMemory as number,
        2,
      );
      expect(alone.bitsPerNote).toBeCloseTo(contents.header.metrics.validationBitsPerNoteLstm as number, 2);
      expect(mixed.bitsPerNote).toBeLessThan(alone.bitsPerNote - 1);
    });
  },
);
