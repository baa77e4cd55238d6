import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { SupergraphManager } from '@apollo/gateway';
import { type Logger, metrics } from '@edgeway/platform';
import { keepOneByteNames } from './oneByteNames.js';
import { type SettledWatchOptions, watchSettled } from './watchFile.js';

export interface SupergraphFileOptions extends SettledWatchOptions {
  logger: Logger;
}

const idOf = (sdl: string) => createHash('sha256').update(sdl).digest('hex').slice(0, 12);

/**
 * Serves the supergraph from a file (SUPERGRAPH_PATH), composed ahead of time so the gateway never
 * introspects subgraphs, and follows the file: a changed file is handed to the gateway, which
 * swaps schema and query planner between requests (in-flight ones finish on the old one). A file
 * the gateway rejects changes nothing: the previous schema stays, the rejection is logged and
 * counted (`edgeway_supergraph_reloads_total{result="error"}`).
 */
export function supergraphFromFile(path: string, options: SupergraphFileOptions): SupergraphManager {
  const { logger } = options;
  return {
    async initialize({ update }) {
      let served = await readFile(path, 'utf8');
      keepOneByteNames(served);
      for (const result of ['success', 'error']) metrics.supergraphReloads.labels(result).inc(0);

      const reload = async () => {
        const next = await readFile(path, 'utf8').catch((error: Error) => error);
        if (next === served) return;
        try {
          if (next instanceof Error) throw next;
          keepOneByteNames(next);
          update(next);
          logger.info({ path, from: idOf(served), to: idOf(next) }, 'supergraph reloaded');
          served = next;
          metrics.supergraphReloads.labels('success').inc();
        } catch (error) {
          metrics.supergraphReloads.labels('error').inc();
          logger.error(
            { path, serving: idOf(served), reason: (error as Error).message },
            'supergraph rejected: still serving the previous one',
          );
        }
      };
      const stop = watchSettled(path, options, reload);

      return {
        supergraphSdl: served,
        cleanup: async () => stop(),
      };
    },
  };
}
