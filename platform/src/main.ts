import { ConfigError } from './config/index.js';

/**
 * Runs a service's `main`, turning a bad configuration into one readable message and exit 1
 * instead of a stack trace.
 */
export function startService(main: () => Promise<unknown>): void {
  main().catch((error: unknown) => {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
    } else {
      process.stderr.write(`fatal: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    }
    process.exit(1);
  });
}
