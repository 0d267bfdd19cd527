/**
 * Which file names Continuo reads as MIDI: standard MIDI files (.mid, .midi), karaoke MIDI (.kar)
 * and RIFF-wrapped MIDI (.rmi, unwrapped by ./prepass.ts). The one list the engine, the CLI, the app's
 * folder import and dialogs, and the renderer's drop all use, so no import path skips files another
 * accepts. No imports, so the renderer may import it too (eslint.config.js allows exactly this file).
 */
export const MIDI_EXTENSIONS = ['.mid', '.midi', '.kar', '.rmi'] as const;

/** True when `name` ends in one of MIDI_EXTENSIONS, in any case. */
export function isMidiFileName(name: string): boolean {
  const lower = name.toLowerCase();
  return MIDI_EXTENSIONS.some((ext) => lower.endsWith(ext));
}

/** `name` without its MIDI extension ("Tune (1).mid" → "Tune (1)"); other names unchanged. */
export function withoutMidiExtension(name: string): string {
  const lower = name.toLowerCase();
  const ext = MIDI_EXTENSIONS.find((e) => lower.endsWith(e));
  return ext ? name.slice(0, -ext.length) : name;
}

/** The extensions as prose: ".mid, .midi, .kar or .rmi" (`or`), ".mid, .midi, .kar and .rmi" (`and`). */
export function midiExtensionsText(conjunction: 'or' | 'and'): string {
  return `${MIDI_EXTENSIONS.slice(0, -1).join(', ')} ${conjunction} ${MIDI_EXTENSIONS.at(-1)}`;
}
