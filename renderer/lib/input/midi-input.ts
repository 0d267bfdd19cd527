/**
 * MIDI input devices through the bare Web MIDI API, not WEBMIDI.js. What the app needs is note-on
 * and note-off from inputs and hot-plugging, which the standard API gives directly (typed in lib.dom:
 * MIDIAccess, its `inputs` map and `statechange` event, MIDIMessageEvent). WEBMIDI.js's worth lies
 * in what we do not use (outputs, sysex, controller and NRPN parsing, note names, a Node back end
 * through jzz) and it would wrap the same events in its own emitter; without it, the fake MIDIAccess
 * of the end-to-end test stands in for exactly what Chromium and Electron provide.
 *
 * Message bytes (MIDI 1.0): status 0x9n is note-on on channel n, 0x8n note-off; a note-on with
 * velocity 0 is a note-off (running-status keyboards send those). Everything else is ignored.
 */

export interface MidiNote {
  on: boolean;
  pitch: number;
  velocity: number;
}

export interface MidiDevice {
  id: string;
  name: string;
}

export function parseMidiMessage(data: ArrayLike<number> | null | undefined): MidiNote | null {
  if (!data || data.length < 3) return null;
  const kind = data[0] & 0xf0;
  const pitch = data[1] & 0x7f;
  const velocity = data[2] & 0x7f;
  if (kind === 0x90 && velocity > 0) return { on: true, pitch, velocity };
  if (kind === 0x80 || kind === 0x90) return { on: false, pitch, velocity };
  return null;
}

export interface MidiHandlers {
  /** A note from input `device`; `time` is the message's timestamp (performance.now() clock, ms). */
  onNote(device: string, note: MidiNote, time: number): void;
  /** The connected inputs changed (or were listed for the first time). */
  onDevices(devices: MidiDevice[]): void;
}

/** Listens to every connected input of `access` and follows devices coming and going. */
export class MidiInputs {
  readonly #access: MIDIAccess;
  readonly #handlers: MidiHandlers;
  readonly #listening = new Map<string, { input: MIDIInput; listener: (e: Event) => void }>();
  readonly #onState = () => this.#scan();

  constructor(access: MIDIAccess, handlers: MidiHandlers) {
    this.#access = access;
    this.#handlers = handlers;
    access.addEventListener('statechange', this.#onState);
    this.#scan();
  }

  #scan(): void {
    const connected = new Map<string, MIDIInput>();
    this.#access.inputs.forEach((input) => {
      if (input.state !== 'disconnected') connected.set(input.id, input);
    });
    for (const [id, { input, listener }] of this.#listening) {
      if (connected.get(id) === input) continue;
      input.removeEventListener('midimessage', listener);
      this.#listening.delete(id);
    }
    for (const [id, input] of connected) {
      if (this.#listening.has(id)) continue;
      const listener = (e: Event) => {
        const message = e as MIDIMessageEvent;
        const note = parseMidiMessage(message.data);
        if (note) this.#handlers.onNote(id, note, message.timeStamp);
      };
      input.addEventListener('midimessage', listener);
      this.#listening.set(id, { input, listener });
    }
    this.#handlers.onDevices(
      [...connected.values()].map((input) => ({ id: input.id, name: input.name || 'MIDI input' })),
    );
  }

  close(): void {
    this.#access.removeEventListener('statechange', this.#onState);
    for (const { input, listener } of this.#listening.values())
      input.removeEventListener('midimessage', listener);
    this.#listening.clear();
  }
}
