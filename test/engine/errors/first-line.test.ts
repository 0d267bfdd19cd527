import { describe, expect, it } from 'vitest';
import { firstLine } from '../../../engine/errors/first-line.js';

describe('engine/errors: firstLine', () => {
  it("takes the first line of an Error's message", () => {
    expect(firstLine(new Error('bad chunk\n    at parse (x.js:1:2)'))).toBe('bad chunk');
  });

  it('takes the first line of any other thrown value as a string', () => {
    expect(firstLine('exit 1\nmore')).toBe('exit 1');
    expect(firstLine(42)).toBe('42');
    expect(firstLine(new Error(''))).toBe('');
  });
});
