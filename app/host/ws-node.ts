/**
 * The `ws` package, always its Node build. Its package exports map the 'browser' condition to a stub
 * without a server, and our unit-test runner runs Node with that condition (vitest with
 * @testing-library/svelte's plugin), so we resolve ws's Node entry by file path instead of by name.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import type WebSocketClient from 'ws';
import type { WebSocketServer as WebSocketServerValue } from 'ws';

const require = createRequire(import.meta.url);
const wsDir = path.dirname(require.resolve('ws/package.json'));
const wsNode = require(path.join(wsDir, 'index.js')) as {
  WebSocket: typeof WebSocketClient;
  WebSocketServer: typeof WebSocketServerValue;
};

export const { WebSocket, WebSocketServer } = wsNode;
