import { type Logger, pino } from 'pino';
import { workerSlot } from '../cluster/worker.js';
import { SENSITIVE_NAMES } from './sensitive.js';

export type { Logger };
export { SENSITIVE_NAMES };

const key = (name: string) => (/^[a-z_]+$/.test(name) ? name : `["${name}"]`);
const member = (name: string) => (/^[a-z_]+$/.test(name) ? `.${name}` : `["${name}"]`);

/** Paths never written to a log line: credentials and anything that carries them. */
export const REDACT_PATHS = SENSITIVE_NAMES.flatMap((name) => [
  key(name),
  ...['*', '*.headers', '*.variables'].map((at) => at + member(name)),
]);

export function createLogger(options: {
  service: string;
  level: string;
  destination?: pino.DestinationStream;
}): Logger {
  return pino(
    {
      name: options.service,
      level: options.level,
      // In worker mode each line says which worker wrote it (1..N, as the process metrics do).
      base: { service: options.service, ...(workerSlot() ? { worker: workerSlot() } : {}) },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination,
  );
}
