/**
 * A scripted MIDIAccess for tests: inputs that send the messages a test gives them, plugged in and
 * out on demand (with the statechange events a browser fires), counting their listeners so tests
 * can check nothing is left listening.
 */
class FakeInput extends EventTarget {
  readonly type = 'input';
  state: 'connected' | 'disconnected' = 'connected';
  #listeners = 0;
  constructor(
    readonly id: string,
    readonly name: string,
  ) {
    super();
  }
  get listeners(): number {
    return this.#listeners;
  }
  override addEventListener(type: string, listener: EventListenerOrEventListenerObject | null): void {
    if (type === 'midimessage') this.#listeners++;
    super.addEventListener(type, listener);
  }
  override removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null): void {
    if (type === 'midimessage') this.#listeners--;
    super.removeEventListener(type, listener);
  }
  send(data: number[], timeStamp: number): void {
    const event = new Event('midimessage');
    Object.defineProperty(event, 'data', { value: new Uint8Array(data) });
    Object.defineProperty(event, 'timeStamp', { value: timeStamp });
    this.dispatchEvent(event);
  }
}

export class FakeMidiAccess extends EventTarget {
  readonly inputs = new Map<string, FakeInput>();
  readonly #all = new Map<string, FakeInput>();
  stateListeners = 0;
  constructor(devices: { id: string; name: string }[]) {
    super();
    for (const d of devices) this.#add(d);
  }
  override addEventListener(type: string, listener: EventListenerOrEventListenerObject | null): void {
    if (type === 'statechange') this.stateListeners++;
    super.addEventListener(type, listener);
  }
  override removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null): void {
    if (type === 'statechange') this.stateListeners--;
    super.removeEventListener(type, listener);
  }
  #add(d: { id: string; name: string }): FakeInput {
    const input = new FakeInput(d.id, d.name);
    this.inputs.set(d.id, input);
    this.#all.set(d.id, input);
    return input;
  }
  input(id: string): FakeInput {
    const input = this.#all.get(id);
    if (!input) throw new Error(`no fake input ${id}`);
    return input;
  }
  plug(d: { id: string; name: string }): void {
    this.#add(d);
    this.dispatchEvent(new Event('statechange'));
  }
  unplug(id: string): void {
    const input = this.input(id);
    input.state = 'disconnected';
    this.inputs.delete(id);
    this.dispatchEvent(new Event('statechange'));
  }
}
