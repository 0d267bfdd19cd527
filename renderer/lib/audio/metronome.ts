/**
 * The metronome for real-time recording: a short click on every beat (engine/time's felt beat, so
 * 6/8 clicks twice a bar), higher on the bar line. A Tone.Clock runs it on the audio clock,
 * independent of the transport that plays melodies; its synth and clock exist only while it runs and
 * are disposed when it stops (NodeOwner).
 */
import * as Tone from 'tone';
import { barSteps, beatSteps, STEPS_PER_QUARTER, type TimeSignature } from '../../../engine/time';
import { NodeOwner } from './owner';

export class Metronome {
  readonly owner = new NodeOwner();

  /** Starts clicking at `atSeconds` on the current context's clock; a running metronome restarts. */
  start(bpm: number, ts: TimeSignature, atSeconds: number): void {
    this.stop();
    const stepSeconds = 60 / bpm / STEPS_PER_QUARTER;
    const beat = beatSteps(ts);
    const bar = barSteps(ts);
    const synth = this.owner.own(
      new Tone.Synth({
        oscillator: { type: 'triangle' },
        envelope: { attack: 0.001, decay: 0.04, sustain: 0, release: 0.02 },
        volume: -8,
      }).toDestination(),
    );
    let beatIndex = 0;
    const clock = this.owner.own(
      new Tone.Clock(
        (time) => {
          const accent = (beatIndex * beat) % bar === 0;
          beatIndex++;
          synth.triggerAttackRelease(accent ? 'C7' : 'G6', 0.03, time);
        },
        1 / (beat * stepSeconds),
      ),
    );
    clock.start(atSeconds);
  }

  stop(): void {
    this.owner.disposeAll();
  }

  get liveCount(): number {
    return this.owner.liveCount;
  }
}
