/**
 * Startup: find the API (Electron's preload or the browser host's WebSocket) and mount the app.
 * Tone.js is loaded only when audio is first needed.
 */
import { mount } from 'svelte';
import App from './App.svelte';
import { pickApi } from './lib/api/pick-api';
import { AppState } from './lib/state/app.svelte';
import './app.css';

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');
const choice = pickApi(window);

if (!choice.ok) {
  const message = document.createElement('p');
  message.className = 'fatal';
  message.textContent = choice.problem;
  target.append(message);
} else {
  // Web MIDI where the browser has it (Chromium, Electron); the app says so in words where not.
  const requestMidi =
    typeof navigator.requestMIDIAccess === 'function'
      ? (options: MIDIOptions) => navigator.requestMIDIAccess(options)
      : null;
  const app = new AppState(
    choice.api,
    async (onEnded) => (await import('./lib/audio/tone-audio')).loadToneAudio(onEnded),
    requestMidi,
  );
  mount(App, { target, props: { app } });
  // End-to-end tests reach the live app state through this handle; it exists only when asked for.
  if (new URLSearchParams(location.search).has('e2e')) {
    (window as unknown as { __continuo: AppState }).__continuo = app;
  }
}
