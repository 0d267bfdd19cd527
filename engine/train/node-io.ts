/**
 * Node-side helpers shared by `continuo train`, `eval` and `generate`: finding MIDI files, reading
 * melodies (each unreadable file becomes one line, never an exception), and saving a trained LSTM as
 * a model file. Kept out of the pure modules so training itself also runs in a worker or a page.
 */
import fs from 'node:fs';
import type { MemorySettings } from '../memory/index.js';
import { midiExtensionsText } from '../midi/file-names.js';
import type { MemorisationStored } from '../model/memorisation.js';
import type { MetreSettings } from '../model/metre.js';
import { MidiError, importMidi, type Melody } from '../midi/index.js';
import { findMidiFiles } from '../midi/node.js';
import { saveModel } from '../model-file/node.js';
import type { ModelConfig } from '../nn/index.js';
import { lstmModelContents } from './pipeline.js';

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

/**
 * Expands directories (recursively, in name order) into their MIDI files. Arguments and folders that
 * cannot be read become `problems` lines (`PATH: reason`), and so does a directory without MIDI files.
 */
export async function listMidiFiles(
  args: readonly string[],
): Promise<{ files: string[]; problems: string[] }> {
  const files: string[] = [];
  const problems: string[] = [];
  for (const arg of args) {
    const found = await findMidiFiles([arg]);
    problems.push(...found.problems.map((p) => `${p.path}: ${systemReason(p.error)}`));
    if (found.files.length === 0 && found.problems.length === 0)
      problems.push(`${arg}: directory holds no ${midiExtensionsText('or')} files`);
    files.push(...found.files);
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
  /** Metre correction (engine/model/metre.ts), stored only when it lowered the validation bits/note. */
  metre?: MetreSettings;
  /** The training melodies' note runs (engine/model/memorisation.ts). */
  memorisation?: MemorisationStored;
}

/** Saves an LSTM as a model file (atomically). */
export async function saveLstmModel(
  file: string,
  config: ModelConfig,
  params: Float32Array,
  info: TrainedModelInfo,
): Promise<void> {
  await saveModel(file, lstmModelContents(config, params, info));
}
