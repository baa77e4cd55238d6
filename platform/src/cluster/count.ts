import { availableParallelism } from 'node:os';
import { z } from 'zod';

/** More workers than this is a typo, not a machine: each one holds a whole gateway in memory. */
const MOST_WORKERS = 256;

/**
 * How many processes serve one port (`GATEWAY_WORKERS`): a whole number, or `auto` for one per
 * core this process may run on (`os.availableParallelism()`, which does not see a container's CPU
 * quota: set a number there). @default 1, one process and no cluster
 */
export const workerCountEnv = z
  .string()
  .trim()
  .regex(/^(auto|\d+)$/, 'expected a whole number of worker processes, or "auto" (one per core)')
  .transform((value) => (value === 'auto' ? availableParallelism() : Number(value)))
  .pipe(
    z
      .number()
      .int()
      .min(1, 'expected at least 1 worker process')
      .max(MOST_WORKERS, `expected at most ${MOST_WORKERS} worker processes`),
  )
  .default(1);
