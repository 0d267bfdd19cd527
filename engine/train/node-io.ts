/**
 * Node-side helpers shared by `continuo train`, `eval` and `generate`: finding MIDI files, reading
 * melodies (each unreadable file becomes one line, never an exception), and saving a trained LSTM as
 * a model file. Kept out of the pure modules so training itself also runs in a worker or a page.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { MemorySettings } from '../memory/index.js';
import { MidiError, importMidi, type Melody } from '../midi/index.js';
import { saveModel } from '../model-file/node.js';
import type { ModelConfig } from '../nn/index.js';
import { VOCABULARY } from '../tokens/index.js';
import { LSTM_INPUT_CONVENTION } from '../model/lstm-model.js';

const MIDI_NAME = /\.(midi?|kar|rmi)$/i;

export interface LoadedPiece {
  file: string;
  melody: Melody;
}

/** A file-system error as the one-line reason users see (`continuo: FILE: reason`). */
export function systemReason(error: unknown): string {
  const code = error instanceof Error && 'code' in error ? String(error.code) : '';
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  return `cannot read (${code || (error instanceof Error ? error.message : String(error))})`;
}

function walk(dir: string, out: string[]): void {
  const entries = fs
    .readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else if (MIDI_NAME.test(entry.name)) out.push(full);
  }
}

/**
 * Expands directories (recursively, in name order) into their MIDI files. Arguments that cannot be
 * read become `problems` lines (`PATH: reason`).
 */
export function listMidiFiles(args: readonly string[]): { files: string[]; problems: string[] } {
  const files: string[] = [];
  const problems: string[] = [];
  for (const arg of args) {
    try {
      if (fs.statSync(arg).isDirectory()) {
        const found: string[] = [];
        walk(arg, found);
        if (found.length === 0) problems.push(`${arg}: directory holds no .mid, .midi, .kar or .rmi files`);
        files.push(...found);
      } else {
        files.push(arg);
      }
    } catch (error) {
      problems.push(`${arg}: ${systemReason(error)}`);
    }
  }
  return { files, problems };
}

/** Reads each file's melody the way the app imports it. Files without notes count as problems. */
export function loadMelodies(files: readonly string[]): { pieces: LoadedPiece[]; problems: string[] } {
  const pieces: LoadedPiece[] = [];
  const problems: string[] = [];
  for (const file of files) {
    let bytes: Uint8Array;
    try {
      bytes = fs.readFileSync(file);
    } catch (error) {
      problems.push(`${file}: ${systemReason(error)}`);
      continue;
    }
    try {
      const { melody } = importMidi(bytes, file);
      if (melody.notes.length === 0) problems.push(`${file}: has no notes`);
      else pieces.push({ file, melody });
    } catch (error) {
      if (!(error instanceof MidiError)) throw error;
      problems.push(`${file}: ${error.reason}`);
    }
  }
  return { pieces, problems };
}

export interface TrainedModelInfo {
  training: Record<string, unknown>;
  metrics: Record<string, unknown>;
  /** In-piece memory settings, stored only when the mixture beat the LSTM alone on validation. */
  memory?: MemorySettings;
}

/** Saves an LSTM as a model file (atomically). */
export function saveLstmModel(
  file: string,
  config: ModelConfig,
  params: Float32Array,
  info: TrainedModelInfo,
): void {
  saveModel(file, {
    header: {
      vocabulary: VOCABULARY,
      config,
      training: info.training,
      metrics: info.metrics,
      extra: { kind: 'lstm', input: LSTM_INPUT_CONVENTION, ...(info.memory ? { memory: info.memory } : {}) },
    },
    weights: params,
  });
}
