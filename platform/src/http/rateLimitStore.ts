import { createRequire } from 'node:module';
import type { createClient } from '@redis/client';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Logger } from '../log/logger.js';
import { rateLimitFallbacks } from '../metrics/index.js';

/** One request's verdict: allowed or not, with what the RateLimit-* headers say. */
export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Until the window resets. */
  resetMs: number;
}

export interface RateLimitStoreOptions {
  /** Counter namespace: replicas that share it share one budget. */
  prefix: string;
  windowSec: number;
  /** Shared counters in Redis when set, this process's memory otherwise. */
  redisUrl?: string | undefined;
  logger: Logger;
  /** Longest wait for Redis before the local counters decide instead. @default 250 */
  redisTimeoutMs?: number;
}

export interface RateLimitStore {
  /** Counts one request of `key` against a budget of `points` per window. */
  consume(key: string, points: number): Promise<RateDecision>;
  close(): Promise<void>;
}

type RedisClient = ReturnType<typeof createClient>;

// The Redis client (about 400 modules) is loaded only when counters are shared.
const require = createRequire(import.meta.url);

function decision(res: RateLimiterRes, points: number, allowed: boolean): RateDecision {
  return {
    allowed,
    limit: points,
    remaining: Math.max(0, res.remainingPoints),
    resetMs: Math.max(0, res.msBeforeNext),
  };
}

/**
 * Fixed-window counters (rate-limiter-flexible): in Redis when `redisUrl` is set, so replicas
 * share one budget exactly, with in-memory counters as the insurance limiter. A rate limiter
 * protects the service; it must never be the reason a request fails, so while Redis is
 * unreachable (not connected, erroring, or slower than `redisTimeoutMs`) each replica counts
 * locally, says so once in the log, and counts every such decision in
 * `edgeway_rate_limit_fallback_total`.
 */
export function createRateLimitStore(options: RateLimitStoreOptions): RateLimitStore {
  const { prefix, windowSec } = options;
  const timeoutMs = options.redisTimeoutMs ?? 250;
  let client: RedisClient | undefined;
  if (options.redisUrl) {
    client = (require('@redis/client') as { createClient: typeof createClient }).createClient({
      url: options.redisUrl,
      // Fail at once while disconnected instead of queueing: the local counters take over.
      disableOfflineQueue: true,
      socket: { connectTimeout: 1000, reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 2000) },
    });
    client.on('error', () => undefined);
    client.connect().catch(() => undefined);
  }
  const limiters = new Map<number, { memory: RateLimiterMemory; redis?: RateLimiterRedis }>();
  const limiterFor = (points: number) => {
    let pair = limiters.get(points);
    if (!pair) {
      const common = { points, duration: windowSec, keyPrefix: prefix };
      pair = {
        memory: new RateLimiterMemory(common),
        ...(client
          ? {
              redis: new RateLimiterRedis({
                ...common,
                storeClient: client,
                useRedisPackage: true,
                rejectIfRedisNotReady: true,
              }),
            }
          : {}),
      };
      limiters.set(points, pair);
    }
    return pair;
  };

  let degraded = false;
  const fallBack = (error: unknown) => {
    rateLimitFallbacks.inc();
    if (degraded) return;
    degraded = true;
    options.logger.warn(
      { err: { message: error instanceof Error ? error.message : String(error) } },
      'rate limiter: Redis unreachable, counting locally until it is back',
    );
  };

  const inTime = <T>(promise: Promise<T>) => {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
  };

  const consumeIn = async (limiter: RateLimiterMemory | RateLimiterRedis, key: string, points: number) => {
    try {
      const consumed = limiter.consume(key);
      return decision(await (limiter instanceof RateLimiterRedis ? inTime(consumed) : consumed), points, true);
    } catch (error) {
      if (error instanceof RateLimiterRes) return decision(error, points, false);
      throw error;
    }
  };

  return {
    async consume(key, points) {
      const pair = limiterFor(points);
      if (pair.redis) {
        try {
          const result = await consumeIn(pair.redis, key, points);
          if (degraded) {
            degraded = false;
            options.logger.info('rate limiter: Redis is back, budgets are shared again');
          }
          return result;
        } catch (error) {
          fallBack(error);
        }
      }
      return consumeIn(pair.memory, key, points);
    },
    async close() {
      if (!client?.isOpen) return;
      // While Redis is down a graceful close would wait for a reconnection that may never come.
      if (client.isReady) await client.close().catch(() => client?.destroy());
      else client.destroy();
    },
  };
}
