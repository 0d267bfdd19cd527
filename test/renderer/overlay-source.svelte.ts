/** What a model overlay follows in a test, changed by the test as the editor would change it. */
import type { OverlaySource } from '../../renderer/lib/state/model-overlay.svelte';

export class Source {
  current = $state.raw<OverlaySource | null>(null);
}
