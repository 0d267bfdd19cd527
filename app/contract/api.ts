/**
 * The renderer ↔ main contract: the only API the renderer may call (`window.continuo`) and the only
 * events it may receive. Written once; Electron main's IPC binding, the preload object, the browser
 * host and test doubles are all checked against it by the compiler. Arguments arriving from the
 * renderer are validated against the schemas in `schemas.ts` before any service sees them.
 *
 * Only plain data crosses: melodies, reports, byte arrays. Never a file path chosen by the renderer.
 */
import type { ExtractionReport, Melody, TrackInfo } from '../../engine/midi/types.js';

export type { ExtractionReport, Melody, Note, TrackInfo } from '../../engine/midi/types.js';

/** A file the renderer read itself (file picker, folder picker, drag and drop). */
export interface FileUpload {
  name: string; // the file's base name, for messages only; never used as a path
  bytes: Uint8Array;
}

/** One imported source file and the melody extracted from it. */
export interface ImportedFile {
  id: string; // stable for the session; the key for selectTrack/remove
  fileName: string;
  tracks: TrackInfo[];
  melodyTrack: number; // index into `tracks` the melody was taken from
  melody: Melody;
  report: ExtractionReport;
}

/** Import never throws for bad files: each file yields its melody or a one-line reason. */
export type ImportOutcome = { ok: true; file: ImportedFile } | { ok: false; fileName: string; error: string };

export interface Credit {
  what: string; // e.g. 'Piano samples'
  who: string; // e.g. 'Alexander Holm (Salamander Grand Piano)'
  license: string; // e.g. 'CC BY 3.0'
  url?: string;
}

export interface AppInfo {
  version: string;
  host: 'electron' | 'web';
  /** True where main can show native open/save dialogs (Electron); the browser host cannot. */
  nativeDialogs: boolean;
  credits: Credit[];
}

export type SaveKind = 'midi' | 'wav';

/** Every method: its argument object and its result. */
export interface ApiMethods {
  'app.info': { args: Record<string, never>; result: AppInfo };
  /** Parse files the renderer read; emits `library.progress` per file. */
  'library.importFiles': { args: { files: FileUpload[] }; result: ImportOutcome[] };
  /** Native open dialog in main (Electron only), then import what the user chose. */
  'library.openDialog': { args: { folders: boolean }; result: ImportOutcome[] };
  /** Re-extract the melody of an imported file from another track. */
  'library.selectTrack': { args: { fileId: string; trackIndex: number }; result: ImportedFile };
  'library.remove': { args: { fileId: string }; result: { removed: boolean } };
  /** Melody → Standard MIDI File bytes (tempo, time signature and velocities kept). */
  'exporter.midi': {
    args: { melody: Melody; name: string };
    result: { fileName: string; bytes: Uint8Array };
  };
  /** Native save dialog in main (Electron only); the browser host's renderer downloads instead. */
  'files.save': {
    args: { suggestedName: string; kind: SaveKind; bytes: Uint8Array };
    result: { saved: boolean };
  };
}

/** Every event main may push to the renderer, and its payload. */
export interface ApiEvents {
  'library.progress': { done: number; total: number; fileName: string };
}

export type MethodName = keyof ApiMethods;
export type EventName = keyof ApiEvents;
export type MethodArgs<M extends MethodName> = ApiMethods[M]['args'];
export type MethodResult<M extends MethodName> = ApiMethods[M]['result'];

/** `window.continuo`: the whole surface the renderer sees. */
export interface ContinuoApi {
  invoke<M extends MethodName>(method: M, args: MethodArgs<M>): Promise<MethodResult<M>>;
  /** Subscribe; returns the unsubscribe function (call it on teardown). */
  on<E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void;
}

/** What a failed call rejects with, on every host: a message fit to show the user. */
export interface ApiErrorPayload {
  method: MethodName;
  message: string;
}
