// undici's dispatchers and request API, loaded from their own modules rather than from undici's
// index. The index also loads fetch, WebSocket, EventSource, the cache and mock agents, and, by
// reading `globalThis.Headers` as it loads, Node's own bundled copy of undici (which Node 24 loads
// anyway for any ESM import of node:http): about 5 MB of live heap on Node 20 in a service that
// uses none of them, which V8 lets grow to about four times as much under load
// (docs/performance.md, step 21). The paths are undici's files at the exact version pinned
// in package.json; `undici.test.ts` checks that they are the very classes the index exports, so
// an upgrade that moves them fails the tests, not production.
import { createRequire } from 'node:module';
import type * as Undici from 'undici';

const require = createRequire(import.meta.url);

const Dispatcher = require('undici/lib/dispatcher/dispatcher.js') as { prototype: object };
// What undici's index does as it loads: every dispatcher gets `request()`, `stream()`, `pipeline()`,
// `connect()` and `upgrade()` (assigning the same functions again, as a loaded index would, is harmless).
Object.assign(Dispatcher.prototype, require('undici/lib/api/index.js') as object);

export const Agent = require('undici/lib/dispatcher/agent.js') as typeof Undici.Agent;
export const Client = require('undici/lib/dispatcher/client.js') as typeof Undici.Client;
export const Pool = require('undici/lib/dispatcher/pool.js') as typeof Undici.Pool;
export const errors = require('undici/lib/core/errors.js') as typeof Undici.errors;
export type { Dispatcher } from 'undici';
