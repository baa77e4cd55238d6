// Loaded with `node --import tsx --import @edgeway/platform/telemetry/register src/main.ts`:
// the ESM hook must be in place, and the SDK started, before the app imports anything it
// instruments, or spans split into separate traces.
// First, before any other module is evaluated: see productionSourceMaps.ts.
import './productionSourceMaps.js';
import { register } from 'node:module';
import { startTelemetry } from './sdk.js';

register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);
startTelemetry();
