/**
 * Live playback of one melody through a Tone transport. One repeating transport event per 16th
 * step looks up the note starting there, so loading a melody costs a map of its onsets (a Tone.Part
 * costs ~50 µs a note to build and schedule: a second for 20 000 notes), a tempo change takes effect
 * at the next step, and looping is the transport's own loop.
 *
 * The player binds to the Tone context current when it is built: the live one for Play, or an
 * offline one to render exactly what Play would sound like (see tone-audio.ts).
 * Owns its sampler (NodeOwner) and its transport events; `dispose()` releases them.
 */
import * as Tone from 'tone';
import type { Melody, Note } from '../../../app/contract/api';
import { barSteps, lengthInBars, STEPS_PER_QUARTER } from '../../../engine/time';
import { notesEnd } from '../piano-roll/geometry';
import { NodeOwner } from './owner';
import { createPiano, velocityGain, type PianoBuffers } from './piano';

type Transport = ReturnType<typeof Tone.getTransport>;

export class MelodyPlayer {
  readonly owner = new NodeOwner();
  readonly #context: Tone.BaseContext;
  readonly #transport: Transport;
  #piano: Tone.Sampler;
  #byStart = new Map<number, Note>();
  #stepEventId: number | null = null;
  #endEventId: number | null = null;
  #endTicks = 0;
  #loop = false;
  #disposed = false;

  constructor(
    buffers: PianoBuffers,
    private readonly onEnded: () => void,
  ) {
    this.#context = Tone.getContext();
    this.#transport = this.#context.transport;
    this.#piano = this.owner.own(createPiano(buffers));
  }

  get #ticksPerStep(): number {
    return this.#transport.PPQ / STEPS_PER_QUARTER;
  }

  /** Replaces the melody (stopping playback). */
  setMelody(melody: Melody): void {
    this.stop();
    this.#byStart = new Map(melody.notes.map((n) => [n.start, n]));
    const tps = this.#ticksPerStep;
    if (this.#stepEventId === null) {
      this.#stepEventId = this.#transport.scheduleRepeat((time) => this.#playStepAt(time), `${tps}i`, 0);
    }
    const [n, d] = melody.timeSignature;
    this.#transport.timeSignature = [n, d];
    // The end is a bar line of engine/time's, where the roll draws it and where generation ends.
    this.#endTicks =
      lengthInBars(notesEnd(melody.notes), melody.timeSignature) * barSteps(melody.timeSignature) * tps;
    this.#applyLoop();
  }

  #playStepAt(time: number): void {
    const tps = this.#ticksPerStep;
    const note = this.#byStart.get(Math.round(this.#transport.getTicksAtTime(time) / tps));
    if (!note) return;
    const seconds = new Tone.TicksClass(this.#context, note.duration * tps).toSeconds();
    this.#piano.triggerAttackRelease(
      Tone.Frequency(note.pitch, 'midi').toFrequency(),
      seconds,
      time,
      velocityGain(note.velocity),
    );
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
        this.#context.draw.schedule(() => {
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
    this.start(fromStep);
  }

  /** Starts the transport at `when` (context seconds, default now) from `fromStep`. */
  start(fromStep = 0, when?: number): void {
    const transport = this.#transport;
    if (transport.state === 'started') transport.stop();
    transport.start(when, `${Math.max(0, fromStep) * this.#ticksPerStep}i`);
  }

  /** Sounds one pitch now, e.g. a key clicked on the roll's keyboard or a note just edited. */
  async audition(pitch: number, velocity = 90): Promise<void> {
    await Tone.start();
    if (this.#disposed) return;
    this.#piano.triggerAttackRelease(
      Tone.Frequency(pitch, 'midi').toFrequency(),
      0.6,
      undefined,
      velocityGain(velocity),
    );
  }

  /** Starts a held note (a key pressed on a keyboard), sounding until noteOff. */
  async noteOn(pitch: number, velocity: number): Promise<void> {
    await Tone.start();
    if (this.#disposed) return;
    this.#piano.triggerAttack(Tone.Frequency(pitch, 'midi').toFrequency(), undefined, velocityGain(velocity));
  }

  noteOff(pitch: number): void {
    if (this.#disposed) return;
    this.#piano.triggerRelease(Tone.Frequency(pitch, 'midi').toFrequency());
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
    return this.#transport.getTicksAtTime(this.#context.immediate()) / this.#ticksPerStep;
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.stop();
    for (const id of [this.#stepEventId, this.#endEventId]) if (id !== null) this.#transport.clear(id);
    this.#stepEventId = null;
    this.#endEventId = null;
    this.#transport.loop = false;
    this.owner.disposeAll();
  }
}
