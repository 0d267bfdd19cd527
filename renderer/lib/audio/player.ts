/**
 * Live playback of one melody through Tone's transport: notes scheduled in transport ticks, so a
 * tempo change takes effect immediately and looping is the transport's own loop.
 * Owns its sampler and part (NodeOwner); `dispose()` releases them and stops the transport.
 */
import * as Tone from 'tone';
import type { Melody } from '../../../app/contract/api';
import { lengthInBars, stepsPerBar, STEPS_PER_QUARTER } from '../piano-roll/geometry';
import { NodeOwner } from './owner';
import { createPiano, velocityGain, type PianoBuffers } from './piano';

interface NoteEvent {
  time: string; // transport ticks, "<n>i"
  pitch: number;
  durationTicks: number;
  velocity: number;
}

export class MelodyPlayer {
  readonly owner = new NodeOwner();
  #piano: Tone.Sampler;
  #part: Tone.Part<NoteEvent> | null = null;
  #endTicks = 0;
  #endEventId: number | null = null;
  #loop = false;
  #disposed = false;

  constructor(
    buffers: PianoBuffers,
    private readonly onEnded: () => void,
  ) {
    this.#piano = this.owner.own(createPiano(buffers));
  }

  get #transport() {
    return Tone.getTransport();
  }

  get #ticksPerStep(): number {
    return this.#transport.PPQ / STEPS_PER_QUARTER;
  }

  /** Replaces the melody (stopping playback); the previous part is disposed. */
  setMelody(melody: Melody): void {
    this.stop();
    this.owner.release(this.#part);
    const tps = this.#ticksPerStep;
    const events: NoteEvent[] = melody.notes.map((n) => ({
      time: `${n.start * tps}i`,
      pitch: n.pitch,
      durationTicks: n.duration * tps,
      velocity: n.velocity,
    }));
    this.#part = this.owner.own(
      new Tone.Part<NoteEvent>((time, e) => {
        const seconds = Tone.Ticks(e.durationTicks).toSeconds();
        this.#piano.triggerAttackRelease(Tone.Frequency(e.pitch, 'midi').toFrequency(), seconds, time, velocityGain(e.velocity));
      }, events).start(0),
    );
    const [n, d] = melody.timeSignature;
    this.#transport.timeSignature = [n, d];
    this.#endTicks = lengthInBars(melody.notes, melody.timeSignature) * stepsPerBar(melody.timeSignature) * tps;
    this.#applyLoop();
  }

  setBpm(bpm: number): void {
    this.#transport.bpm.value = bpm;
  }

  setLoop(loop: boolean): void {
    this.#loop = loop;
    this.#applyLoop();
  }

  #applyLoop(): void {
    const transport = this.#transport;
    transport.loop = this.#loop;
    transport.loopStart = 0;
    transport.loopEnd = `${this.#endTicks}i`;
    if (this.#endEventId !== null) transport.clear(this.#endEventId);
    this.#endEventId = null;
    if (!this.#loop && this.#endTicks > 0) {
      this.#endEventId = transport.schedule((time) => {
        // Stop at the audible end, not at scheduling time (which runs ahead by the look-ahead).
        Tone.getDraw().schedule(() => {
          this.stop();
          this.onEnded();
        }, time);
      }, `${this.#endTicks}i`);
    }
  }

  /** Starts from `fromStep`; the audio context is resumed here, inside the user's click. */
  async play(fromStep = 0): Promise<void> {
    await Tone.start();
    if (this.#disposed) return;
    const transport = this.#transport;
    if (transport.state === 'started') transport.stop();
    transport.start(undefined, `${Math.max(0, fromStep) * this.#ticksPerStep}i`);
  }

  stop(): void {
    const transport = this.#transport;
    if (transport.state !== 'stopped') transport.stop();
    this.#piano.releaseAll();
  }

  get playing(): boolean {
    return this.#transport.state === 'started';
  }

  /** Where the listener is now, in steps (the transport runs ahead by its look-ahead; this does not). */
  positionSteps(): number {
    return this.#transport.getTicksAtTime(Tone.immediate()) / this.#ticksPerStep;
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.stop();
    if (this.#endEventId !== null) this.#transport.clear(this.#endEventId);
    this.#transport.loop = false;
    this.owner.disposeAll();
    this.#part = null;
  }
}
