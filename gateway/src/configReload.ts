import { readFile } from 'node:fs/promises';
import { ConfigError, type Logger, metrics } from '@edgeway/platform';
import type { GatewayFile } from './config/file.js';
import { type SettledWatchOptions, watchSettled } from './watchFile.js';

export interface ConfigWatchOptions extends SettledWatchOptions {
  logger: Logger;
  /** The settings in force, as read at start: the file is compared with them. */
  initial: GatewayFile;
  /** Validates the file's text (`parseGatewayFile`); throws a ConfigError listing every problem. */
  parse(text: string): GatewayFile;
  /** Puts a valid file's reloadable settings in force. */
  apply(file: GatewayFile): void;
}

/** A file's settings in a comparable form (its lists are sets). */
const canonical = (file: GatewayFile) =>
  JSON.stringify(file, (_key, value: unknown) => (value instanceof Set ? [...value] : value));

/** A subgraph's settings other than its canary, which only a restart applies. */
const restartOnly = (file: GatewayFile) =>
  Object.fromEntries(
    Object.entries(file.subgraphs ?? {}).map(([name, { canary: _canary, ...rest }]) => [name, JSON.stringify(rest)]),
  );

/**
 * Follows the gateway's configuration file (`GATEWAY_CONFIG`) while it runs. A valid change is
 * applied between fetches (a fetch in flight finishes where it started); an invalid one changes
 * nothing: every problem is logged, the settings in force stay, and
 * `edgeway_config_reloads_total{result="error"}` counts it. Canaries are reloaded; a change to
 * any other subgraph setting is logged as waiting for a restart (policies and pools are built
 * once per subgraph).
 */
export function watchConfigFile(path: string, options: ConfigWatchOptions): { close(): void } {
  const { logger } = options;
  for (const result of ['success', 'error']) metrics.configReloads.labels(result).inc(0);
  // The file as last applied (its text unknown at first: main.ts read it).
  let served: { text: string | undefined; file: GatewayFile } = { text: undefined, file: options.initial };

  const reload = async () => {
    const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => error);
    if (typeof text === 'string' && text === served.text) return;
    try {
      if (typeof text !== 'string') throw new ConfigError([`cannot read ${path} (${text.code ?? text.message})`]);
      const file = options.parse(text);
      // Only comments or layout changed (or nothing since main.ts read it): nothing to apply.
      if (canonical(file) === canonical(served.file)) {
        served = { text, file };
        return;
      }
      options.apply(file);
      const before = restartOnly(served.file);
      const after = restartOnly(file);
      const waiting = Object.keys({ ...before, ...after }).filter((name) => before[name] !== after[name]);
      if (waiting.length > 0) {
        logger.warn(
          { path, subgraphs: waiting },
          'configuration: settings other than canary apply at the next restart',
        );
      }
      metrics.configReloads.labels('success').inc();
      logger.info({ path }, 'configuration reloaded');
      served = { text, file };
    } catch (error) {
      metrics.configReloads.labels('error').inc();
      const problems = error instanceof ConfigError ? error.problems : [(error as Error).message];
      logger.error({ path, problems }, 'configuration rejected: keeping the settings in force');
    }
  };
  const stop = watchSettled(path, options, reload);
  return { close: stop };
}
