import { createHash } from 'node:crypto';
import { unwatchFile, watchFile } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { SupergraphManager } from '@apollo/gateway';
import { type Logger, metrics } from '@edgeway/platform';
import { keepOneByteNames } from './oneByteNames.js';

export interface SupergraphFileOptions {
  logger: Logger;
  /**
   * How often the file's metadata is checked. Polling (`fs.watchFile`), not `fs.watch`: it sees a
   * file replaced by rename (editors, `mv`) and a Kubernetes ConfigMap's symlink swap alike.
   * @default 1000
   */
  pollIntervalMs?: number;
  /** Quiet time after a change before the file is read, so a file written in steps is read whole. @default 200 */
  settleMs?: number;
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
      let settle: NodeJS.Timeout | undefined;

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
      const onChange = () => {
        clearTimeout(settle);
        settle = setTimeout(() => void reload(), options.settleMs ?? 200);
      };
      watchFile(path, { interval: options.pollIntervalMs ?? 1000, persistent: false }, onChange);
      // A change written between the first read and the watcher's first look would otherwise be
      // taken as the watcher's starting point and never seen: look once more after it started.
      onChange();

      return {
        supergraphSdl: served,
        cleanup: async () => {
          unwatchFile(path, onChange);
          clearTimeout(settle);
        },
      };
    },
  };
}
