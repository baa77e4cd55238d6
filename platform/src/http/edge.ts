import type { FastifyInstance } from 'fastify';
import { type ApiKeyEntry, createApiKeyVerifier, identifyApiKey } from '../auth/apiKeys.js';
import { authenticate } from '../auth/hook.js';
import type { TokenVerifier } from '../auth/verify.js';
import { defaultEdgeSecurity, type EdgeSecurityConfig } from '../config/security.js';
import type { OperationLimitOptions } from '../graphql/plugins/limits.js';
import type { Logger } from '../log/logger.js';
import { configureClientNames } from '../metrics/labels.js';
import { installAdmission } from './admission.js';
import { installCors } from './cors.js';
import { isGraphQLRoute } from '../graphql/route.js';
import { createRateLimiter } from './rateLimit.js';
import { installLoadShedding } from './shed.js';

export interface EdgeOptions {
  /** Names the rate-limit counters: replicas of one service share them. */
  service: string;
  security: EdgeSecurityConfig;
  verifier: TokenVerifier;
  /** Server-to-server consumers (`x-api-key`); the gateway has them, BFFs do not. */
  apiKeys?: readonly ApiKeyEntry[] | undefined;
  /** Shared rate-limit counters when set. */
  redisUrl?: string | undefined;
  logger: Logger;
}

/**
 * The public edge's request checks, in the order they must run: CORS (so even a refusal is
 * readable by a browser), load shedding, then, on every GraphQL route, the bearer token, the API key and the
 * rate limit, which counts the caller those established, or the caller's IP when they refused
 * its credentials (a forged token costs budget like any other request). All of it happens
 * before the body is read, and decides by the route the router chose, never by the URL string.
 */
export async function installEdge(app: FastifyInstance, options: EdgeOptions): Promise<void> {
  const { security, verifier } = options;
  configureClientNames(security.METRICS_CLIENT_NAMES);
  await installCors(app, security.CORS_ORIGINS);
  // Before the token check: a saturated process refuses before it spends anything on the request.
  await installLoadShedding(app, {
    maxEventLoopDelayMs: security.SHED_MAX_EVENT_LOOP_DELAY_MS,
    sampleIntervalMs: security.SHED_SAMPLE_INTERVAL_MS,
    retryAfterSec: security.SHED_RETRY_AFTER_S,
  });
  const apiKeys = options.apiKeys && createApiKeyVerifier(options.apiKeys);
  const limiter = security.RATE_LIMIT_ENABLED
    ? createRateLimiter({
        service: options.service,
        max: security.RATE_LIMIT_MAX,
        windowSec: security.RATE_LIMIT_WINDOW_S,
        anonymousMax: security.RATE_LIMIT_ANONYMOUS_MAX,
        redisUrl: options.redisUrl,
        logger: options.logger,
      })
    : undefined;
  app.addHook('onRequest', async (req, reply) => {
    if (!isGraphQLRoute(req)) return;
    let refusal: unknown;
    try {
      await authenticate(req, reply, verifier);
      if (apiKeys) identifyApiKey(req, reply, apiKeys);
    } catch (error) {
      refusal = error;
    }
    await limiter?.count(req, reply, refusal !== undefined);
    if (refusal !== undefined) throw refusal;
  });
  // After the token and the rate limit (a refused caller never takes a place), before the body.
  installAdmission(
    app,
    {
      limit: security.CONCURRENCY_LIMIT,
      queueMax: security.CONCURRENCY_QUEUE_MAX,
      queueTimeoutMs: security.CONCURRENCY_QUEUE_TIMEOUT_MS,
      retryAfterSec: security.SHED_RETRY_AFTER_S,
    },
    isGraphQLRoute,
  );
  if (limiter) app.addHook('onClose', () => limiter.close());
}

/** The settings, with defaults for whatever `config` leaves out (tests pass a partial config). */
export function edgeSecurityOf(config: Partial<EdgeSecurityConfig>): EdgeSecurityConfig {
  const security: Record<string, unknown> = { ...defaultEdgeSecurity() };
  for (const key of Object.keys(security)) {
    const value = (config as Record<string, unknown>)[key];
    if (value !== undefined) security[key] = value;
  }
  return security as EdgeSecurityConfig;
}

/** The operation limits a GraphQL server at the edge enforces. */
export function operationLimitsOf(security: EdgeSecurityConfig): Omit<OperationLimitOptions, 'production'> {
  return {
    maxDepth: security.MAX_DEPTH,
    maxAliases: security.MAX_ALIASES,
    maxTokens: security.MAX_TOKENS,
    maxDirectives: security.MAX_DIRECTIVES,
    maxCost: security.MAX_COST,
    maxCostApiKey: security.MAX_COST_API_KEY,
  };
}
