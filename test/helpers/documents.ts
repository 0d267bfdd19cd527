/** Document data for tests of the document file, its service and the window's document session. */
import type { GenerationPart, Melody } from '../../app/contract/api.js';

/** Generate panel settings as a document keeps them (every field of `generationSettings`). */
export const generationSettings: GenerationPart['settings'] = {
  modelId: 'default',
  temperature: 0.9,
  topK: 0,
  topP: 0.95,
  novelty: null,
  scale: null,
  range: null,
  maxRepeats: null,
  randomSeed: 11,
  bars: 4,
  variations: 1,
};

/** A result of the list as a document keeps it: a variation with its recipe, continuing `melody`. */
export function generatedResult(
  key: string,
  melody: Melody,
  seedNotes = 1,
): GenerationPart['results'][number] {
  return {
    key,
    label: key,
    melody,
    seedNotes,
    memorisation: { longestRun: 0, warning: false },
    made: { modelId: 'default', modelName: 'Default', settings: generationSettings, variation: 0 },
    regenerated: null,
  };
}
