import type { Melody } from '../../../app/contract/api';
import type { TimeSignature } from '../../../engine/time';

/**
 * What the app needs from the audio side. The Tone.js implementation (tone-audio.ts) is loaded on
 * first use, so the rest of the UI neither waits for nor depends on Web Audio.
 */
export interface AudioPort {
  setMelody(melody: Melody): void;
  setBpm(bpm: number): void;
  setLoop(loop: boolean): void;
  play(fromStep: number): Promise<void>;
  stop(): void;
  /** Sounds one pitch now, briefly, without the transport (a key clicked, a note edited). */
  audition(pitch: number, velocity?: number): Promise<void>;
  /** Starts sounding `pitch` until noteOff (a key held on a keyboard). */
  noteOn(pitch: number, velocity: number): Promise<void>;
  noteOff(pitch: number): void;
  /**
   * Starts the metronome: a click on every beat of `timeSignature` at `bpm` (quarter notes a
   * minute), accented on the bar, the first at `atMs` on the performance.now() clock.
   */
  startMetronome(bpm: number, timeSignature: TimeSignature, atMs: number): Promise<void>;
  stopMetronome(): void;
  positionSteps(): number;
  /** Offline render at 44.1 kHz with the same piano, as 16-bit PCM WAV bytes. */
  renderWav(melody: Melody, bpm: number): Promise<Uint8Array>;
  /**
   * The first `seconds` of what Play would sound like, rendered offline through the same transport
   * scheduling and sampler (44.1 kHz, one array per channel). Lets tests hear playback without a
   * sound card.
   */
  renderPlayback(melody: Melody, bpm: number, seconds: number): Promise<Float32Array[]>;
  /** Tone nodes currently alive (the sampler, and the metronome's while it runs); 0 after dispose. */
  liveNodes(): number;
  dispose(): void;
}

export type AudioLoader = (onEnded: () => void) => Promise<AudioPort>;
