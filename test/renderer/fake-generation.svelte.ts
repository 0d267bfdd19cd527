/**
 * A Generate panel as the document session sees it: the `DocumentPart<GenerationPart>` slot that
 * the Generate panel's state fills in the app (connected in app.svelte.ts).
 */
import type { GenerationPart } from '../../app/contract/api';
import type { DocumentPart } from '../../renderer/lib/state/autosave.svelte';
import { generatedResult, generationSettings } from '../helpers/documents';
import { melody } from './piano-roll/notes';

export const settings = generationSettings;

export const result = (key: string): GenerationPart['results'][number] =>
  generatedResult(key, {
    notes: melody([60, 0, 4], [62, 4, 4], [64, 8, 4]),
    bpm: 120,
    timeSignature: [4, 4],
  });

/** A Generate panel as the session sees it: the slot the generate branch's GenerationState fills. */
export class FakeGeneration implements DocumentPart<GenerationPart> {
  data = $state.raw<GenerationPart>({ settings, results: [] });
  revision = $state(0);
  toData(): GenerationPart {
    return this.data;
  }
  restore(data: GenerationPart): void {
    this.data = data;
    this.revision++;
  }
  add(key: string): void {
    this.data = { ...this.data, results: [...this.data.results, result(key)] };
    this.revision++;
  }
}
