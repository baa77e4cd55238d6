import { createHash } from 'node:crypto';
import { z } from '@edgeway/platform';

/** Which deployment of a subgraph a fetch goes to. */
export type Variant = 'stable' | 'canary';
export const VARIANTS: readonly Variant[] = ['stable', 'canary'];

/** An HTTP header name (RFC 9110 token), compared in lower case as Node hands headers over. */
const headerName = z
  .string()
  .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/, 'must be an HTTP header name')
  .transform((name) => name.toLowerCase());

/**
 * A subgraph's `canary` key in the gateway configuration file: a second deployment of the same
 * subgraph, and who goes to it.
 */
export const canarySchema = z
  .object({
    /** The canary deployment's GraphQL endpoint. */
    url: z.url({ protocol: /^https?$/ }),
    /** Share of signed-in callers (and of anonymous requests) sent to the canary, 0-100. @default 0 */
    percent: z.number().min(0).max(100).default(0),
    /** A request carrying this header with this value goes to the canary (testers, smoke checks). @default none */
    header: z
      .object({ name: headerName, value: z.string().min(1).max(200) })
      .strict()
      .optional(),
    /** Token subjects always sent to the canary (staff, beta users). @default [] */
    users: z
      .array(z.string().min(1).max(200))
      .max(10_000)
      .default([])
      .transform((list) => new Set(list) as ReadonlySet<string>),
    /** API key names (`API_KEYS`) always sent to the canary. @default [] */
    apiKeys: z
      .array(z.string().min(1).max(64))
      .max(1000)
      .default([])
      .transform((list) => new Set(list) as ReadonlySet<string>),
    /** The canary's deadline per fetch: a hung canary costs its callers this before they fall back. @default UPSTREAM_TIMEOUT_MS */
    timeoutMs: z.number().int().positive().max(120_000).optional(),
    /** The canary's own circuit breaker; unset fields are the stable subgraph's. @default the platform's */
    breaker: z
      .object({
        consecutiveFailures: z.number().int().positive().max(1000).optional(),
        failureRatio: z.number().gt(0).lt(1).optional(),
        halfOpenAfterMs: z.number().int().positive().max(600_000).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export type CanarySettings = z.infer<typeof canarySchema>;

/** Who is asking, as far as choosing a variant goes. Built once per client request. */
export interface CanaryCaller {
  /** The token's subject, when signed in. */
  subject: string | undefined;
  /** The API key's name, when one was sent. */
  apiKey: string | undefined;
  /** A request header by lower-case name (first value). */
  header(name: string): string | undefined;
  /**
   * The variant each subgraph was given in this request: every fetch of one client request to a
   * subgraph goes to the same deployment, even for anonymous callers chosen at random.
   */
  readonly chosen: Map<string, Variant>;
}

/** Why a caller got its variant (a span attribute; never a metric label, which stays bounded anyway). */
export type ChoiceReason = 'header' | 'user' | 'api_key' | 'share' | 'random';

/**
 * A point in [0, 100) fixed for a caller and a subgraph: the first 32 bits of a SHA-256 of both.
 * The subgraph is part of it so that canaries of two subgraphs at 10% each do not land on the same
 * tenth of the callers. A caller below `percent` stays on the canary as the share grows.
 */
export function bucketOf(subgraph: string, key: string): number {
  const digest = createHash('sha256').update(subgraph).update('\0').update(key).digest();
  return (digest.readUInt32BE(0) / 0x1_0000_0000) * 100;
}

/**
 * The variant of `subgraph` for `caller`: forced by the header or the user and API key lists, else
 * sticky by token subject (else API key name) against `percent`. An anonymous request is placed at
 * random, per request: anonymous traffic mostly reaches the gateway through the BFFs, so hashing
 * the client address would put every anonymous request of a BFF replica on one variant.
 */
export function chooseVariant(
  subgraph: string,
  settings: CanarySettings,
  caller: CanaryCaller,
  random: () => number = Math.random,
): { variant: Variant; reason: ChoiceReason } {
  const { header } = settings;
  if (header && caller.header(header.name) === header.value) return { variant: 'canary', reason: 'header' };
  if (caller.subject !== undefined && settings.users.has(caller.subject)) {
    return { variant: 'canary', reason: 'user' };
  }
  if (caller.apiKey !== undefined && settings.apiKeys.has(caller.apiKey)) {
    return { variant: 'canary', reason: 'api_key' };
  }
  const key =
    caller.subject !== undefined ? `sub:${caller.subject}` : caller.apiKey !== undefined ? `key:${caller.apiKey}` : '';
  const point = key ? bucketOf(subgraph, key) : random() * 100;
  return { variant: point < settings.percent ? 'canary' : 'stable', reason: key ? 'share' : 'random' };
}

/** The caller of a fastify request: its verified token subject, API key name and headers. */
export function callerOf(req: {
  principal?: { sub: string } | undefined;
  apiClient?: { name: string } | undefined;
  headers: Record<string, string | string[] | undefined>;
}): CanaryCaller {
  return {
    subject: req.principal?.sub,
    apiKey: req.apiClient?.name,
    header: (name) => {
      const value = req.headers[name];
      return Array.isArray(value) ? value[0] : value;
    },
    chosen: new Map(),
  };
}
