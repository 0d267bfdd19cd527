/**
 * Every Tone node the player creates is registered here, so teardown can dispose all of them and
 * tests can check that nothing was left behind.
 */
export interface Disposable {
  dispose(): unknown;
}

export class NodeOwner {
  #nodes = new Set<Disposable>();

  own<T extends Disposable>(node: T): T {
    this.#nodes.add(node);
    return node;
  }

  /** Disposes one node now (e.g. a Part replaced by a new melody). */
  release(node: Disposable | null | undefined): void {
    if (!node || !this.#nodes.delete(node)) return;
    node.dispose();
  }

  disposeAll(): void {
    for (const node of [...this.#nodes].reverse()) node.dispose();
    this.#nodes.clear();
  }

  get liveCount(): number {
    return this.#nodes.size;
  }
}
