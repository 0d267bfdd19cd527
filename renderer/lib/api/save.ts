/**
 * Saving bytes the app made: Electron asks main for a native save dialog; a browser page can only
 * offer a download, through an object URL that is revoked once the download has started.
 */
import type { ContinuoApi, SaveKind } from '../../../app/contract/api';

export interface SaveRequest {
  suggestedName: string;
  kind: SaveKind;
  bytes: Uint8Array;
}

const MIME: Record<SaveKind, string> = {
  midi: 'audio/midi',
  wav: 'audio/wav',
  model: 'application/octet-stream',
};

/** Returns whether the file was saved (false when the user cancelled a native dialog). */
export async function saveBytes(
  api: ContinuoApi,
  nativeDialogs: boolean,
  request: SaveRequest,
): Promise<boolean> {
  if (nativeDialogs) return (await api.invoke('files.save', request)).saved;
  download(request);
  return true;
}

function download({ suggestedName, kind, bytes }: SaveRequest): void {
  const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: MIME[kind] }));
  const link = document.createElement('a');
  link.href = url;
  link.download = suggestedName;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // The click only queues the download; revoking in the same task could cancel it.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
