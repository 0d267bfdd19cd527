/** An audio side that records what the app asked of it, in order; time is advanced by the test. */
import type { Melody } from '../../app/contract/api';
import type { TimeSignature } from '../../engine/time';
import type { AudioPort } from '../../renderer/lib/audio/audio-port';

export class RecordingPort implements AudioPort {
  log: string[] = [];
  position = 0;
  disposed = false;
  metronome: { bpm: number; timeSignature: TimeSignature; atMs: number } | null = null;
  setMelody = (m: Melody) => void this.log.push(`melody ${m.notes.length}`);
  setBpm = (bpm: number) => void this.log.push(`bpm ${bpm}`);
  setLoop = (loop: boolean) => void this.log.push(`loop ${loop}`);
  play = async (from: number) => void this.log.push(`play ${from}`);
  stop = () => void this.log.push('stop');
  audition = async (pitch: number, velocity?: number) =>
    void this.log.push(velocity === undefined ? `audition ${pitch}` : `audition ${pitch} ${velocity}`);
  noteOn = async (pitch: number, velocity: number) => void this.log.push(`on ${pitch} ${velocity}`);
  noteOff = (pitch: number) => void this.log.push(`off ${pitch}`);
  startMetronome = async (bpm: number, timeSignature: TimeSignature, atMs: number) => {
    this.metronome = { bpm, timeSignature, atMs };
    this.log.push(`metronome ${bpm} ${timeSignature.join('/')}`);
  };
  stopMetronome = () => {
    this.metronome = null;
    this.log.push('metronome off');
  };
  positionSteps = () => this.position;
  renderWav = async () => new Uint8Array([82, 73, 70, 70]);
  renderPlayback = async () => [];
  liveNodes = () => (this.disposed ? 0 : 2);
  dispose = () => {
    this.disposed = true;
    this.log.push('dispose');
  };
}
