import type { Melody } from '../../../app/contract/api';

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
  positionSteps(): number;
  /** Offline render at 44.1 kHz with the same piano, as 16-bit PCM WAV bytes. */
  renderWav(melody: Melody, bpm: number): Promise<Uint8Array>;
  /** Tone nodes currently alive (sampler, part); 0 after dispose. */
  liveNodes(): number;
  dispose(): void;
}

export type AudioLoader = (onEnded: () => void) => Promise<AudioPort>;
