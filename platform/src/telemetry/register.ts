// Loaded with `node --import @edgeway/platform/telemetry/register dist/main.js` (development:
// the same from src with tsx): the ESM hook must be in place, and the SDK started, before the app
// imports anything it instruments, or spans split into separate traces.
import { register } from 'node:module';
import { createAddHookMessageChannel } from 'import-in-the-middle';
import { startTelemetry } from './sdk.js';

// The ESM hook wraps only the modules an instrumentation asks for (they say so over this
// channel as the SDK starts). Wrapping every module, the hook's default, cost each service
// ~30 MB of memory and its start-up time for modules nothing instruments.
const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
register('import-in-the-middle/hook.mjs', import.meta.url, registerOptions);
startTelemetry();
await waitForAllMessagesAcknowledged();
