import type { Recommendation, RecommendationsClient } from '@edgeway/recommendations/client';
import DataLoader from 'dataloader';
import { asError } from './batch.js';
import type { Headers } from './gateway.js';

export interface RecommendationsKey {
  /** A user id (picks) or a upc (related products). */
  id: string;
  limit: number;
}

type Fetch = (id: string, limit: number) => Promise<Recommendation[]>;

// The service has no batch endpoint: distinct keys go out side by side.
function createLoader(name: string, fetch: Fetch): DataLoader<RecommendationsKey, Recommendation[], string> {
  return new DataLoader((keys) => Promise.all(keys.map((key) => fetch(key.id, key.limit).catch(asError))), {
    cacheKeyFn: (key) => `${key.id}:${key.limit}`,
    name,
  });
}

/** Picks for a user, best first. */
export function createPicksLoader(recommendations: RecommendationsClient, headers: Headers) {
  return createLoader('recommendations.forUser', (userId, limit) =>
    recommendations.forUser(userId, limit, { headers }),
  );
}

/** Products related to a product, best first. */
export function createRelatedLoader(recommendations: RecommendationsClient, headers: Headers) {
  return createLoader('recommendations.relatedTo', (upc, limit) => recommendations.relatedTo(upc, limit, { headers }));
}
