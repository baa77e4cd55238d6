import { metrics } from '@edgeway/platform';
import type { BffContext } from './context.js';
import type { RecommendationsKey } from './loaders/recommendations.js';

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

/** A screen's guess at its products: what it showed last time, priced at once. */
export interface ScreenGuess {
  /** The products (but picks) it showed last time: `check` them against the fresh list. */
  shown: Guess | undefined;
  /** The upcs of the picks the caller was last given; undefined when none were kept. */
  picks: readonly string[] | undefined;
  /** The screen's one pricing call, already started on the guess (empty without a whole guess). */
  priced: Promise<unknown>;
  /** Whether that call prices every one of `upcs`. */
  covers(upcs: readonly string[]): boolean;
  /** Counts whether the picks guess covered the fresh picks. */
  checkPicks(fresh: readonly string[]): void;
}

/**
 * Starts a screen's ONE pricing call on a guess: the products screen `name` showed for `key`
 * last time (`${name}.${shown}`) and the caller's last picks. Only a whole guess is priced: half
 * of one would make a second pricing call once the rest is known. The screen then loads the
 * fresh upcs from the same price loader; what the guess covered is memoized.
 */
export async function guessScreen(
  ctx: Pick<BffContext, 'lastKnown' | 'loaders'>,
  options: { name: string; shown: string; key: string; picks: RecommendationsKey | undefined; withPrices: boolean },
): Promise<ScreenGuess> {
  const { name, picks: picksKey, withPrices } = options;
  const [shown, lastPicks] = await Promise.all([
    withPrices ? lastShown(ctx, `${name}.${options.shown}`, options.key) : undefined,
    picksKey ? ctx.loaders.picks.lastKnown(picksKey) : undefined,
  ]);
  const picks = lastPicks?.map((pick) => pick.upc);
  const whole = shown?.upcs && (!picksKey || picks) ? [...shown.upcs, ...(picks ?? [])] : [];
  return {
    shown,
    picks,
    priced: whole.length > 0 ? ctx.loaders.prices.loadMany(whole) : Promise.resolve([]),
    covers: (upcs) => {
      const priced = new Set(whole);
      return upcs.every((upc) => priced.has(upc));
    },
    checkPicks: (fresh) => countGuess(`${name}.picks`, picks, fresh),
  };
}
