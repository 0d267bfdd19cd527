/**
 * Export of the melody shown (the seed, or an imported file's) as MIDI (built by the app's exporter)
 * or WAV (rendered here), saved through a native dialog or a download. One export at a time; the
 * outcome is shown in words.
 */
import type { ContinuoApi, Melody } from '../../../app/contract/api';
import { withoutMidiExtension } from '../../../engine/midi/file-names';
import { saveBytes } from '../api/save';
import { messageOf } from './library.svelte';

export class ExportState {
  busy = $state<'midi' | 'wav' | null>(null);
  message = $state<{ text: string; error: boolean } | null>(null);

  private readonly api: ContinuoApi;
  private readonly nativeDialogs: () => boolean;

  constructor(api: ContinuoApi, nativeDialogs: () => boolean) {
    this.api = api;
    this.nativeDialogs = nativeDialogs;
  }

  /** `sourceName` names what is exported: the source file's name, or the seed's. */
  async midi(sourceName: string, melody: Melody): Promise<void> {
    await this.#run('midi', async () => {
      const name = withoutMidiExtension(sourceName);
      const { fileName, bytes } = await this.api.invoke('exporter.midi', { melody, name });
      return this.#save(fileName, 'midi', bytes);
    });
  }

  /**
   * Electron: the OS drag of a result as a `.mid` file, which main writes and starts (the page only
   * cancelled its own `dragstart`). Nothing to say when it works; a refusal is shown like an export's.
   */
  async dragOut(sourceName: string, melody: Melody): Promise<void> {
    try {
      await this.api.invoke('files.dragOut', { melody, name: withoutMidiExtension(sourceName) });
    } catch (error) {
      this.message = { text: `Dragging out failed: ${messageOf(error)}`, error: true };
    }
  }

  async wav(sourceName: string, render: () => Promise<Uint8Array>): Promise<void> {
    await this.#run('wav', async () => {
      const bytes = await render();
      return this.#save(`${withoutMidiExtension(sourceName)}.wav`, 'wav', bytes);
    });
  }

  async #save(suggestedName: string, kind: 'midi' | 'wav', bytes: Uint8Array): Promise<string> {
    const saved = await saveBytes(this.api, this.nativeDialogs(), { suggestedName, kind, bytes });
    if (!saved) return 'Export cancelled.';
    return this.nativeDialogs() ? `Saved ${suggestedName}.` : `Downloaded ${suggestedName}.`;
  }

  async #run(kind: 'midi' | 'wav', work: () => Promise<string>): Promise<void> {
    if (this.busy) return;
    this.busy = kind;
    this.message = null;
    try {
      this.message = { text: await work(), error: false };
    } catch (error) {
      this.message = {
        text: `${kind === 'midi' ? 'MIDI' : 'WAV'} export failed: ${messageOf(error)}`,
        error: true,
      };
    } finally {
      this.busy = null;
    }
  }
}
