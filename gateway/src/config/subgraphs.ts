import { requestHeaderRule, responseHeaderRule, type z as Z, z } from '@edgeway/platform';
import { canarySchema } from '../canary.js';

const positiveInt = (max: number) =>
  z.int({ error: 'expected a positive integer' }).positive({ error: 'expected a positive integer' }).max(max);

/**
 * One subgraph's settings in the configuration file. Every key is optional: what a subgraph
 * leaves out comes from `subgraphs['*']`, then from the environment (`UPSTREAM_TIMEOUT_MS`, ...),
 * then from the defaults stated here. Nested objects are merged key by key.
 */
export const subgraphSettingsSchema = z
  .strictObject({
    url: z
      .url({ protocol: /^https?$/, error: 'expected an http(s) URL' })
      .describe('Where the subgraph is reached. SUBGRAPH_<NAME>_URL wins. Default: the URL in the supergraph.')
      .optional(),
    timeoutMs: positiveInt(120_000)
      .describe('Deadline for one subgraph request, retries included (ms). Default: UPSTREAM_TIMEOUT_MS (2000).')
      .optional(),
    retry: z
      .strictObject({
        attempts: z
          .int()
          .min(0)
          .max(5)
          .describe('Extra attempts for a failed query (never a mutation). Default: 1.')
          .optional(),
        backoffMs: z.int().min(0).max(60_000).describe('Wait before each retry (ms). Default: 0.').optional(),
      })
      .describe('Retries, for queries only, within the retry budget.')
      .optional(),
    breaker: z
      .strictObject({
        consecutiveFailures: positiveInt(10_000)
          .describe('Opens after this many failures in a row. Default: 5.')
          .optional(),
        failureRatio: z
          .number()
          .gt(0)
          .lt(1)
          .describe('Opens when this share of calls fails (below 1). Default: 0.5.')
          .optional(),
        samplingWindowMs: positiveInt(3_600_000)
          .describe('Window of the failure ratio (ms). Default: 10000.')
          .optional(),
        minimumRps: z.number().positive().describe('Traffic the ratio rule needs (calls/s). Default: 2.').optional(),
        halfOpenAfterMs: positiveInt(3_600_000)
          .describe('Longest wait before a trial call (ms). Default: BREAKER_HALF_OPEN_AFTER_MS (10000).')
          .optional(),
      })
      .describe('Circuit breaker.')
      .optional(),
    bulkhead: z
      .strictObject({
        maxConcurrent: positiveInt(100_000).describe('Requests in flight at once. Default: 64.').optional(),
        maxQueued: z.int().min(0).max(1_000_000).describe('Requests waiting for a slot. Default: 256.').optional(),
      })
      .describe('Concurrency limit.')
      .optional(),
    maxResponseBytes: positiveInt(1024 * 1024 * 1024)
      .describe('Largest answer read (bytes). Default: SUBGRAPH_MAX_RESPONSE_BYTES (4 MiB).')
      .optional(),
    credential: z
      .boolean()
      .describe(
        'Send the signed internal credential naming the caller. Default: true; false for third-party subgraphs.',
      )
      .optional(),
    headers: z
      .strictObject({
        request: z.array(requestHeaderRule).describe('Client -> subgraph rules, in order. Default: none.').optional(),
        response: z.array(responseHeaderRule).describe('Subgraph -> client rules. Default: none.').optional(),
      })
      .describe('Header propagation. Rules of subgraphs["*"] run first, then the subgraph\'s own.')
      .optional(),
    canary: canarySchema
      .describe('A second deployment of this subgraph and who goes to it; reloaded while running. Default: none.')
      .optional(),
  })
  .describe('Settings of one subgraph.');

export type SubgraphSettingsInput = Z.infer<typeof subgraphSettingsSchema>;

/** A subgraph's settings with every default filled in: what its policy and data source are built from. */
export interface SubgraphSettings {
  name: string;
  url: string;
  timeoutMs: number;
  retry: { attempts: number; backoffMs: number };
  breaker: {
    consecutiveFailures: number;
    failureRatio: number;
    samplingWindowMs: number;
    minimumRps: number;
    halfOpenAfterMs: number;
  };
  bulkhead: { maxConcurrent: number; maxQueued: number };
  maxResponseBytes: number;
  credential: boolean;
  headers: {
    request: Z.infer<typeof requestHeaderRule>[];
    response: Z.infer<typeof responseHeaderRule>[];
  };
}

/** What the environment contributes: URL overrides (they win) and the defaults under the file's. */
export interface SubgraphEnvDefaults {
  /** The URL set outside the file for this subgraph (`SUBGRAPH_<NAME>_URL`), if any. */
  urlOf: (name: string) => string | undefined;
  timeoutMs: number;
  halfOpenAfterMs: number;
  maxResponseBytes: number;
}

/** The environment variable that overrides a subgraph's URL: name upper-cased, other characters `_`. */
export const urlEnvOf = (name: string) => `SUBGRAPH_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_URL`;

/** Resolves one subgraph: environment URL, then its own entry, then `'*'`, then the environment's defaults. */
export function resolveSubgraphSettings(
  name: string,
  supergraphUrl: string | undefined,
  file: Readonly<Record<string, SubgraphSettingsInput>> | undefined,
  env: SubgraphEnvDefaults,
): SubgraphSettings {
  const all = file?.['*'] ?? {};
  const own = (name === '*' ? undefined : file?.[name]) ?? {};
  return {
    name,
    url: env.urlOf(name) ?? own.url ?? all.url ?? supergraphUrl ?? '',
    timeoutMs: own.timeoutMs ?? all.timeoutMs ?? env.timeoutMs,
    retry: { attempts: 1, backoffMs: 0, ...all.retry, ...own.retry },
    breaker: {
      consecutiveFailures: 5,
      failureRatio: 0.5,
      samplingWindowMs: 10_000,
      minimumRps: 2,
      halfOpenAfterMs: env.halfOpenAfterMs,
      ...all.breaker,
      ...own.breaker,
    },
    bulkhead: { maxConcurrent: 64, maxQueued: 256, ...all.bulkhead, ...own.bulkhead },
    maxResponseBytes: own.maxResponseBytes ?? all.maxResponseBytes ?? env.maxResponseBytes,
    credential: own.credential ?? all.credential ?? true,
    headers: {
      request: [...(all.headers?.request ?? []), ...(own.headers?.request ?? [])],
      response: [...(all.headers?.response ?? []), ...(own.headers?.response ?? [])],
    },
  };
}
