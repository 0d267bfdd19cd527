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
 *
 * ## Long work is a job
 *
 * A method that starts long work (importing now; generating and training next) does not wait for
 * it: it returns `{ job }` at once, a `JobId` (a result with a string `job` always names a job that
 * has begun). From then on the work speaks through four events, each carrying `job`:
 *
 * - `job.progress {job, kind, progress}`: any number, in order; `kind` (an `ApiJobs` key) says what
 *   `progress` holds. Progress carries the partial results as they exist, not only counts: the files
 *   imported so far, each generated variation as it is ready, the training curves. The producer
 *   throttles it to what a view can use (≤ 10 a second); nothing in it is repeated at the end.
 * - then exactly one of `job.done {job, kind, result}`, `job.failed {job, message}` (one line, fit
 *   to show) or `job.cancelled {job}`. A client that loses its host ends the jobs it knew of with
 *   `job.failed` itself (the browser client does), so no follower waits forever.
 *
 * `jobs.cancel {job}` stops any job; what its progress already delivered stays delivered (an
 * import keeps the files read so far). It answers `{cancelled: false}` for a job that has already
 * ended. The id, not the call, is the job's handle, so a training run of many minutes is not a
 * promise held open across a process boundary, and one listener serves every job in the window.
 *
 * The reply with the id is sent before the job's first event on both hosts, but Electron carries
 * replies and events on different paths: a client subscribes to the job events before it calls,
 * and matches them by id (renderer/lib/api/jobs.ts does this once for the page).
 *
 * Shaped for what comes next: a generation job streams variations as progress and is superseded by
 * starting a newer one (the older ends `job.cancelled`); a training job reports throttled progress
 * for minutes and gains `jobs.pause`/`jobs.resume`, which, like `jobs.cancel`, take only the id.
 * A job whose input is too large for one message takes it in parts: `library.importFiles` announces
 * the `total` and carries the first part, `library.importMore` the rest.
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

/** A job's handle: stable for the session, unique among all jobs. */
export type JobId = string;

/** What a method that starts a job answers at once. */
export interface JobStarted {
  job: JobId;
}

/** How far an import has got, with the outcomes of the files settled since its previous progress. */
export interface ImportProgress {
  done: number; // files settled so far, of `total`
  total: number;
  fileName: string; // the last file settled ('' before the first)
  outcomes: ImportOutcome[]; // in import order; each file's outcome arrives exactly once
}

/** Every kind of job: what its progress events carry, and what its `job.done` carries. */
export interface ApiJobs {
  'library.import': { progress: ImportProgress; result: { imported: number; failed: number } };
}

export type JobKind = keyof ApiJobs;

type JobProgressEvents = { [K in JobKind]: { job: JobId; kind: K; progress: ApiJobs[K]['progress'] } };
type JobDoneEvents = { [K in JobKind]: { job: JobId; kind: K; result: ApiJobs[K]['result'] } };

/** `job.progress` of a job of kind `K` (of any kind when `K` is left out). */
export type JobProgressEvent<K extends JobKind = JobKind> = JobProgressEvents[K];
export type JobDoneEvent<K extends JobKind = JobKind> = JobDoneEvents[K];
export interface JobFailedEvent {
  job: JobId;
  message: string;
}
export interface JobCancelledEvent {
  job: JobId;
}

/** Every method's result; its arguments are `MethodArgSchemas` (schemas.ts). */
export interface ApiResults {
  'app.info': AppInfo;
  /**
   * Starts a `library.import` job of `total` files (default: the files of this call), this call
   * carrying the first of them; the others follow with `library.importMore`.
   */
  'library.importFiles': JobStarted;
  /** The next part of an import; `accepted: false` when the job has ended (cancelled): stop sending. */
  'library.importMore': { accepted: boolean };
  /** Native open dialog in main (Electron only), then a `library.import` job of what the user chose; null when they chose nothing. */
  'library.openDialog': { job: JobId | null };
  /** Stops a job of any kind; false when it had already ended (or never existed). */
  'jobs.cancel': { cancelled: boolean };
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

/** Commands of the desktop app's menus that the page carries out (its editor's undo history). */
export type MenuCommand = 'undo' | 'redo';

/** Every event main may push to the renderer, and its payload. */
export interface ApiEvents {
  'job.progress': JobProgressEvent;
  'job.done': JobDoneEvent;
  'job.failed': JobFailedEvent;
  'job.cancelled': JobCancelledEvent;
  /** A menu item was chosen (Electron only: the browser host has no menus). */
  'menu.command': { command: MenuCommand };
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
