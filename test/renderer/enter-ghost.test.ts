import { describe, expect, it } from 'vitest';
import { ghostNotes } from '../../renderer/lib/piano-roll/ghosts';
import { AppState } from '../../renderer/lib/state/app.svelte';
import { InMemoryApi } from './in-memory-api';
import { RecordingPort } from './recording-port';

function setup() {
  const port = new RecordingPort();
  const app = new AppState(new InMemoryApi(), async () => port);
  const notes = [60, 62, 64, 65].map((pitch, i) => ({ pitch, start: i * 4, duration: 4, velocity: 90 }));
  app.document.editor.apply({ notes, selection: [] });
  app.document.cursor = 16;
  return { app, port, notes };
}

const pitches = new Array<number>(128).fill(0);
Object.assign(pitches, { 67: 0.7, 64: 0.3 });

describe('entering a ghost note', () => {
  it('adds it at the cursor with the note length tool’s duration and velocity, and moves the cursor past it', () => {
    const { app } = setup();
    app.tools.noteLength = 2;
    app.tools.velocity = 70;
    const [likeliest] = ghostNotes(pitches, 16, 2);
    app.enterGhost(likeliest);
    expect(app.document.melody.notes.at(-1)).toEqual({ pitch: 67, start: 16, duration: 2, velocity: 70 });
    expect(app.document.cursor).toBe(18);
  });

  it('is one undo step', () => {
    const { app, notes } = setup();
    app.enterGhost(ghostNotes(pitches, 16, 4)[1]);
    expect(app.document.melody.notes).toHaveLength(5);
    app.document.editor.undo();
    expect(app.document.melody.notes).toEqual(notes);
  });

  it('sounds the note entered', async () => {
    const { app, port } = setup();
    app.enterGhost(ghostNotes(pitches, 16, 4)[0]);
    await new Promise((r) => setTimeout(r, 0));
    expect(port.log).toContain('audition 67 90');
  });

  it('does nothing while an imported file is shown instead of the seed', () => {
    const { app, notes } = setup();
    app.shown = 'file';
    app.enterGhost(ghostNotes(pitches, 16, 4)[0]);
    expect(app.document.melody.notes).toEqual(notes);
  });
});
