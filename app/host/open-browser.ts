/**
 * Opening the host's address in the desktop's own browser, where there is a desktop. A headless
 * machine (a server, CI, our build machines) has none: there the address printed is the way in.
 */
import { spawn } from 'node:child_process';

/** The command that opens `url` on `platform`, or null where there is no desktop to open it on. */
export function browserCommand(
  url: string,
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
): { command: string; args: string[] } | null {
  if (platform === 'darwin') return { command: 'open', args: [url] };
  if (platform === 'win32') return { command: 'cmd', args: ['/c', 'start', '""', url] };
  if (env.DISPLAY || env.WAYLAND_DISPLAY) return { command: 'xdg-open', args: [url] };
  return null;
}

/** Opens `url` in the desktop's browser; false (and nothing else) where it cannot. */
export function openInBrowser(url: string, platform = process.platform, env = process.env): boolean {
  const found = browserCommand(url, platform, env);
  if (!found) return false;
  try {
    const child = spawn(found.command, found.args, { stdio: 'ignore', detached: true });
    child.on('error', () => undefined);
    child.unref();
    return true;
  } catch {
    return false;
  }
}
