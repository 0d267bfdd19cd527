import { describe, expect, it } from 'vitest';
import { NodeOwner } from '../../renderer/lib/audio/owner';

class Node {
  disposed = 0;
  dispose() {
    this.disposed++;
  }
}

describe('NodeOwner', () => {
  it('disposes every node it owns exactly once', () => {
    const owner = new NodeOwner();
    const nodes = [owner.own(new Node()), owner.own(new Node()), owner.own(new Node())];
    owner.disposeAll();
    owner.disposeAll();
    expect(nodes.map((n) => n.disposed)).toEqual([1, 1, 1]);
    expect(owner.liveCount).toBe(0);
  });
  it('disposes a released node at once and forgets it', () => {
    const owner = new NodeOwner();
    const a = owner.own(new Node());
    const b = owner.own(new Node());
    owner.release(a);
    owner.release(a);
    expect([a.disposed, b.disposed, owner.liveCount]).toEqual([1, 0, 1]);
  });
  it('leaves nodes it does not own alone', () => {
    const owner = new NodeOwner();
    const stranger = new Node();
    owner.release(stranger);
    expect(stranger.disposed).toBe(0);
  });
});
