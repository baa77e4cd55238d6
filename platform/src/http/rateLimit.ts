import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors/catalog.js';
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
  /** Routes that are limited; probes and /metrics never are. @default ['/graphql'] */
  paths?: readonly string[];
  /** @default 250 */
  redisTimeoutMs?: number;
}

const CLIENT_KINDS = ['user', 'api_key', 'ip'] as const;
type ClientKind = (typeof CLIENT_KINDS)[number];

/** Who is counted: the token's subject, else the API key's name, else the IP (docs/contract.md §3). */
function clientOf(req: FastifyRequest, options: RateLimitOptions): { kind: ClientKind; key: string; budget: number } {
  if (req.principal) return { kind: 'user', key: `user:${req.principal.sub}`, budget: options.max };
  if (req.apiClient) {
    return { kind: 'api_key', key: `key:${req.apiClient.name}`, budget: req.apiClient.max ?? options.max };
  }
  return { kind: 'ip', key: `ip:${req.ip}`, budget: options.anonymousMax };
}

/**
 * Per-client rate limiting on the GraphQL route, after authentication (so a caller is counted
 * by who they are). Every answer carries `RateLimit-Limit`, `RateLimit-Remaining` and
 * `RateLimit-Reset` (seconds); over the budget the answer is 429 `RATE_LIMITED` with
 * `Retry-After`. Install it after `installAuth` and `installApiKeys`.
 */
export function installRateLimit(app: FastifyInstance, options: RateLimitOptions): void {
  const paths = options.paths ?? ['/graphql'];
  const store = createRateLimitStore({
    prefix: `edgeway:rl:${options.service}`,
    windowSec: options.windowSec,
    redisUrl: options.redisUrl,
    logger: options.logger,
    redisTimeoutMs: options.redisTimeoutMs,
  });
  // At 0 from the start, so rate() sees a first burst of 429s.
  for (const kind of CLIENT_KINDS) rateLimitRejections.labels(kind).inc(0);
  app.addHook('onRequest', async (req, reply) => {
    // CORS preflights carry no credentials and do no work.
    if (req.method === 'OPTIONS' || !paths.includes(req.url.split('?')[0] ?? '')) return;
    const client = clientOf(req, options);
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
  });
  app.addHook('onClose', () => store.close());
}
