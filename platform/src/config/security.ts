import { isIP } from 'node:net';
import { z } from 'zod';
import { type ApiKeyEntry, parseApiKeys } from '../auth/apiKeys.js';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'])
  .transform((v) => ['true', '1', 'yes', 'on'].includes(v));
const count = (fallback: number, max = 1_000_000_000) => z.coerce.number().int().positive().max(max).default(fallback);

/** `a, b` -> ['a', 'b'] */
const commaList = z.string().transform((value) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean),
);

/** Every origin must be a bare scheme://host[:port]. */
const origins = commaList
  .pipe(z.array(z.string().regex(/^https?:\/\/[^/\s]+$/, 'each origin is scheme://host[:port], no path or slash')))
  .default([]);

/**
 * Which proxies' `X-Forwarded-For` is believed: none (the default: the peer's address is the
 * caller's), a number of proxy hops in front of the service (`1` behind one load balancer), or
 * the proxies' addresses and CIDR ranges. Trusting every proxy is not offered: any client could
 * then name any IP and escape its per-IP budget.
 */
const trustedProxies = z
  .string()
  .trim()
  .transform((value, ctx): false | number | string[] => {
    if (value === '' || value === 'false') return false;
    if (/^[0-9]+$/.test(value)) return Number(value) > 0 ? Number(value) : false;
    const entries = value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean);
    for (const entry of entries) {
      const [address = '', prefix] = entry.split('/');
      const family = isIP(address);
      const bits = family === 4 ? 32 : 128;
      if (family === 0 || (prefix !== undefined && !(/^[0-9]+$/.test(prefix) && Number(prefix) <= bits))) {
        ctx.addIssue({ code: 'custom', message: `${entry}: not an IP address or CIDR range (or a hop count)` });
      }
    }
    return entries;
  })
  .default(false);

const apiKeys = z.string().transform((value, ctx): ApiKeyEntry[] => {
  const { entries, problems } = parseApiKeys(value);
  for (const problem of problems) ctx.addIssue({ code: 'custom', message: problem });
  return entries;
});

/**
 * The public edge's security settings (gateway and BFFs), every one with a default that lets
 * every contract operation and the federation benchmark query through. Documented with their
 * defaults in docs/operations.md ("Security") and .env.example.
 */
export const edgeSecurityEnv = {
  /** Requests per client (token sub, API key, or IP) per window. */
  RATE_LIMIT_MAX: count(600),
  RATE_LIMIT_WINDOW_S: count(60, 86_400),
  /** Anonymous callers (keyed by IP) get less. */
  RATE_LIMIT_ANONYMOUS_MAX: count(120),
  /** Off only for benchmarks and load tests. */
  RATE_LIMIT_ENABLED: bool.default(true),
  /** Largest request body in bytes (413 PAYLOAD_TOO_LARGE above it). */
  BODY_LIMIT_BYTES: count(1_048_576, 100 * 1_048_576),
  /** Proxies whose X-Forwarded-For names the caller (per-IP limits, logs): none by default. */
  TRUST_PROXY: trustedProxies,
  /** Browser origins allowed by CORS; none by default (same-origin only). */
  CORS_ORIGINS: origins,
  /** Operation limits (OPERATION_LIMIT_EXCEEDED): selection depth, aliases, tokens, directives, cost. */
  MAX_DEPTH: count(10, 1000),
  MAX_ALIASES: count(15, 10_000),
  MAX_TOKENS: count(1000, 1_000_000),
  MAX_DIRECTIVES: count(50, 10_000),
  MAX_COST: count(5000),
  /** The cost limit for callers with a valid API key (the BFFs, which limit their own clients). */
  MAX_COST_API_KEY: count(1_000_000),
  /** Largest answer sent (bytes): a larger one is 400 OPERATION_LIMIT_EXCEEDED instead. */
  MAX_RESPONSE_BYTES: count(2 * 1_048_576, 1024 * 1_048_576),
  /** Load shedding (503 OVERLOADED): mean event-loop delay in ms above which new requests are refused; 0 is off. */
  SHED_MAX_EVENT_LOOP_DELAY_MS: z.coerce.number().int().min(0).max(60_000).default(200),
  /** How often the event-loop delay is sampled (ms). */
  SHED_SAMPLE_INTERVAL_MS: count(500, 60_000),
  /** `Retry-After` (s) of a shed request. */
  SHED_RETRY_AFTER_S: count(2, 3600),
  /**
   * Operations run at once per process (admission control, docs/operations.md "Concurrency"):
   * `auto` follows the CPU, a number fixes it, `off` runs every request at once.
   */
  CONCURRENCY_LIMIT: z.union([z.enum(['auto', 'off']), z.coerce.number().int().min(1).max(100_000)]).default('auto'),
  /** Requests waiting for a turn beyond this are refused at once (503 OVERLOADED). */
  CONCURRENCY_QUEUE_MAX: count(1000, 1_000_000),
  /** A request that waited this long for a turn is refused (503 OVERLOADED, ms). */
  CONCURRENCY_QUEUE_TIMEOUT_MS: count(5000, 600_000),
  /** Longest time to receive a whole request, headers and body (408 REQUEST_TIMEOUT after it). */
  REQUEST_TIMEOUT_MS: count(30_000, 600_000),
  /** Longest time to receive the request headers (408 REQUEST_TIMEOUT after it). */
  HEADERS_TIMEOUT_MS: count(10_000, 600_000),
  /** Longest token lifetime accepted (`exp - iat`, and age since `iat`); tokens without `iat` are refused. */
  JWT_MAX_LIFETIME_S: count(86_400, 31_536_000),
  /** Leeway between the issuer's clock and this one for `exp`, `nbf` and `iat`. */
  JWT_CLOCK_SKEW_S: z.coerce.number().int().min(0).max(600).default(30),
  /** Client names (`apollographql-client-name`) labelled in metrics as themselves; any other is "other". */
  METRICS_CLIENT_NAMES: commaList
    .pipe(z.array(z.string().regex(/^[\w.@/-]{1,64}$/, 'each name is 1-64 letters, digits or ._@/-')).max(100))
    .default(['bff-web', 'bff-mobile']),
};

/** The gateway's server-to-server consumers: `name:sha256hex[:max]`, comma separated. */
export const apiKeysEnv = { API_KEYS: apiKeys.optional() };

/** Shortest internal signing secret accepted: 256 bits of base64 or hex. */
export const MIN_SIGNING_KEY_LENGTH = 32;

/** Gateway and subgraphs: the secret the gateway signs subgraph credentials with. */
export const internalEnv = {
  INTERNAL_SIGNING_KEY: z
    .string()
    .min(MIN_SIGNING_KEY_LENGTH, `at least ${MIN_SIGNING_KEY_LENGTH} characters`)
    .optional(),
};

export type EdgeSecurityConfig = Readonly<z.infer<z.ZodObject<typeof edgeSecurityEnv>>>;

/** The defaults, for tests and for apps built without an environment. */
export const defaultEdgeSecurity = (): EdgeSecurityConfig => z.object(edgeSecurityEnv).parse({});
