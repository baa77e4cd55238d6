import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors/catalog.js';
import { isGraphQLRoute } from '../graphql/route.js';
import type { Logger } from '../log/logger.js';
import { rateLimitRejections } from '../metrics/index.js';
import { createRateLimitStore } from './rateLimitStore.js';

export interface RateLimitOptions {
  /** The service's name: replicas of one service share a budget, different services do not. */
  service: string;
  /** Requests per window for a signed-in user or an API key without its own budget. @default 600 */
  max: number;
  /** @default 60 */
  windowSec: number;
  /** Requests per window for an anonymous caller, counted by IP. @default 120 */
  anonymousMax: number;
  /** Counters in Redis (shared by replicas) when set, in memory otherwise. */
  redisUrl?: string | undefined;
  logger: Logger;
  /** @default 250 */
  redisTimeoutMs?: number;
}

const CLIENT_KINDS = ['user', 'api_key', 'ip'] as const;
type ClientKind = (typeof CLIENT_KINDS)[number];

/**
 * Who is counted: the token's subject, else the API key's name, else the IP (docs/contract.md §3). A
 * caller whose credentials were refused is counted by IP against the anonymous budget, so forged
 * tokens and guessed keys run out of budget like any other anonymous traffic.
 */
function clientOf(
  req: FastifyRequest,
  options: RateLimitOptions,
  refused: boolean,
): { kind: ClientKind; key: string; budget: number } {
  if (req.principal && !refused) return { kind: 'user', key: `user:${req.principal.sub}`, budget: options.max };
  if (req.apiClient && !refused) {
    return { kind: 'api_key', key: `key:${req.apiClient.name}`, budget: req.apiClient.max ?? options.max };
  }
  return { kind: 'ip', key: `ip:${req.ip}`, budget: options.anonymousMax };
}

export interface RateLimiter {
  /**
   * Counts one request (by IP when `refused`: its credentials failed) and sets the RateLimit-*
   * headers; over the budget it throws 429 `RATE_LIMITED`.
   */
  count(req: FastifyRequest, reply: FastifyReply, refused?: boolean): Promise<void>;
  close(): Promise<void>;
}

/**
 * Per-client rate limiting, after authentication (so a caller is counted by who they are).
 * Every answer carries `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` (seconds);
 * over the budget the answer is 429 `RATE_LIMITED` with `Retry-After`.
 */
export function createRateLimiter(options: RateLimitOptions): RateLimiter {
  const store = createRateLimitStore({
    prefix: `edgeway:rl:${options.service}`,
    windowSec: options.windowSec,
    redisUrl: options.redisUrl,
    logger: options.logger,
    redisTimeoutMs: options.redisTimeoutMs,
  });
  // At 0 from the start, so rate() sees a first burst of 429s.
  for (const kind of CLIENT_KINDS) rateLimitRejections.labels(kind).inc(0);
  return {
    async count(req, reply, refused = false) {
      const client = clientOf(req, options, refused);
      const verdict = await store.consume(client.key, client.budget);
      const resetSec = Math.ceil(verdict.resetMs / 1000);
      reply.header('ratelimit-limit', String(verdict.limit));
      reply.header('ratelimit-remaining', String(verdict.remaining));
      reply.header('ratelimit-reset', String(resetSec));
      if (!verdict.allowed) {
        rateLimitRejections.labels(client.kind).inc();
        throw new AppError('RATE_LIMITED', `Too many requests: retry in ${resetSec} s`, {
          extensions: { retryAfter: Math.max(1, resetSec) },
        });
      }
    },
    close: () => store.close(),
  };
}

/**
 * The rate limit on every GraphQL route (probes, /metrics and CORS preflights are other routes).
 * Install it after `installAuth` and `installApiKeys`; the public edge (`installEdge`) runs the
 * same limiter in one hook with authentication instead, so that refused credentials count too.
 */
export function installRateLimit(app: FastifyInstance, options: RateLimitOptions): void {
  const limiter = createRateLimiter(options);
  app.addHook('onRequest', async (req, reply) => {
    if (isGraphQLRoute(req)) await limiter.count(req, reply);
  });
  app.addHook('onClose', () => limiter.close());
}
