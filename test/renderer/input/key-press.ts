/** A key press as the keyboard map reads it: `code` pressed alone, unless `over` says otherwise. */
import type { KeyPress } from '../../../renderer/lib/input/shortcuts';

export const keyPress = (code: string, over: Partial<KeyPress> = {}): KeyPress => ({
  code,
  key: code.startsWith('Key') ? code.slice(3).toLowerCase() : code,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  repeat: false,
  ...over,
});
