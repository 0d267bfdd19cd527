import type { Melody } from '../../../app/contract/api';
import type { AudioPort } from './audio-port';
import { loadPianoBuffers } from './piano';
import { MelodyPlayer } from './player';
import { renderWav } from './render';

/** Loads the piano samples, then plays and renders through Tone.js. */
export async function loadToneAudio(onEnded: () => void): Promise<AudioPort> {
  const buffers = await loadPianoBuffers();
  const player = new MelodyPlayer(buffers, onEnded);
  return {
    setMelody: (melody: Melody) => player.setMelody(melody),
    setBpm: (bpm) => player.setBpm(bpm),
    setLoop: (loop) => player.setLoop(loop),
    play: (fromStep) => player.play(fromStep),
    stop: () => player.stop(),
    positionSteps: () => player.positionSteps(),
    renderWav: (melody, bpm) => renderWav(melody, bpm, buffers),
    liveNodes: () => player.owner.liveCount,
    dispose: () => player.dispose(),
  };
}
