/**
 * An in-memory `ContinuoApi` for renderer tests: the real engine parses real MIDI bytes, but no
 * process boundary, worker or socket is involved. It records calls so tests can see what the UI asked.
 */
import type {
  ApiEvents,
  AppInfo,
  ContinuoApi,
  EventName,
  ImportedFile,
  ImportOutcome,
  MethodArgs,
  MethodName,
  MethodResult,
} from '../../app/contract/api';
import { importMidi, isMidiError, melodyToMidi } from '../../engine/midi/index';

export interface Call {
  method: MethodName;
  args: unknown;
}

export const TEST_INFO: AppInfo = {
  version: '0.1.0-test',
  host: 'web',
  nativeDialogs: false,
  credits: [
    {
      what: 'Piano samples',
      who: 'Alexander Holm (Salamander Grand Piano)',
      license: 'CC BY 3.0',
      url: 'https://creativecommons.org/licenses/by/3.0/',
    },
  ],
};

export class InMemoryApi implements ContinuoApi {
  readonly calls: Call[] = [];
  readonly files = new Map<string, { bytes: Uint8Array; file: ImportedFile }>();
  info: AppInfo = TEST_INFO;
  saved: MethodArgs<'files.save'>[] = [];
  #listeners = new Map<EventName, Set<(payload: never) => void>>();
  #serial = 0;

  listenerCount(event: EventName): number {
    return this.#listeners.get(event)?.size ?? 0;
  }

  on<E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void {
    const set = this.#listeners.get(event) ?? new Set();
    this.#listeners.set(event, set);
    set.add(listener as (payload: never) => void);
    return () => set.delete(listener as (payload: never) => void);
  }

  #emit<E extends EventName>(event: E, payload: ApiEvents[E]): void {
    for (const listener of this.#listeners.get(event) ?? []) (listener as (p: ApiEvents[E]) => void)(payload);
  }

  #parse(bytes: Uint8Array, name: string, id: string, trackIndex?: number): ImportedFile {
    const parsed = importMidi(bytes, name, trackIndex);
    return {
      id,
      fileName: name,
      tracks: parsed.tracks,
      melodyTrack: parsed.melodyTrack,
      melody: parsed.melody,
      report: parsed.report,
    };
  }

  async invoke<M extends MethodName>(method: M, args: MethodArgs<M>): Promise<MethodResult<M>> {
    this.calls.push({ method, args });
    const result = await this.#handle(method, args as never);
    return result as MethodResult<M>;
  }

  async #handle(method: MethodName, args: never): Promise<unknown> {
    switch (method) {
      case 'app.info':
        return this.info;
      case 'library.importFiles': {
        const { files } = args as MethodArgs<'library.importFiles'>;
        const outcomes: ImportOutcome[] = [];
        for (const [i, upload] of files.entries()) {
          try {
            const file = this.#parse(upload.bytes, upload.name, `file-${++this.#serial}`);
            this.files.set(file.id, { bytes: upload.bytes, file });
            outcomes.push({ ok: true, file });
          } catch (error) {
            if (!isMidiError(error)) throw error;
            outcomes.push({ ok: false, fileName: upload.name, error: error.reason });
          }
          this.#emit('library.progress', { done: i + 1, total: files.length, fileName: upload.name });
        }
        return outcomes;
      }
      case 'library.openDialog':
        throw new Error('no native dialogs in this host');
      case 'library.selectTrack': {
        const { fileId, trackIndex } = args as MethodArgs<'library.selectTrack'>;
        const entry = this.files.get(fileId);
        if (!entry) throw new Error(`no imported file has id ${fileId}`);
        const file = this.#parse(entry.bytes, entry.file.fileName, fileId, trackIndex);
        this.files.set(fileId, { bytes: entry.bytes, file });
        return file;
      }
      case 'library.remove': {
        const { fileId } = args as MethodArgs<'library.remove'>;
        return { removed: this.files.delete(fileId) };
      }
      case 'exporter.midi': {
        const { melody, name } = args as MethodArgs<'exporter.midi'>;
        return { fileName: `${name}.mid`, bytes: melodyToMidi(melody, { name }) };
      }
      case 'files.save': {
        this.saved.push(args as MethodArgs<'files.save'>);
        return { saved: true };
      }
      default: {
        const unknownMethod: never = method;
        throw new Error(`unknown method ${String(unknownMethod)}`);
      }
    }
  }
}
