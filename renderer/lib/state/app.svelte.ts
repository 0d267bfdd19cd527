/**
 * The whole app's state, composed from its parts; built once at startup with the API it talks to and
 * the audio loader it plays through (real ones in the page, doubles in tests).
 */
import type { AppInfo, ContinuoApi } from '../../../app/contract/api';
import type { AudioLoader } from '../audio/audio-port';
import { toUploads, type Picked } from '../import/collect-files';
import { barBeat } from '../piano-roll/geometry';
import { RollView } from '../piano-roll/roll-view.svelte';
import { ExportState } from './export.svelte';
import { LibraryState, messageOf } from './library.svelte';
import { PlayerState } from './player.svelte';

export class AppState {
  info = $state.raw<AppInfo | null>(null);
  /** Non-MIDI files left out of the last pick or drop. */
  ignored = $state.raw<string[]>([]);
  aboutOpen = $state(false);

  readonly api: ContinuoApi;
  readonly library: LibraryState;
  readonly player: PlayerState;
  readonly exports: ExportState;
  readonly view = new RollView();

  readonly position = $derived.by(() => {
    const melody = this.library.selected?.melody;
    return melody ? barBeat(this.player.playing ? this.player.position : 0, melody.timeSignature) : '–';
  });

  constructor(api: ContinuoApi, loadAudio: AudioLoader) {
    this.api = api;
    this.library = new LibraryState(api);
    this.player = new PlayerState(() => this.library.selected?.melody ?? null, loadAudio);
    this.exports = new ExportState(api, () => this.info?.nativeDialogs ?? false);
  }

  /** Loads what the app needs at startup and listens to the host; returns the teardown. */
  start(): () => void {
    const disconnect = this.library.connect();
    this.api.invoke('app.info', {}).then(
      (info) => (this.info = info),
      (error: unknown) => (this.library.notice = messageOf(error)),
    );
    return () => {
      disconnect();
      this.player.dispose();
    };
  }

  #imports: Promise<void> = Promise.resolve();

  /** Imports one pick or drop; a drop that arrives while another import runs waits its turn. */
  importPicked(picked: Picked): Promise<void> {
    this.#imports = this.#imports.then(async () => {
      this.ignored = picked.ignored;
      await this.library.importUploads(await toUploads(picked.files));
    });
    return this.#imports;
  }

  async exportMidi(): Promise<void> {
    const file = this.library.selected;
    const melody = this.player.exportMelody;
    if (file && melody) await this.exports.midi(file, melody);
  }

  async exportWav(): Promise<void> {
    const file = this.library.selected;
    if (file) await this.exports.wav(file, () => this.player.renderWav());
  }
}
