import * as Tone from 'tone';
import type { Melody } from '../../../app/contract/api';
import type { AudioPort } from './audio-port';
import { Metronome } from './metronome';
import { loadPianoBuffers, type PianoBuffers } from './piano';
import { MelodyPlayer } from './player';
import { renderWav, WAV_SAMPLE_RATE } from './render';

/** Loads the piano samples, then plays and renders through Tone.js. */
export async function loadToneAudio(onEnded: () => void): Promise<AudioPort> {
  const buffers = await loadPianoBuffers();
  const player = new MelodyPlayer(buffers, onEnded);
  const metronome = new Metronome();
  return {
    setMelody: (melody: Melody) => player.setMelody(melody),
    setBpm: (bpm) => player.setBpm(bpm),
    setLoop: (loop) => player.setLoop(loop),
    play: (fromStep) => player.play(fromStep),
    stop: () => player.stop(),
    audition: (pitch, velocity) => player.audition(pitch, velocity),
    noteOn: (pitch, velocity) => player.noteOn(pitch, velocity),
    noteOff: (pitch) => player.noteOff(pitch),
    startMetronome: async (bpm, ts, atMs) => {
      await Tone.start();
      // From the page's clock to the audio clock: the same distance from now on both.
      metronome.start(
        bpm,
        ts,
        Math.max(Tone.immediate(), Tone.immediate() + (atMs - performance.now()) / 1000),
      );
    },
    stopMetronome: () => metronome.stop(),
    positionSteps: () => player.positionSteps(),
    renderWav: (melody, bpm) => renderWav(melody, bpm, buffers),
    renderPlayback: (melody, bpm, seconds) => renderPlayback(melody, bpm, seconds, buffers),
    liveNodes: () => player.owner.liveCount + metronome.liveCount,
    dispose: () => {
      metronome.stop();
      player.dispose();
    },
  };
}

/**
 * What Play sounds like, rendered offline: a MelodyPlayer of its own (same scheduling, same
 * sampler) on the offline context's transport, started at step 0.
 */
async function renderPlayback(
  melody: Melody,
  bpm: number,
  seconds: number,
  buffers: PianoBuffers,
): Promise<Float32Array[]> {
  let player: MelodyPlayer | null = null;
  try {
    const rendered = await Tone.Offline(
      () => {
        player = new MelodyPlayer(buffers, () => undefined);
        player.setMelody(melody);
        player.setBpm(bpm);
        player.start(0, 0);
      },
      seconds,
      2,
      WAV_SAMPLE_RATE,
    );
    return rendered.toArray() as Float32Array[];
  } finally {
    (player as MelodyPlayer | null)?.dispose();
  }
}
