import { createRequire } from 'node:module';
import type KeyvRedis from '@keyv/redis';
import Keyv from 'keyv';
import { cacheRequests } from '../metrics/index.js';
import { spanEvent } from '../telemetry/trace.js';

export interface CacheOptions {
  /** Keys of different uses never collide: each gets its own namespace. */
  namespace: string;
  /** Redis when set (shared by replicas), else this process's memory. */
  redisUrl?: string | undefined;
  /** Time to live when `set` is given none. @default 60000 */
  defaultTtlMs?: number;
  /** Most entries kept in memory (the oldest go first); Redis bounds itself. @default 10000 */
  maxEntries?: number;
  /** Most bytes of string values kept in memory (the oldest go first). @default 64 MiB */
  maxBytes?: number;
  /**
   * In memory, keep values as given instead of serializing them on every write and read (for
   * immutable values such as strings: a cached 90 KB answer is then not copied twice per hit).
   */
  byReference?: boolean;
  /** In memory, what a value costs in bytes, for `maxBytes`. @default a string's length, else 64 */
  sizeOf?: (value: unknown) => number;
}

export interface Cache {
  get<T>(key: string): Promise<T | undefined>;
  /** The value of the first of `keys` that has one (looked up in order), counted as ONE hit or miss. */
  getFirst<T>(keys: readonly string[]): Promise<T | undefined>;
  set<T>(key: string, value: T, ttlMs?: number): Promise<void>;
  delete(key: string): Promise<void>;
  disconnect(): Promise<void>;
}

// The Redis client (about 400 modules) is loaded only by a service given a REDIS_URL: the others
// started it for nothing.
const require = createRequire(import.meta.url);
const redisStore = (url: string) =>
  new (require('@keyv/redis') as { default: typeof KeyvRedis }).default(url, { throwOnConnectError: false });

/** Roughly what a stored value costs by default: its string's length. */
function stringSize(value: unknown): number {
  return typeof value === 'string' ? value.length : 64;
}

/** A Map that forgets its oldest entries when full (entries or bytes), so a memory cache stays bounded. */
class BoundedMap<K, V> extends Map<K, V> {
  readonly #maxEntries: number;
  readonly #maxBytes: number;
  readonly #sizeOfValue: (value: unknown) => number;
  #bytes = 0;
  constructor(maxEntries: number, maxBytes: number, sizeOfValue: (value: unknown) => number) {
    super();
    this.#maxEntries = maxEntries;
    this.#maxBytes = maxBytes;
    this.#sizeOfValue = sizeOfValue;
  }
  // keyv stores `{ value, expires }` (or its serialized string).
  #sizeOf(key: K, stored: V): number {
    const inner = typeof stored === 'object' && stored !== null && 'value' in stored ? stored.value : stored;
    return (typeof key === 'string' ? key.length : 0) + this.#sizeOfValue(inner);
  }
  override set(key: K, value: V): this {
    this.delete(key);
    this.#bytes += this.#sizeOf(key, value);
    super.set(key, value);
    while (this.size > 0 && (this.size > this.#maxEntries || this.#bytes > this.#maxBytes)) {
      this.delete(this.keys().next().value as K);
    }
    return this;
  }
  override delete(key: K): boolean {
    if (!this.has(key)) return false;
    this.#bytes -= this.#sizeOf(key, this.get(key) as V);
    return super.delete(key);
  }
  override clear(): void {
    this.#bytes = 0;
    super.clear();
  }
}

/**
 * A small TTL cache on keyv: in memory by default, in Redis when REDIS_URL is set. A cache is an
 * optimisation, so a failing store reads as a miss and a failed write is dropped, never an error.
 */
export function createCache(options: CacheOptions): Cache {
  const keyv = new Keyv({
    namespace: options.namespace,
    ttl: options.defaultTtlMs ?? 60_000,
    ...(options.redisUrl
      ? { store: redisStore(options.redisUrl) }
      : {
          store: new BoundedMap(
            options.maxEntries ?? 10_000,
            options.maxBytes ?? 64 * 1024 * 1024,
            // Serialized values are strings; only values kept by reference have other shapes.
            (options.byReference && options.sizeOf) || stringSize,
          ),
          ...(options.byReference ? { serialize: undefined, deserialize: undefined } : {}),
        }),
  });
  keyv.on('error', () => undefined);
  // At 0 from the start, so the hit ratio is defined before the first lookup of each kind.
  for (const result of ['hit', 'miss']) cacheRequests.labels(options.namespace, result).inc(0);
  const read = async <T>(key: string) => (await keyv.get<T>(key).catch(() => undefined)) ?? undefined;
  const counted = <T>(value: T | undefined) => {
    const result = value === undefined ? 'miss' : 'hit';
    cacheRequests.labels(options.namespace, result).inc();
    spanEvent(`cache.${result}`, { cache: options.namespace });
    return value;
  };
  return {
    async get<T>(key: string) {
      return counted(await read<T>(key));
    },
    async getFirst<T>(keys: readonly string[]) {
      for (const key of keys) {
        const value = await read<T>(key);
        if (value !== undefined) return counted(value);
      }
      return counted<T>(undefined);
    },
    async set(key, value, ttlMs) {
      await keyv.set(key, value, ttlMs).catch(() => undefined);
    },
    async delete(key) {
      await keyv.delete(key).catch(() => undefined);
    },
    disconnect: () => keyv.disconnect().catch(() => undefined),
  };
}
