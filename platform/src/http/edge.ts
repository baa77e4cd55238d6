import type { FastifyInstance } from 'fastify';
import { type ApiKeyEntry, installApiKeys } from '../auth/apiKeys.js';
import { installAuth } from '../auth/hook.js';
import type { TokenVerifier } from '../auth/verify.js';
import { defaultEdgeSecurity, type EdgeSecurityConfig } from '../config/security.js';
import type { OperationLimitOptions } from '../graphql/plugins/limits.js';
import type { Logger } from '../log/logger.js';
import { installCors } from './cors.js';
import { installRateLimit } from './rateLimit.js';
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
 * readable by a browser), load shedding, the bearer token, the API key, then the rate limit, which counts the
 * caller those established. All of it happens before the body is read.
 */
export async function installEdge(app: FastifyInstance, options: EdgeOptions): Promise<void> {
  const { security } = options;
  await installCors(app, security.CORS_ORIGINS);
  // Before the token check: a saturated process refuses before it spends anything on the request.
  await installLoadShedding(app, {
    maxEventLoopDelayMs: security.SHED_MAX_EVENT_LOOP_DELAY_MS,
    sampleIntervalMs: security.SHED_SAMPLE_INTERVAL_MS,
    retryAfterSec: security.SHED_RETRY_AFTER_S,
  });
  installAuth(app, options.verifier);
  if (options.apiKeys) installApiKeys(app, options.apiKeys);
  if (security.RATE_LIMIT_ENABLED) {
    installRateLimit(app, {
      service: options.service,
      max: security.RATE_LIMIT_MAX,
      windowSec: security.RATE_LIMIT_WINDOW_S,
      anonymousMax: security.RATE_LIMIT_ANONYMOUS_MAX,
      redisUrl: options.redisUrl,
      logger: options.logger,
    });
  }
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
