/**
 * Offline rendering: the same sampler and note timing as live playback, rendered faster than real
 * time by Tone.Offline into a buffer, then encoded as WAV.
 */
import * as Tone from 'tone';
import type { Melody } from '../../../app/contract/api';
import { STEPS_PER_QUARTER } from '../../../engine/time';
import { createPiano, PIANO_RELEASE, velocityGain, type PianoBuffers } from './piano';
import { encodeWav } from './wav';

export const WAV_SAMPLE_RATE = 44_100;

export function stepSeconds(bpm: number): number {
  return 60 / bpm / STEPS_PER_QUARTER;
}

/** Seconds of audio a render produces: the last note's end plus the piano's release tail. */
export function renderSeconds(melody: Melody, bpm: number): number {
  const last = melody.notes.at(-1);
  const end = last ? (last.start + last.duration) * stepSeconds(bpm) : 0;
  return end + PIANO_RELEASE + 0.2;
}

export async function renderMelody(
  melody: Melody,
  bpm: number,
  buffers: PianoBuffers,
  sampleRate = WAV_SAMPLE_RATE,
): Promise<AudioBuffer> {
  const step = stepSeconds(bpm);
  let piano: Tone.Sampler | null = null;
  try {
    const rendered = await Tone.Offline(
      () => {
        piano = createPiano(buffers);
        for (const n of melody.notes) {
          piano.triggerAttackRelease(
            Tone.Frequency(n.pitch, 'midi').toFrequency(),
            n.duration * step,
            n.start * step,
            velocityGain(n.velocity),
          );
        }
      },
      renderSeconds(melody, bpm),
      2,
      sampleRate,
    );
    const buffer = rendered.get();
    if (!buffer) throw new Error('The offline render produced no audio.');
    return buffer;
  } finally {
    (piano as Tone.Sampler | null)?.dispose();
  }
}

export async function renderWav(melody: Melody, bpm: number, buffers: PianoBuffers): Promise<Uint8Array> {
  const audio = await renderMelody(melody, bpm, buffers);
  const channels = Array.from({ length: audio.numberOfChannels }, (_, c) => audio.getChannelData(c));
  return encodeWav(channels, audio.sampleRate);
}
