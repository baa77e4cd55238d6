import { metrics } from '@edgeway/platform';
import type { BffContext } from './context.js';

/** How long what a screen showed stays a guess worth prefetching on. */
const GUESS_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * Products a screen showed last time, as a guess at what it shows now: work that would wait for
 * the fresh answer (pricing the screen's products) can start beside it. The fresh answer still
 * decides what is shown; `check` counts whether the guess covered it and remembers it for next
 * time.
 */
export interface Guess {
  /** Undefined when the screen has not been shown (to this key) before. */
  upcs: readonly string[] | undefined;
  check(fresh: readonly string[]): void;
}

/** What the screen `prefetch` showed last time for `key` (kept with the last good answers, in Redis with REDIS_URL). */
export async function lastShown(ctx: Pick<BffContext, 'lastKnown'>, prefetch: string, key: string): Promise<Guess> {
  const cacheKey = `${prefetch}:${key}`;
  const upcs = await ctx.lastKnown.get<string[]>(cacheKey);
  return {
    upcs,
    check(fresh) {
      countGuess(prefetch, upcs, fresh);
      if (fresh.join() !== upcs?.join()) void ctx.lastKnown.set(cacheKey, [...fresh], GUESS_TTL_MS);
    },
  };
}

/** Counts (edgeway_prefetch_total) whether a prefetch made on a guess covered what the fresh answer needed. */
export function countGuess(prefetch: string, guessed: readonly string[] | undefined, needed: readonly string[]): void {
  if (guessed === undefined) return;
  const known = new Set(guessed);
  metrics.prefetches.labels(prefetch, needed.every((upc) => known.has(upc)) ? 'hit' : 'miss').inc();
}
