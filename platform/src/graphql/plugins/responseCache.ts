import type { ApolloServerPlugin, BaseContext, GraphQLRequestContext } from '@apollo/server';
import responseCachePlugin from '@apollo/server-plugin-response-cache';
import type { KeyValueCache } from '@apollo/utils.keyvaluecache';
import { type Cache, createCache } from '../../cache/index.js';

export interface ResponseCacheOptions<C extends BaseContext> {
  /** Redis when set (replicas share cached answers), else this process's memory. */
  redisUrl?: string | undefined;
  /**
   * Whose answer this is, for data hinted `PRIVATE`: the caller's id, or null for an anonymous
   * caller (private data is then never cached).
   */
  sessionId: (context: C) => string | null;
}

/** Apollo's KeyValueCache (string values, TTL in seconds) over the platform's keyv cache. */
function keyValueCache(cache: Cache): KeyValueCache<string> {
  return {
    get: (key) => cache.get<string>(key),
    set: (key, value, options) => cache.set(key, value, options?.ttl ? options.ttl * 1000 : undefined),
    delete: (key) => cache.delete(key).then(() => true),
  };
}

/**
 * The whole-response cache: Apollo's response-cache plugin, which caches an answer only when the
 * cache hints allow it. The hints come from the subgraphs (each subgraph's `Cache-Control` answer
 * header, from its `@cacheControl` hints): the answer's max-age is the smallest across the plan,
 * PUBLIC answers are shared by everyone, PRIVATE ones are kept per caller (`sessionId`) and never
 * for an anonymous caller. Answers with errors are never stored (the plugin's rule), and the HTTP
 * answer carries the aggregated `Cache-Control` (Apollo's cache-control plugin).
 */
export function responseCache<C extends BaseContext>(options: ResponseCacheOptions<C>): ApolloServerPlugin<C> {
  const cache = createCache({ namespace: 'response', redisUrl: options.redisUrl, byReference: true });
  const plugin = responseCachePlugin<C>({
    cache: keyValueCache(cache),
    sessionId: async ({ contextValue }: GraphQLRequestContext<C>) => options.sessionId(contextValue),
  });
  return {
    ...plugin,
    async serverWillStart(service) {
      const listener = await plugin.serverWillStart?.(service);
      return {
        ...listener,
        async serverWillStop() {
          await listener?.serverWillStop?.();
          await cache.disconnect();
        },
      };
    },
  };
}
