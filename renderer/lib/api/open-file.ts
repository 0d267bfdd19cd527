/**
 * Asking the user for one file in a browser page: a file input made for the occasion, clicked, and
 * removed once it has answered. Must be called from a user gesture (a click, a key press), as
 * browsers open pickers for nothing else.
 */

/** The chosen file, or null when the user closed the picker without choosing. */
export function pickFile(accept: string): Promise<File | null> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = accept;
    input.style.display = 'none';
    const done = (file: File | null) => {
      input.remove();
      resolve(file);
    };
    input.addEventListener('change', () => done(input.files?.[0] ?? null), { once: true });
    input.addEventListener('cancel', () => done(null), { once: true });
    document.body.append(input);
    input.click();
  });
}
