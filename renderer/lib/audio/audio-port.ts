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
  /** Sounds one pitch now, without the transport. */
  audition(pitch: number): Promise<void>;
  positionSteps(): number;
  /** Offline render at 44.1 kHz with the same piano, as 16-bit PCM WAV bytes. */
  renderWav(melody: Melody, bpm: number): Promise<Uint8Array>;
  /**
   * The first `seconds` of what Play would sound like, rendered offline through the same transport
   * scheduling and sampler (44.1 kHz, one array per channel). Lets tests hear playback without a
   * sound card.
   */
  renderPlayback(melody: Melody, bpm: number, seconds: number): Promise<Float32Array[]>;
  /** Tone nodes currently alive (the sampler); 0 after dispose. */
  liveNodes(): number;
  dispose(): void;
}

export type AudioLoader = (onEnded: () => void) => Promise<AudioPort>;
