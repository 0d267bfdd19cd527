/**
 * The renderer ↔ main contract: the only API the renderer may call (`window.continuo`) and the only
 * events it may receive. Written once; Electron main's IPC binding, the preload object, the browser
 * host and test doubles are all checked against it by the compiler.
 *
 * Each method's arguments are declared once, as a schema in `schemas.ts`; their types here are
 * inferred from it, and main validates every call against it before any service sees it. Results
 * and events are written here: they come from our own services, not from the page.
 *
 * Only plain data crosses: melodies, reports, byte arrays. Never a file path chosen by the renderer.
 */
import type { z } from 'zod';
import type { ExtractionReport, Melody, TrackInfo } from '../../engine/midi/types.js';
import type { MethodArgSchemas, fileUpload, saveKind } from './schemas.js';

export type { ExtractionReport, Melody, Note, TrackInfo } from '../../engine/midi/types.js';

/** A file the renderer read itself (file picker, folder picker, drag and drop). */
export type FileUpload = z.output<typeof fileUpload>;

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

export type SaveKind = z.output<typeof saveKind>;

/** Every method's result; its arguments are `MethodArgSchemas` (schemas.ts). */
export interface ApiResults {
  'app.info': AppInfo;
  /** Parse files the renderer read; emits `library.progress` per file. */
  'library.importFiles': ImportOutcome[];
  /** Native open dialog in main (Electron only), then import what the user chose. */
  'library.openDialog': ImportOutcome[];
  /** Re-extract the melody of an imported file from another track. */
  'library.selectTrack': ImportedFile;
  'library.remove': { removed: boolean };
  /** Melody → Standard MIDI File bytes (tempo, time signature and velocities kept). */
  'exporter.midi': { fileName: string; bytes: Uint8Array };
  /** Native save dialog in main (Electron only); the browser host's renderer downloads instead. */
  'files.save': { saved: boolean };
}

export type MethodName = keyof ApiResults;
/** What a caller sends. */
export type MethodArgs<M extends MethodName> = z.input<MethodArgSchemas[M]>;
/** What a handler receives: the arguments after `validateArgs`, checked fields only. */
export type CheckedArgs<M extends MethodName> = z.output<MethodArgSchemas[M]>;
export type MethodResult<M extends MethodName> = ApiResults[M];

/** Every method: its argument object and its result. */
export type ApiMethods = { [M in MethodName]: { args: MethodArgs<M>; result: MethodResult<M> } };

/** The handler map main binds the contract to (app/services), and test doubles implement. */
export type ApiHandlers = { [M in MethodName]: (args: CheckedArgs<M>) => Promise<MethodResult<M>> };

/** Every event main may push to the renderer, and its payload. */
export interface ApiEvents {
  'library.progress': { done: number; total: number; fileName: string };
}

export type EventName = keyof ApiEvents;

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
