import { z } from 'zod';
import { edgeSecurityEnv } from './security.js';

export { z };

/** Every problem in the environment at once, so an operator fixes them in one go. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);
const url = z.url({ protocol: /^https?$/ });
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'])
  .transform((v) => ['true', '1', 'yes', 'on'].includes(v));

/** Variables every service reads (docs/contract.md §2). */
export const commonEnv = (defaultPort: number) => ({
  PORT: port(defaultPort),
  HOST: z.string().min(1).default('127.0.0.1'),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Longest wait on SIGTERM for in-flight requests before exiting anyway (runServer). */
  DRAIN_TIMEOUT_MS: z.coerce.number().int().positive().max(600_000).default(10_000),
  /** When set, /metrics and /health/dependencies are served on this port only (runServer). */
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
});

/** Variables of the public edge: gateway and BFFs. */
export const edgeEnv = {
  JWKS_URL: url.default('http://127.0.0.1:4300/.well-known/jwks.json'),
  JWT_ISSUER: z.string().min(1).default('http://127.0.0.1:4300'),
  JWT_AUDIENCE: z.string().min(1).default('edgeway'),
  UPSTREAM_TIMEOUT_MS: z.coerce.number().int().positive().max(120_000).default(2000),
  BREAKER_HALF_OPEN_AFTER_MS: z.coerce.number().int().positive().default(10_000),
  CHAOS_ENABLED: bool.optional(),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  ...edgeSecurityEnv,
};

export const envTypes = { port, url, bool };

/**
 * Reads and validates the environment once. Empty strings count as unset, so a blank line in
 * an env file does not override a default. The result is frozen.
 */
export function loadConfig<S extends z.ZodRawShape>(
  shape: S,
  env: Record<string, string | undefined> = process.env,
): Readonly<z.infer<z.ZodObject<S>>> {
  const input = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = z.object(shape).safeParse(input);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`));
  }
  return Object.freeze(result.data);
}

/** x-chaos is honoured when CHAOS_ENABLED allows it (default on), and never in production. */
export function chaosEnabled(config: { NODE_ENV: string; CHAOS_ENABLED?: boolean | undefined }): boolean {
  return config.NODE_ENV !== 'production' && (config.CHAOS_ENABLED ?? true);
}
