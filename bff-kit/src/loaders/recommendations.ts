import { type Cache, isUpstreamError } from '@edgeway/platform';
import type { Recommendation, RecommendationsClient } from '@edgeway/recommendations/client';
import DataLoader from 'dataloader';
import { asError, traceBatch } from './batch.js';
import type { CallOptions } from './gateway.js';

export interface RecommendationsKey {
  /** A user id (picks) or a upc (related products). */
  id: string;
  limit: number;
}

type Fetch = (id: string, limit: number) => Promise<Recommendation[]>;

/**
 * How long a good answer may stand in when the service fails. Picks change slowly; a day-old
 * list is better than none, and the manifest says it is STALE. @default 24 h
 */
export const LAST_GOOD_TTL_MS = 24 * 60 * 60 * 1000;

/** Calls `fetch`, remembering its answer; on a failure, attaches the last good answer (if any) to the error. */
async function remembered(lastGood: Cache, key: string, fetch: () => Promise<Recommendation[]>) {
  try {
    const items = await fetch();
    void lastGood.set(key, items, LAST_GOOD_TTL_MS);
    return items;
  } catch (error) {
    if (isUpstreamError(error)) error.stale = await lastGood.get<Recommendation[]>(key);
    throw error;
  }
}

/**
 * Recommendations by key. The service has no batch endpoint: distinct keys go out side by side.
 * Every good answer is remembered (for STALE fallbacks), so a screen may also ask what a key was
 * last answered (`lastKnown`) to prefetch what the fresh answer will most likely need.
 */
export class RecommendationsLoader extends DataLoader<RecommendationsKey, Recommendation[], string> {
  readonly #scope: string;
  readonly #lastGood: Cache;

  /** `vary`: the propagated client headers, so a last good answer stands in only for callers who sent the same. */
  constructor(name: string, lastGood: Cache, fetch: Fetch, vary?: string) {
    const scope = vary ? `${name}:${vary}` : name;
    super(
      (keys) => {
        traceBatch('recommendations', keys);
        return Promise.all(
          keys.map((key) =>
            remembered(lastGood, lastGoodKey(scope, key), () => fetch(key.id, key.limit)).catch(asError),
          ),
        );
      },
      { cacheKeyFn: (key) => `${key.id}:${key.limit}`, name },
    );
    this.#scope = scope;
    this.#lastGood = lastGood;
  }

  /** The last good answer for this key, without calling the service; undefined when none was kept. */
  lastKnown(key: RecommendationsKey): Promise<Recommendation[] | undefined> {
    return this.#lastGood.get<Recommendation[]>(lastGoodKey(this.#scope, key));
  }
}

function lastGoodKey(scope: string, key: RecommendationsKey): string {
  return `${scope}:${key.id}:${key.limit}`;
}

/** Picks for a user, best first; the last good picks stand in (STALE) while the service fails. */
export function createPicksLoader(recommendations: RecommendationsClient, call: CallOptions, lastGood: Cache) {
  return new RecommendationsLoader(
    'recommendations.forUser',
    lastGood,
    (userId, limit) => recommendations.forUser(userId, limit, call),
    call.vary,
  );
}

/** Products related to a product, best first; the last good list stands in (STALE) while the service fails. */
export function createRelatedLoader(recommendations: RecommendationsClient, call: CallOptions, lastGood: Cache) {
  return new RecommendationsLoader(
    'recommendations.relatedTo',
    lastGood,
    (upc, limit) => recommendations.relatedTo(upc, limit, call),
    call.vary,
  );
}
