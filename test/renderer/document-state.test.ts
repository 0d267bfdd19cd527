import { describe, expect, it } from 'vitest';
import type { Melody } from '../../app/contract/api';
import { SeedDocument } from '../../renderer/lib/state/document.svelte';
import { melody } from './piano-roll/notes';

const jig: Melody = {
  notes: melody([67, 0, 2], [69, 2, 2], [71, 4, 2], [72, 12, 6], [74, 24, 6]),
  bpm: 104.6,
  timeSignature: [6, 8],
};

const pitches = (doc: SeedDocument) => doc.melody.notes.map((n) => n.pitch);

describe('the seed document', () => {
  it('starts empty at 120 bpm in 4/4', () => {
    expect(new SeedDocument().toData()).toEqual({ notes: [], bpm: 120, timeSignature: [4, 4] });
  });

  it('replaces the seed with bars of an imported melody, taking its tempo and meter, as one undo step', () => {
    const doc = new SeedDocument();
    doc.useBars(jig, 1, 2, 'replace');
    expect([pitches(doc), doc.melody.bpm, doc.melody.timeSignature, doc.cursor]).toEqual([
      [67, 69, 71, 72],
      105,
      [6, 8],
      24,
    ]);
    doc.editor.undo();
    expect(doc.toData()).toEqual({ notes: [], bpm: 120, timeSignature: [4, 4] });
  });

  it('appends bars at the next bar line of the seed, keeping the seed’s meter', () => {
    const doc = new SeedDocument();
    doc.useBars(jig, 1, 1, 'replace');
    doc.setTimeSignature([3, 4]);
    doc.useBars(jig, 3, 3, 'append');
    expect(doc.melody.notes.map((n) => [n.pitch, n.start])).toEqual([
      [67, 0],
      [69, 2],
      [71, 4],
      [74, 12],
    ]);
    expect(doc.melody.timeSignature).toEqual([3, 4]);
  });

  it('edits tempo and time signature as undo steps, clamped to what the editor offers', () => {
    const doc = new SeedDocument();
    doc.setBpm(1000);
    doc.setTimeSignature([7, 32]);
    expect([doc.melody.bpm, doc.melody.timeSignature]).toEqual([400, [7, 4]]);
    doc.editor.undo();
    doc.editor.undo();
    expect([doc.melody.bpm, doc.melody.timeSignature]).toEqual([120, [4, 4]]);
  });

  it('clears to a new empty seed that can be undone', () => {
    const doc = new SeedDocument();
    doc.useBars(jig, 1, 1, 'replace');
    doc.clear();
    expect([doc.melody.notes, doc.melody.timeSignature, doc.cursor]).toEqual([[], [4, 4], 0]);
    doc.editor.undo();
    expect(pitches(doc)).toEqual([67, 69, 71]);
  });

  it('gives plain data that survives structured cloning and JSON, and restores from it', () => {
    const doc = new SeedDocument();
    doc.useBars(jig, 1, 3, 'replace');
    const data = doc.toData();
    expect(structuredClone(data)).toEqual(data);
    const copy = new SeedDocument();
    copy.restore(JSON.parse(JSON.stringify(data)));
    expect([copy.toData(), copy.editor.canUndo]).toEqual([data, false]);
  });

  it('counts a new revision for each change that stays, so autosave can watch one number', () => {
    const doc = new SeedDocument();
    const before = doc.revision;
    doc.setBpm(90);
    doc.editor.select([]);
    doc.useBars(jig, 1, 1, 'append');
    expect(doc.revision - before).toBe(2);
  });
});

describe('when the roll scrolls to the seed', () => {
  it('is when the seed starts afresh: replaced, cleared or restored, not appended to or edited', () => {
    const doc = new SeedDocument();
    const seen = [doc.opened];
    doc.useBars(jig, 1, 1, 'replace');
    seen.push(doc.opened);
    doc.useBars(jig, 2, 2, 'append');
    doc.setBpm(80);
    seen.push(doc.opened);
    doc.clear();
    seen.push(doc.opened);
    doc.restore(doc.toData());
    seen.push(doc.opened);
    expect(new Set(seen).size).toBe(4);
    expect(seen[1]).toBe(seen[2]);
  });
});
