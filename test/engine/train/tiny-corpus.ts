/** The committed tiny corpus (test/fixtures/nottingham) as melodies, split the team's way. */
import fs from 'node:fs';
import path from 'node:path';
import { importMidi } from '../../../engine/midi/index.js';
import type { Melody } from '../../../engine/midi/types.js';
import { presetConfig, type ModelConfig } from '../../../engine/nn/index.js';
import { splitByFile } from '../../../engine/eval/split.js';
import { CONDITION_CLASSES } from '../../../engine/model/encoding.js';
import { VOCAB_SIZE } from '../../../engine/tokens/index.js';
import { fixturesDir } from '../../helpers/shared.js';

export const tinyCorpusDir = path.join(fixturesDir, 'nottingham');

export function tinyCorpus(): { train: Melody[]; validation: Melody[]; files: string[] } {
  const files = fs
    .readdirSync(tinyCorpusDir)
    .filter((f) => f.endsWith('.mid'))
    .sort();
  const pieces = files.map((f) => ({
    file: f,
    melody: importMidi(fs.readFileSync(path.join(tinyCorpusDir, f)), f).melody,
  }));
  const { train, validation } = splitByFile(pieces, (p) => p.file);
  return { train: train.map((p) => p.melody), validation: validation.map((p) => p.melody), files };
}

/** A network small enough that a few training steps take a fraction of a second. */
export function tinyConfig(overrides: Partial<ModelConfig> = {}): ModelConfig {
  return {
    ...presetConfig('quick', VOCAB_SIZE, CONDITION_CLASSES),
    embedSize: 8,
    extraEmbedSize: 4,
    hiddenSize: 12,
    seqLen: 16,
    batchSize: 3,
    ...overrides,
  };
}
