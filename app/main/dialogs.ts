/** Native open/save dialogs (Electron only): the user, not the renderer, chooses every path. */
import path from 'node:path';
import type { BaseWindow, Dialog, OpenDialogOptions, SaveDialogOptions } from 'electron';
import { MIDI_EXTENSIONS } from '../../engine/midi/file-names.js';
import type { SaveKind } from '../contract/api.js';
import { DOCUMENT_EXTENSION } from '../services/documents.js';
import type { NativeDialogs } from '../services/index.js';

const DOCUMENT_FILTER = { name: 'Continuo document', extensions: [DOCUMENT_EXTENSION.slice(1)] };

const SAVE_FILTERS: Record<SaveKind | 'document', { name: string; extensions: string[] }> = {
  midi: { name: 'MIDI file', extensions: ['mid'] },
  wav: { name: 'WAV audio', extensions: ['wav'] },
  model: { name: 'Continuo model', extensions: ['continuo'] },
  document: DOCUMENT_FILTER,
};

const SAVE_TITLES: Record<SaveKind | 'document', string> = {
  midi: 'Export MIDI',
  wav: 'Export WAV',
  model: 'Export model',
  document: 'Save the document',
};

export function importDialogOptions(folders: boolean, defaultPath: string | null): OpenDialogOptions {
  return {
    title: folders ? 'Import a folder of MIDI files' : 'Import MIDI files',
    ...(defaultPath ? { defaultPath } : {}),
    properties: folders ? ['openDirectory', 'multiSelections'] : ['openFile', 'multiSelections'],
    ...(folders
      ? {}
      : { filters: [{ name: 'MIDI files', extensions: MIDI_EXTENSIONS.map((e) => e.slice(1)) }] }),
  };
}

export function documentDialogOptions(defaultPath: string | null): OpenDialogOptions {
  return {
    title: 'Open a document',
    ...(defaultPath ? { defaultPath } : {}),
    properties: ['openFile'],
    filters: [DOCUMENT_FILTER],
  };
}

export function saveDialogOptions(
  suggestedName: string,
  kind: SaveKind | 'document',
  defaultPath: string | null,
): SaveDialogOptions {
  return {
    title: SAVE_TITLES[kind],
    defaultPath: defaultPath ? path.join(defaultPath, suggestedName) : suggestedName,
    filters: [SAVE_FILTERS[kind]],
  };
}

export function setupDialogs(
  dialog: Pick<Dialog, 'showOpenDialog' | 'showSaveDialog'>,
  getWindow: () => BaseWindow | null,
): NativeDialogs {
  return {
    async chooseImport({ folders, defaultPath }) {
      const options = importDialogOptions(folders, defaultPath);
      const window = getWindow();
      const result = window
        ? await dialog.showOpenDialog(window, options)
        : await dialog.showOpenDialog(options);
      return result.canceled ? [] : result.filePaths;
    },
    async chooseSaveTarget({ suggestedName, kind, defaultPath }) {
      const options = saveDialogOptions(suggestedName, kind, defaultPath);
      const window = getWindow();
      const result = window
        ? await dialog.showSaveDialog(window, options)
        : await dialog.showSaveDialog(options);
      return result.canceled || !result.filePath ? null : result.filePath;
    },
    async chooseDocument({ defaultPath }) {
      const options = documentDialogOptions(defaultPath);
      const window = getWindow();
      const result = window
        ? await dialog.showOpenDialog(window, options)
        : await dialog.showOpenDialog(options);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
  };
}
