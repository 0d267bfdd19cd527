// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import type { ContinuoApi } from '../../app/contract/api';
import { pickApi } from '../../renderer/lib/api/pick-api';
import { InMemoryApi } from './in-memory-api';

const windowAt = (href: string, continuo?: ContinuoApi) =>
  ({ continuo, location: { href } }) as unknown as Window;

describe('choosing the API at startup', () => {
  it('uses the preload’s window.continuo in Electron', () => {
    const preload = new InMemoryApi();
    const choice = pickApi(windowAt('app://continuo/index.html', preload));
    expect(choice.ok && choice.api).toBe(preload);
  });

  it('explains what to open when a browser page has no token', () => {
    const choice = pickApi(windowAt('http://127.0.0.1:4173/'));
    expect(choice.ok).toBe(false);
    expect(!choice.ok && choice.problem).toMatch(/address Continuo printed when it started .*\?token=/);
  });
});
