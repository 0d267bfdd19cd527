import { describe, expect, it } from 'vitest';
import {
  MIDI_EXTENSIONS,
  isMidiFileName,
  midiExtensionsText,
  withoutMidiExtension,
} from '../../../engine/midi/file-names.js';

describe('engine/midi: which file names are MIDI', () => {
  it('lists standard, karaoke and RIFF-wrapped MIDI', () => {
    expect(MIDI_EXTENSIONS).toEqual(['.mid', '.midi', '.kar', '.rmi']);
  });

  it('accepts each extension in any case', () => {
    expect(['a.mid', 'b.MIDI', 'c.kar', 'd.Rmi'].every(isMidiFileName)).toBe(true);
  });

  it('rejects everything else', () => {
    expect(['README.md', 'tune.mid.txt', 'mid', 'x.wav', 'rmi'].some(isMidiFileName)).toBe(false);
  });

  it('strips the MIDI extension from a name, and leaves other names alone', () => {
    expect(['Tune (1).mid', 'b.MIDI', 'c.kar', 'd.rmi', 'notes.txt'].map(withoutMidiExtension)).toEqual([
      'Tune (1)',
      'b',
      'c',
      'd',
      'notes.txt',
    ]);
  });

  it('says the list in words', () => {
    expect(midiExtensionsText('or')).toBe('.mid, .midi, .kar or .rmi');
    expect(midiExtensionsText('and')).toBe('.mid, .midi, .kar and .rmi');
  });
});
