import { describe, expect, it } from 'vitest';
import { MidiInputs, parseMidiMessage, type MidiDevice } from '../../../renderer/lib/input/midi-input';
import { FakeMidiAccess } from './fake-midi';

describe('reading MIDI messages', () => {
  it('reads note-on and note-off on any channel', () => {
    expect([
      parseMidiMessage([0x90, 60, 100]),
      parseMidiMessage([0x9f, 61, 1]),
      parseMidiMessage([0x80, 60, 64]),
      parseMidiMessage([0x83, 62, 0]),
    ]).toEqual([
      { on: true, pitch: 60, velocity: 100 },
      { on: true, pitch: 61, velocity: 1 },
      { on: false, pitch: 60, velocity: 64 },
      { on: false, pitch: 62, velocity: 0 },
    ]);
  });

  it('reads a note-on of velocity 0 as a note-off', () => {
    expect(parseMidiMessage([0x90, 60, 0])).toEqual({ on: false, pitch: 60, velocity: 0 });
  });

  it('ignores everything else: controllers, pitch bend, clock, short messages', () => {
    expect(
      [[0xb0, 64, 127], [0xe0, 0, 64], [0xf8], [0x90, 60], null].map((d) => parseMidiMessage(d)),
    ).toEqual([null, null, null, null, null]);
  });
});

describe('listening to MIDI inputs', () => {
  function listen(access: FakeMidiAccess) {
    const notes: string[] = [];
    const devices: MidiDevice[][] = [];
    const inputs = new MidiInputs(access as unknown as MIDIAccess, {
      onNote: (device, note, time) =>
        notes.push(`${device} ${note.on ? 'on' : 'off'} ${note.pitch} @${time}`),
      onDevices: (d) => devices.push(d),
    });
    return { notes, devices, inputs };
  }

  it('lists the connected inputs and passes on their notes with the message time', () => {
    const access = new FakeMidiAccess([{ id: 'k1', name: 'Keys' }]);
    const { notes, devices } = listen(access);
    access.input('k1').send([0x90, 64, 90], 1234.5);
    access.input('k1').send([0x80, 64, 0], 1300);
    expect(devices).toEqual([[{ id: 'k1', name: 'Keys' }]]);
    expect(notes).toEqual(['k1 on 64 @1234.5', 'k1 off 64 @1300']);
  });

  it('follows devices plugged in and unplugged', () => {
    const access = new FakeMidiAccess([]);
    const { notes, devices } = listen(access);
    access.plug({ id: 'pad', name: 'Pad' });
    access.input('pad').send([0x90, 36, 127], 10);
    access.unplug('pad');
    expect(devices).toEqual([[], [{ id: 'pad', name: 'Pad' }], []]);
    expect(notes).toEqual(['pad on 36 @10']);
    expect(access.input('pad').listeners).toBe(0);
  });

  it('stops listening everywhere when closed', () => {
    const access = new FakeMidiAccess([{ id: 'k1', name: 'Keys' }]);
    const { notes, inputs } = listen(access);
    inputs.close();
    access.input('k1').send([0x90, 60, 90], 1);
    expect([notes, access.input('k1').listeners, access.stateListeners]).toEqual([[], 0, 0]);
  });
});
