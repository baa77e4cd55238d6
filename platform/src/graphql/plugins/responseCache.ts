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

/** Largest variables (as JSON) an answer is cached under: bigger ones are not worth a key. */
const MAX_KEY_VARIABLES = 16 * 1024;
const keyableVariables = new WeakMap<object, boolean>();

/**
 * Whether the request's variables can be part of a cache key. The key is their JSON: variables
 * nested deeper than the JSON serializer's stack (a hostile client's `[[[[...]]]]`) or very large
 * ones are simply not cached, and the request goes on to get its own answer (a coded error).
 */
function keyable(variables: Record<string, unknown> | undefined): boolean {
  if (!variables) return true;
  let known = keyableVariables.get(variables);
  if (known === undefined) {
    try {
      known = JSON.stringify(variables).length <= MAX_KEY_VARIABLES;
    } catch {
      known = false;
    }
    keyableVariables.set(variables, known);
  }
  return known;
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
    shouldReadFromCache: async (context) => keyable(context.request.variables),
    shouldWriteToCache: async (context) => keyable(context.request.variables),
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
