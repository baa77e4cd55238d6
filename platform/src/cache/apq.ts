import type { Cache } from './index.js';

/** The KeyValueCache shape Apollo Server's `persistedQueries.cache` takes (ttl in seconds). */
export interface PersistedQueryStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, options?: { ttl?: number | null }): Promise<void>;
  delete(key: string): Promise<boolean | void>;
}

/**
 * Automatic persisted queries kept in the platform cache, so with REDIS_URL every replica knows
 * a query any replica has seen. Entries live a day unless Apollo says otherwise: a client
 * re-registers a query it finds missing, so expiry costs one extra round trip, never an error.
 */
export function persistedQueryStore(cache: Cache, defaultTtlSec = 86_400): PersistedQueryStore {
  return {
    get: (key) => cache.get<string>(key),
    set: (key, value, options) => cache.set(key, value, (options?.ttl ?? defaultTtlSec) * 1000),
    delete: (key) => cache.delete(key),
  };
}
