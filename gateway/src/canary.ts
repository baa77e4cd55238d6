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

const names = (max: number, length: number, byDefault: string[] = []) =>
  z
    .array(z.string().min(1).max(length))
    .max(max)
    .default(byDefault)
    .transform((list) => new Set(list) as ReadonlySet<string>);

/** The BFFs' key at the gateway, as `npm start`, compose and the Kubernetes manifests name it. */
export const BFF_API_KEY_NAME = 'bffs';

/**
 * A subgraph's `canary` key in the gateway configuration file: a second deployment of the same
 * subgraph, and who goes to it. Unset connection settings are the subgraph's own.
 */
export const canarySchema = z
  .strictObject({
    url: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).describe("The canary deployment's URL."),
    percent: z
      .number()
      .min(0)
      .max(100)
      .default(0)
      .describe(
        'Share of signed-in callers (by token subject, else API key) and of anonymous requests sent to it. Default: 0.',
      ),
    header: z
      .strictObject({ name: headerName, value: z.string().min(1).max(200) })
      .describe('A request with this header at this value goes to the canary (testers, smoke checks). Default: none.')
      .optional(),
    users: names(10_000, 200).describe('Token subjects always sent to the canary. Default: [].'),
    apiKeys: names(1000, 64).describe('API key names (API_KEYS) always sent to the canary. Default: [].'),
    relayApiKeys: names(1000, 64, [BFF_API_KEY_NAME]).describe(
      "API keys that relay many end users' requests: without a token, each of their requests is placed at random like an anonymous one, not all of them as one caller. Default: [bffs] (the BFFs' key).",
    ),
    timeoutMs: z
      .int()
      .positive()
      .max(120_000)
      .describe(
        "The canary's deadline: what a hung canary costs a caller before stable answers. Default: the subgraph's.",
      )
      .optional(),
    breaker: z
      .strictObject({
        consecutiveFailures: z.int().positive().max(10_000).optional(),
        // cockatiel's sampling breaker takes a ratio strictly below 1.
        failureRatio: z.number().gt(0).lt(1).optional(),
        samplingWindowMs: z.int().positive().max(3_600_000).optional(),
        minimumRps: z.number().positive().optional(),
        halfOpenAfterMs: z.int().positive().max(3_600_000).optional(),
      })
      .describe("The canary's own circuit breaker; unset keys are the subgraph's. Default: the subgraph's.")
      .optional(),
  })
  .describe('A second deployment of the subgraph, sticky per caller; it falls back to the subgraph when it fails.');

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

/** What forces the canary on `caller` (its header, user list, API key list), if anything does. */
export function forcedBy(settings: CanarySettings, caller: CanaryCaller): 'header' | 'user' | 'api_key' | undefined {
  const { header } = settings;
  if (header && caller.header(header.name) === header.value) return 'header';
  if (caller.subject !== undefined && settings.users.has(caller.subject)) return 'user';
  if (caller.apiKey !== undefined && settings.apiKeys.has(caller.apiKey)) return 'api_key';
  return undefined;
}

/**
 * The variant of `subgraph` for `caller`: forced by the header or the user and API key lists, else
 * sticky by token subject (else API key name) against `percent`. An anonymous request is placed at
 * random, per request: anonymous traffic mostly reaches the gateway through the BFFs, so hashing
 * the client address (or the BFFs' API key) would put every anonymous request of a BFF on one
 * variant.
 */
export function chooseVariant(
  subgraph: string,
  settings: CanarySettings,
  caller: CanaryCaller,
  random: () => number = Math.random,
): { variant: Variant; reason: ChoiceReason } {
  const forced = forcedBy(settings, caller);
  if (forced) return { variant: 'canary', reason: forced };
  // A relaying key (the BFFs') carries every anonymous end user at once: as one caller, all of
  // them would land on one variant.
  const apiKey = caller.apiKey !== undefined && !settings.relayApiKeys.has(caller.apiKey) ? caller.apiKey : undefined;
  const key = caller.subject !== undefined ? `sub:${caller.subject}` : apiKey !== undefined ? `key:${apiKey}` : '';
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
