import type { Recommendation, RecommendationsClient } from '@edgeway/recommendations/client';
import DataLoader from 'dataloader';
import { asError } from './batch.js';
import type { Headers } from './gateway.js';

export interface PicksKey {
  userId: string;
  limit: number;
}

/** Picks for a user, best first. The service has no batch endpoint: distinct keys go out side by side. */
export function createPicksLoader(
  recommendations: RecommendationsClient,
  headers: Headers,
): DataLoader<PicksKey, Recommendation[], string> {
  return new DataLoader(
    (keys) =>
      Promise.all(keys.map((key) => recommendations.forUser(key.userId, key.limit, { headers }).catch(asError))),
    { cacheKeyFn: (key) => `${key.userId}:${key.limit}`, name: 'recommendations.forUser' },
  );
}
