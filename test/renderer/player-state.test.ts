import { describe, expect, it } from 'vitest';
import type { Melody } from '../../app/contract/api';
import { PlayerState } from '../../renderer/lib/state/player.svelte';
import { RecordingPort } from './recording-port';

function setup(melodies: Melody[]) {
  const port = new RecordingPort();
  let current: Melody | null = melodies[0];
  const frames: (() => void)[] = [];
  const player = new PlayerState(
    () => current,
    async () => port,
    { request: (cb) => frames.push(cb), cancel: () => undefined },
  );
  const frame = () => frames.splice(0).forEach((cb) => cb());
  return { port, player, frame, select: (i: number | null) => (current = i === null ? null : melodies[i]) };
}

const melody = (bpm: number, count = 3): Melody => ({
  notes: Array.from({ length: count }, (_, i) => ({
    pitch: 60 + i,
    start: i * 4,
    duration: 4,
    velocity: 90,
  })),
  bpm,
  timeSignature: [4, 4],
});

describe('PlayerState', () => {
  it('uses the file’s tempo, rounded, until the user changes it', () => {
    const { player } = setup([melody(96.4)]);
    expect(player.bpm).toBe(96);
    player.setBpm(132.2);
    expect(player.bpm).toBe(132);
  });

  it('goes back to the file’s own tempo when another melody is selected', () => {
    const { player, select } = setup([melody(96), melody(150)]);
    player.setBpm(60);
    select(1);
    expect(player.bpm).toBe(150);
  });

  it('keeps tempo within 20–400 bpm', () => {
    const { player } = setup([melody(100)]);
    player.setBpm(1000);
    expect(player.bpm).toBe(400);
    player.setBpm(1);
    expect(player.bpm).toBe(20);
  });

  it('exports the user’s tempo but otherwise the file’s exact tempo', () => {
    const { player } = setup([melody(96.4)]);
    expect(player.exportMelody?.bpm).toBe(96.4);
    player.setBpm(120);
    expect(player.exportMelody?.bpm).toBe(120);
  });

  it('loads the melody, tempo and loop into the audio side before starting', async () => {
    const { player, port } = setup([melody(110)]);
    player.setLoop(true);
    await player.play();
    expect(port.log).toEqual(['melody 3', 'bpm 110', 'loop true', 'play 0']);
    expect(player.playing).toBe(true);
  });

  it('moves the playhead with the transport, frame by frame', async () => {
    const { player, port, frame } = setup([melody(110)]);
    await player.play();
    port.position = 5.5;
    frame();
    expect(player.position).toBe(5.5);
  });

  it('stops when the selected melody changes under it', async () => {
    const { player, port, frame, select } = setup([melody(110), melody(90)]);
    await player.play();
    select(1);
    frame();
    await Promise.resolve();
    expect(player.playing).toBe(false);
    expect(port.log.at(-1)).toBe('stop');
  });

  it('sounds a clicked key without starting the transport', async () => {
    const { player, port } = setup([melody(100)]);
    await player.audition(64);
    expect(port.log).toEqual(['audition 64']);
    expect(player.playing).toBe(false);
  });

  it('does nothing when there is no melody to play', async () => {
    const { player, port, select } = setup([melody(100)]);
    select(null);
    await player.play();
    expect(player.playing).toBe(false);
    expect(port.log).toEqual([]);
  });

  it('disposes the audio side on teardown', async () => {
    const { player, port } = setup([melody(100)]);
    await player.play();
    player.dispose();
    await Promise.resolve();
    await Promise.resolve();
    expect(port.disposed).toBe(true);
    expect(await player.liveNodes()).toBe(0);
  });

  it('reports a piano that cannot load, and tries again next time', async () => {
    let attempts = 0;
    const player = new PlayerState(
      () => melody(100),
      async () => {
        attempts++;
        throw new Error('samples/piano/C4.mp3: 404');
      },
      { request: () => 0, cancel: () => undefined },
    );
    await player.play();
    expect(player.status).toBe('failed');
    expect(player.error).toMatch(/piano could not be loaded: samples\/piano\/C4\.mp3: 404/);
    await player.play();
    expect(attempts).toBe(2);
  });
});
