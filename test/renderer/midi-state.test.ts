import { describe, expect, it } from 'vitest';
import { ALL_DEVICES, MidiState } from '../../renderer/lib/state/midi.svelte';
import { FakeMidiAccess } from './input/fake-midi';

function listener() {
  const log: string[] = [];
  return {
    log,
    press: (source: string, pitch: number, velocity: number, time: number) =>
      log.push(`press ${source} ${velocity} @${time}`),
    release: (source: string, time: number) => log.push(`release ${source} @${time}`),
    releaseAll: (prefix: string) => log.push(`release all ${prefix}`),
  };
}

describe('MIDI input state', () => {
  it('says so in words when the browser has no Web MIDI', async () => {
    const midi = new MidiState(null, listener());
    await midi.enable();
    expect([midi.status, midi.message]).toEqual([
      'unsupported',
      'MIDI input is not available: this browser has no Web MIDI.',
    ]);
  });

  it('asks for access only when enabled, and without sysex', async () => {
    const asked: MIDIOptions[] = [];
    const midi = new MidiState(async (options) => {
      asked.push(options);
      return new FakeMidiAccess([]) as unknown as MIDIAccess;
    }, listener());
    expect([midi.status, asked]).toEqual(['off', []]);
    await midi.enable();
    expect([midi.status, asked]).toEqual(['on', [{ sysex: false }]]);
  });

  it('says so when access is refused', async () => {
    const midi = new MidiState(async () => {
      throw new DOMException('Permission denied', 'NotAllowedError');
    }, listener());
    await midi.enable();
    expect([midi.status, midi.message]).toEqual([
      'denied',
      'MIDI access was not allowed (Permission denied). Allow MIDI for this page to play from a MIDI keyboard.',
    ]);
  });

  it('says so when no device is connected, and lists one as soon as it is plugged in', async () => {
    const access = new FakeMidiAccess([]);
    const midi = new MidiState(async () => access as unknown as MIDIAccess, listener());
    await midi.enable();
    expect(midi.message).toBe('No MIDI input device is connected; plug one in and it appears here.');
    access.plug({ id: 'k', name: 'Keystation' });
    expect([midi.devices, midi.message]).toEqual([[{ id: 'k', name: 'Keystation' }], null]);
  });

  it('passes notes on with their device, pitch, velocity and time', async () => {
    const access = new FakeMidiAccess([{ id: 'k', name: 'Keys' }]);
    const l = listener();
    const midi = new MidiState(async () => access as unknown as MIDIAccess, l);
    await midi.enable();
    access.input('k').send([0x90, 62, 77], 500);
    access.input('k').send([0x90, 62, 0], 750);
    expect(l.log).toEqual(['press midi:k:62 77 @500', 'release midi:k:62 @750']);
  });

  it('plays only the chosen device when one is chosen', async () => {
    const access = new FakeMidiAccess([
      { id: 'a', name: 'A' },
      { id: 'b', name: 'B' },
    ]);
    const l = listener();
    const midi = new MidiState(async () => access as unknown as MIDIAccess, l);
    await midi.enable();
    midi.choose('b');
    access.input('a').send([0x90, 60, 90], 1);
    access.input('b').send([0x90, 61, 90], 2);
    expect(l.log).toEqual(['release all midi:', 'press midi:b:61 90 @2']);
  });

  it('lets go of a device’s notes when it is unplugged, and says so if it was the chosen one', async () => {
    const access = new FakeMidiAccess([{ id: 'k', name: 'Keys' }]);
    const l = listener();
    const midi = new MidiState(async () => access as unknown as MIDIAccess, l);
    await midi.enable();
    midi.choose('k');
    access.unplug('k');
    expect([l.log.at(-1), midi.chosen, midi.message]).toEqual([
      'release all midi:k:',
      ALL_DEVICES,
      'Keys was disconnected. No MIDI input device is connected; plug one in and it appears here.',
    ]);
  });

  it('stops listening when disposed', async () => {
    const access = new FakeMidiAccess([{ id: 'k', name: 'Keys' }]);
    const midi = new MidiState(async () => access as unknown as MIDIAccess, listener());
    await midi.enable();
    midi.dispose();
    expect([access.input('k').listeners, access.stateListeners]).toEqual([0, 0]);
  });
});
