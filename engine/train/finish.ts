/**
 * What `continuo train` does after the LSTM's weights are final, and `continuo train --refit` does
 * again for an existing model file (same weights): fit the parts of the engine's model that sit
 * around the LSTM and are stored beside its weights.
 *
 *  1. The in-piece memory (engine/memory `tuneMemory`) on the validation tunes: the learned gate when
 *     its cross-fitted estimate beats entropy weighting, kept only when it beats the LSTM alone. The
 *     memories propose only pitches of the LSTM's training range.
 *  2. The metre correction (engine/model/metre.ts) by maximum likelihood on the training tunes (the
 *     validation tunes of the folk corpus hold no note over a bar line, which would drive κ to 0),
 *     kept only when it lowers the validation bits/note.
 *  3. The memorisation index of the training tunes (engine/model/memorisation.ts).
 *  4. With a learned gate, how often the training tunes restate a part (engine/memory/form.ts), the
 *     rate at which the part plan restates generated parts at novelty 0.5.
 *
 * Deterministic: the same weights and tunes give the same numbers.
 */
import { evaluateBitsPerNote, type EvalPiece } from '../eval/index.js';
import {
  DEFAULT_MEMORY,
  styleRestateRates,
  tuneMemory,
  withPieceMemory,
  type MemorySettings,
} from '../memory/index.js';
import type { Melody } from '../midi/types.js';
import { MemorisationIndex, type MemorisationStored } from '../model/memorisation.js';
import { MetreModel, fitMetre, type MetreSettings } from '../model/metre.js';
import { barSteps, type TokenModel } from '../tokens/index.js';

export interface FinishInput {
  lstm: TokenModel;
  train: readonly Melody[];
  validation: readonly EvalPiece[];
  /** The LSTM's training pitch range. */
  pitchRange: { min: number; max: number };
  /** One line per finished step, for progress output. */
  onStep?: (line: string) => void;
  /**
   * The in-piece memory of the model training started from (fine-tuning). Kept when it scores better
   * on the validation tunes than the cross-fitted estimate of a gate tuned on them (a few validation
   * tunes cannot fit 39 numbers), and kept untuned when there are no validation tunes at all.
   */
  startMemory?: MemorySettings;
}

export interface FinishedModel {
  memory?: MemorySettings;
  metre?: MetreSettings;
  /** The training melodies' note runs (engine/model/memorisation.ts). */
  memorisation: MemorisationStored;
  /** Validation numbers to merge into the model's metrics. */
  metrics: Record<string, unknown>;
}

export function finishModel(input: FinishInput): FinishedModel {
  const { lstm, validation, pitchRange } = input;
  const say = input.onStep ?? (() => {});
  const memorisation = MemorisationIndex.build(input.train).toStored();
  say(
    `memorisation index: ${memorisation.count} distinct ${memorisation.notes}-note runs of the training tunes`,
  );
  if (validation.length === 0) {
    // Never silently without the memory: it is most of what the engine's model knows of a piece.
    const memory = input.startMemory ?? DEFAULT_MEMORY;
    say(
      `in-piece memory: no validation tunes to tune it on; ${input.startMemory ? "kept the start model's" : `untuned entropy weighting (order ${memory.order}, b ${memory.b})`}`,
    );
    return { memory, memorisation, metrics: {} };
  }
  let started = Date.now();
  const seconds = () => `${Math.round((Date.now() - started) / 1000)}s`;
  const tuning = tuneMemory(
    lstm,
    validation.map((p) => p.melody),
    undefined,
    undefined,
    pitchRange,
  );
  let { settings, bitsPerNote: estimate } = tuning.recommended;
  let kept = '';
  if (input.startMemory) {
    // Scored on tunes it was not fitted on: an honest number to set against the cross-fitted one.
    const start = evaluateBitsPerNote(withPieceMemory(lstm, input.startMemory, pitchRange), validation);
    if (start.bitsPerNote <= estimate) {
      kept = `; kept the start model's (the one tuned here estimates ${estimate.toFixed(3)})`;
      settings = input.startMemory;
      estimate = start.bitsPerNote;
    } else kept = `; tuned here (the start model's scores ${start.bitsPerNote.toFixed(3)})`;
  }
  if (settings.method === 'gated') {
    // The part plan follows the style of these tunes, whichever gate is kept.
    const restate = styleRestateRates(input.train, (m) => barSteps(m.timeSignature));
    if (restate.length > 0) settings = { ...settings, restate };
  }
  const helps = estimate < tuning.longTermBitsPerNote;
  const mixed = helps ? withPieceMemory(lstm, settings, pitchRange) : lstm;
  // What `continuo eval --split validation` prints for the stored model (in-sample for a gate).
  const scored = helps ? evaluateBitsPerNote(mixed, validation).bitsPerNote : tuning.longTermBitsPerNote;
  const how =
    settings.method === 'gated'
      ? `learned gate, order ${settings.order}`
      : `order ${settings.order}, ${settings.method}, b ${settings.b}`;
  const honest =
    settings.method === 'gated' && !kept.startsWith('; kept')
      ? `; cross-fitted estimate ${estimate.toFixed(3)}${kept}`
      : kept;
  const form = settings.restate
    ? `; the training tunes restate a part in ${settings.restate.map((r) => `${(100 * r).toFixed(1)}%`).join(', ')} of pairs`
    : '';
  say(
    `in-piece memory (tuned on validation in ${seconds()}): LSTM alone ${tuning.longTermBitsPerNote.toFixed(3)}, ` +
      `LSTM + memory ${scored.toFixed(3)} bits/note (${how}${honest})${helps ? form : ' — no better, not used'}`,
  );
  const metrics: Record<string, unknown> = {
    validationNotes: tuning.notes,
    validationBitsPerNoteLstm: tuning.longTermBitsPerNote,
    ...(helps
      ? {
          validationBitsPerNoteWithMemory: scored,
          validationBitsPerNoteWithMemoryEstimate: estimate,
          validationBitsPerNoteEntropyWeighting: tuning.best.bitsPerNote,
        }
      : {}),
  };

  started = Date.now();
  const fit = fitMetre(mixed, input.train);
  const withMetre = evaluateBitsPerNote(new MetreModel(mixed, fit.settings), validation).bitsPerNote;
  const metreHelps = withMetre < scored;
  say(
    `metre (fitted on the training tunes in ${seconds()}, ${fit.crossings} of ${fit.notes} notes held over a bar line): ` +
      `κ ${fit.settings.crossing.toPrecision(3)}, validation ${scored.toFixed(3)} → ${withMetre.toFixed(3)} bits/note` +
      `${metreHelps ? '' : ' — no better, not used'}`,
  );
  if (metreHelps) {
    metrics.validationBitsPerNoteWithoutMetre = scored;
    metrics[helps ? 'validationBitsPerNoteWithMemory' : 'validationBitsPerNoteWithMetre'] = withMetre;
  }
  return {
    ...(helps ? { memory: settings } : {}),
    ...(metreHelps ? { metre: fit.settings } : {}),
    memorisation,
    metrics,
  };
}
