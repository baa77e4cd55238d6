import { isUpstreamError, withStale } from '@edgeway/platform';
import type { Recommendation } from '@edgeway/recommendations/client';

/**
 * The picks a screen can build on: the fresh ones, or, while the service fails, the last good
 * ones the loader attached to its error (see loaders/recommendations.ts); else none.
 */
export function usablePicks(settled: PromiseSettledResult<Recommendation[]>): Recommendation[] {
  if (settled.status === 'fulfilled') return settled.value;
  const stale = isUpstreamError(settled.reason) ? settled.reason.stale : undefined;
  return Array.isArray(stale) ? (stale as Recommendation[]) : [];
}

/**
 * Throws the picks' failure, if any. When the screen could build `cards` from the last good
 * picks, they travel with the error so the field's fallback serves them (STALE) instead of [].
 */
export function throwIfPicksFailed<T>(settled: PromiseSettledResult<unknown>, cards: T): void {
  if (settled.status === 'fulfilled') return;
  const reason: unknown = settled.reason;
  if (isUpstreamError(reason) && reason.stale !== undefined) throw withStale(reason, cards);
  throw reason;
}

/** A promise's outcome, as `Promise.allSettled` gives it, for a screen that starts calls before it awaits them. */
export function settle<T>(promise: Promise<T>): Promise<PromiseSettledResult<T>> {
  return promise.then(
    (value) => ({ status: 'fulfilled', value }),
    (reason: unknown) => ({ status: 'rejected', reason }),
  );
}
