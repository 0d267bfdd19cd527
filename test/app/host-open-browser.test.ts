import { describe, expect, it } from 'vitest';
import { browserCommand, openInBrowser } from '../../app/host/open-browser.js';

const url = 'http://127.0.0.1:1/?token=x';

describe('opening a browser', () => {
  it('does nothing on a Linux machine without a desktop', () => {
    expect(openInBrowser(url, 'linux', {})).toBe(false);
    expect(browserCommand(url, 'linux', {})).toBeNull();
  });

  it('uses the desktop’s own opener where there is one', () => {
    expect(browserCommand(url, 'linux', { DISPLAY: ':0' })).toEqual({ command: 'xdg-open', args: [url] });
    expect(browserCommand(url, 'linux', { WAYLAND_DISPLAY: 'wayland-0' })?.command).toBe('xdg-open');
    expect(browserCommand(url, 'darwin', {})).toEqual({ command: 'open', args: [url] });
    expect(browserCommand(url, 'win32', {})).toEqual({ command: 'cmd', args: ['/c', 'start', '""', url] });
  });
});
