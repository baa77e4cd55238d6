import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../log/logger.js';

/** A service's logger as `createLogger` makes it, whose lines land parsed in `lines` instead of stdout. */
export function capturedLogger(
  service: string,
  level: string,
): { logger: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger({ service, level, destination }), lines };
}
