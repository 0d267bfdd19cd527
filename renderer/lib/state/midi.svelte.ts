/**
 * MIDI input as the user sees it: whether this browser has Web MIDI, whether access was allowed,
 * which devices are connected (following hot-plugging), and which one plays (all of them, or one).
 * Access is asked for when the user enables MIDI, not at startup, so the app never opens with a
 * permission prompt. Notes reach NoteInput like the computer keyboard's, keyed by device and pitch.
 */
import { MidiInputs, type MidiDevice, type MidiNote } from '../input/midi-input';
import { messageOf } from './library.svelte';

export type MidiStatus = 'unsupported' | 'off' | 'asking' | 'denied' | 'on';

export const ALL_DEVICES = 'all';

export type RequestMidiAccess = (options: MIDIOptions) => Promise<MIDIAccess>;

export interface MidiListener {
  press(source: string, pitch: number, velocity: number, time: number): void;
  release(source: string, time: number): void;
  releaseAll(prefix: string): void;
}

export class MidiState {
  status = $state<MidiStatus>('off');
  devices = $state.raw<MidiDevice[]>([]);
  chosen = $state<string>(ALL_DEVICES);
  /** Why access failed, or which device went away, in words. */
  problem = $state<string | null>(null);

  /** One sentence on the state of MIDI input, or null when devices are ready to play. */
  readonly message = $derived.by((): string | null => {
    switch (this.status) {
      case 'unsupported':
        return 'MIDI input is not available: this browser has no Web MIDI.';
      case 'off':
        return null;
      case 'asking':
        return 'Asking for permission to use MIDI devices…';
      case 'denied':
        return `MIDI access was not allowed${this.problem ? ` (${this.problem})` : ''}. Allow MIDI for this page to play from a MIDI keyboard.`;
      case 'on':
        if (this.devices.length === 0)
          return `${this.problem ? `${this.problem} ` : ''}No MIDI input device is connected; plug one in and it appears here.`;
        return this.problem;
    }
  });

  readonly #request: RequestMidiAccess | null;
  readonly #listener: MidiListener;
  #inputs: MidiInputs | null = null;

  constructor(request: RequestMidiAccess | null, listener: MidiListener) {
    this.#request = request;
    this.#listener = listener;
    if (!request) this.status = 'unsupported';
  }

  async enable(): Promise<void> {
    if (!this.#request || this.status === 'asking' || this.status === 'on') return;
    this.status = 'asking';
    this.problem = null;
    try {
      const access = await this.#request({ sysex: false });
      this.#inputs = new MidiInputs(access, {
        onNote: (device, note, time) => this.#note(device, note, time),
        onDevices: (devices) => this.#devices(devices),
      });
      this.status = 'on';
    } catch (error) {
      this.status = 'denied';
      this.problem = messageOf(error);
    }
  }

  choose(id: string): void {
    this.chosen = id;
    this.problem = null;
    this.#listener.releaseAll('midi:');
  }

  #note(device: string, note: MidiNote, time: number): void {
    if (this.chosen !== ALL_DEVICES && this.chosen !== device) return;
    const source = `midi:${device}:${note.pitch}`;
    if (note.on) this.#listener.press(source, note.pitch, note.velocity, time);
    else this.#listener.release(source, time);
  }

  #devices(devices: MidiDevice[]): void {
    const gone = this.devices.filter((d) => !devices.some((now) => now.id === d.id));
    for (const device of gone) this.#listener.releaseAll(`midi:${device.id}:`);
    const lost = gone.find((d) => d.id === this.chosen);
    if (lost) {
      this.chosen = ALL_DEVICES;
      this.problem = `${lost.name} was disconnected.`;
    }
    this.devices = devices;
  }

  dispose(): void {
    this.#inputs?.close();
    this.#inputs = null;
    this.#listener.releaseAll('midi:');
  }
}
