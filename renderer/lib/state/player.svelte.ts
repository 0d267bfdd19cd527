/**
 * Playback as the user sees it: play/stop, tempo (the file's unless changed), loop, and the
 * playhead. Audio is loaded on first use; the playhead is polled once per animation frame only
 * while playing.
 */
import type { Melody } from '../../../app/contract/api';
import type { AudioLoader, AudioPort } from '../audio/audio-port';
import { messageOf } from './library.svelte';

export const MIN_BPM = 20;
export const MAX_BPM = 400;

export type AudioStatus = 'idle' | 'loading' | 'ready' | 'failed';

export class PlayerState {
  playing = $state(false);
  loop = $state(false);
  /** Playhead in steps; meaningful while playing. */
  position = $state(0);
  status = $state<AudioStatus>('idle');
  error = $state<string | null>(null);
  #tempo = $state<{ melody: Melody; bpm: number } | null>(null);
  /** A melody played instead of the one shown (a continuation heard while training), until it stops. */
  #heard = $state.raw<Melody | null>(null);

  private readonly currentMelody: () => Melody | null;
  private readonly loadAudio: AudioLoader;
  private readonly requestFrame: (cb: () => void) => number;
  private readonly cancelFrame: (id: number) => void;

  readonly melody = $derived.by(() => this.#heard ?? this.currentMelody());
  /** The tempo in use: the user's choice for this melody, else the file's own, rounded to a whole bpm. */
  readonly bpm = $derived(
    this.melody && this.#tempo?.melody === this.melody
      ? this.#tempo.bpm
      : Math.round(this.melody?.bpm ?? 120),
  );
  /** The melody as it should be exported: the file's own tempo unless the user changed it. */
  readonly exportMelody = $derived(
    this.melody && this.#tempo?.melody === this.melody
      ? { ...this.melody, bpm: this.#tempo.bpm }
      : this.melody,
  );

  #port: Promise<AudioPort> | null = null;
  #loaded: Melody | null = null;
  #frame = 0;
  #disposed = false;

  constructor(
    currentMelody: () => Melody | null,
    loadAudio: AudioLoader,
    frames: { request: (cb: () => void) => number; cancel: (id: number) => void } = {
      request: (cb) => requestAnimationFrame(cb),
      cancel: (id) => cancelAnimationFrame(id),
    },
  ) {
    this.currentMelody = currentMelody;
    this.loadAudio = loadAudio;
    this.requestFrame = frames.request;
    this.cancelFrame = frames.cancel;
  }

  /** The audio side, loaded once; a failure is shown and retried on the next use. */
  audio(): Promise<AudioPort> {
    if (!this.#port) {
      this.status = 'loading';
      this.#port = this.loadAudio(() => this.#ended()).then(
        (port) => {
          if (this.#disposed) port.dispose();
          this.status = 'ready';
          this.error = null;
          return port;
        },
        (error: unknown) => {
          this.#port = null;
          this.status = 'failed';
          this.error = `The piano could not be loaded: ${messageOf(error)}`;
          throw error;
        },
      );
    }
    return this.#port;
  }

  async play(fromStep = 0): Promise<void> {
    const melody = this.melody;
    if (!melody || melody.notes.length === 0) return;
    let port: AudioPort;
    try {
      port = await this.audio();
    } catch {
      return;
    }
    if (this.#disposed) return;
    if (this.#loaded !== melody) {
      port.setMelody(melody);
      this.#loaded = melody;
    }
    port.setBpm(this.bpm);
    port.setLoop(this.loop);
    await port.play(fromStep);
    this.position = fromStep;
    this.playing = true;
    this.#follow(port);
  }

  /** Plays `melody` from its start although another is shown; stopping returns to the one shown. */
  async playHeard(melody: Melody): Promise<void> {
    this.stop();
    this.#heard = melody;
    await this.play(0);
    if (!this.playing) this.#heard = null;
  }

  stop(): void {
    this.#heard = null;
    this.playing = false;
    this.position = 0;
    this.cancelFrame(this.#frame);
    void this.#port?.then((port) => port.stop()).catch(() => undefined);
  }

  toggle(): Promise<void> {
    if (this.playing) {
      this.stop();
      return Promise.resolve();
    }
    return this.play();
  }

  /** Plays one pitch (a click on the keyboard), loading the piano first if needed. */
  async audition(pitch: number): Promise<void> {
    try {
      await (await this.audio()).audition(pitch);
    } catch {
      // A piano that failed to load is already reported through `error`.
    }
  }

  setBpm(bpm: number): void {
    const melody = this.melody;
    if (!melody || !Number.isFinite(bpm)) return;
    const clamped = Math.round(Math.min(MAX_BPM, Math.max(MIN_BPM, bpm)));
    this.#tempo = { melody, bpm: clamped };
    if (this.playing) void this.#port?.then((port) => port.setBpm(clamped));
  }

  setLoop(loop: boolean): void {
    this.loop = loop;
    if (this.playing) void this.#port?.then((port) => port.setLoop(loop));
  }

  async renderWav(): Promise<Uint8Array> {
    const melody = this.melody;
    if (!melody) throw new Error('Nothing to render: no melody is selected.');
    const port = await this.audio();
    return port.renderWav(melody, this.bpm);
  }

  /** Keeps `position` in step with the transport; stops when the selected melody changes under it. */
  #follow(port: AudioPort): void {
    this.cancelFrame(this.#frame);
    const tick = () => {
      if (!this.playing) return;
      if (this.melody !== this.#loaded) {
        this.stop();
        return;
      }
      this.position = port.positionSteps();
      this.#frame = this.requestFrame(tick);
    };
    this.#frame = this.requestFrame(tick);
  }

  #ended(): void {
    this.#heard = null;
    this.playing = false;
    this.position = 0;
    this.cancelFrame(this.#frame);
  }

  /** Tone nodes alive right now (0 before audio is loaded and after dispose). */
  async liveNodes(): Promise<number> {
    return this.#port ? (await this.#port).liveNodes() : 0;
  }

  dispose(): void {
    this.#disposed = true;
    this.playing = false;
    this.cancelFrame(this.#frame);
    void this.#port?.then((port) => port.dispose()).catch(() => undefined);
  }
}
