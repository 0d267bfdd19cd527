/** Native open/save dialogs (Electron only): the user, not the renderer, chooses every path. */
import path from 'node:path';
import type { BaseWindow, Dialog, OpenDialogOptions, SaveDialogOptions } from 'electron';
import { MIDI_EXTENSIONS } from '../../engine/midi/file-names.js';
import type { SaveKind } from '../contract/api.js';
import type { NativeDialogs } from '../services/index.js';

const SAVE_FILTERS: Record<SaveKind, { name: string; extensions: string[] }> = {
  midi: { name: 'MIDI file', extensions: ['mid'] },
  wav: { name: 'WAV audio', extensions: ['wav'] },
  model: { name: 'Continuo model', extensions: ['continuo'] },
};

const SAVE_TITLES: Record<SaveKind, string> = {
  midi: 'Export MIDI',
  wav: 'Export WAV',
  model: 'Export model',
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

export function saveDialogOptions(
  suggestedName: string,
  kind: SaveKind,
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
  };
}
