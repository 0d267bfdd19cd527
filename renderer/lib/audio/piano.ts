/**
 * The sampled piano: decoded once, shared by the live player and every offline render (an
 * AudioBuffer belongs to no context, so both can play from the same memory).
 */
import * as Tone from 'tone';
import { PIANO_SAMPLE_DIR, PIANO_SAMPLES } from './piano-samples';

export type PianoBuffers = Record<string, Tone.ToneAudioBuffer>;

/** Release tail after a note's end, in seconds: long enough to sound like a piano, short enough to stay clean. */
export const PIANO_RELEASE = 0.8;

export async function loadPianoBuffers(baseUrl: string = PIANO_SAMPLE_DIR): Promise<PianoBuffers> {
  const entries = await Promise.all(
    PIANO_SAMPLES.map(async (s) => {
      const url = `${baseUrl}/${s.servedFile}`;
      try {
        return [s.note, await Tone.ToneAudioBuffer.fromUrl(url)] as const;
      } catch (error) {
        throw new Error(
          `Could not load the piano sample ${url}: ${error instanceof Error ? error.message : String(error)}`,
          {
            cause: error,
          },
        );
      }
    }),
  );
  return Object.fromEntries(entries);
}

/** A Sampler in the current Tone context (live or offline), connected to its destination. */
export function createPiano(buffers: PianoBuffers): Tone.Sampler {
  return new Tone.Sampler({ urls: buffers, release: PIANO_RELEASE }).toDestination();
}

export function velocityGain(velocity: number): number {
  return Math.max(1, Math.min(127, velocity)) / 127;
}
