import { fileURLToPath } from 'node:url';
import { apiKeysEnv, commonEnv, edgeEnv, envTypes, internalEnv, loadConfig, z } from '@edgeway/platform';
import { SUBGRAPHS } from './subgraphs.js';

const DEFAULT_SUPERGRAPH = fileURLToPath(new URL('../supergraph.graphql', import.meta.url));

/** `SUBGRAPH_<NAME>_URL` overrides where a subgraph is reached (the supergraph's URL otherwise). */
const subgraphUrlEnv = Object.fromEntries(
  SUBGRAPHS.map(({ name }) => [`SUBGRAPH_${name.toUpperCase()}_URL`, envTypes.url.optional()]),
);

export const gatewayEnv = {
  ...commonEnv(4000),
  ...edgeEnv,
  ...apiKeysEnv,
  ...internalEnv,
  SUPERGRAPH_PATH: z.string().min(1).default(DEFAULT_SUPERGRAPH),
  /** Whole-response cache, for answers the subgraphs' cache hints allow (Redis when REDIS_URL is set). */
  RESPONSE_CACHE_ENABLED: envTypes.bool.default(true),
  /** Identical queries in flight at once share one subgraph request (queries only, per caller). */
  SUBGRAPH_DEDUP_ENABLED: envTypes.bool.default(true),
  /** Largest subgraph answer read (bytes): a larger one fails that fetch, not the gateway. */
  SUBGRAPH_MAX_RESPONSE_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .max(1024 * 1024 * 1024)
    .default(4 * 1024 * 1024),
  /** Subgraph requests one operation may make (the federation benchmark's TestQuery makes 16). */
  MAX_SUBGRAPH_FETCHES: z.coerce.number().int().positive().max(100_000).default(50),
  /** Edgeway's patches of Apollo internals (apolloPatches.ts): auto, required (refuse to start on a mismatch), off. */
  GATEWAY_APOLLO_PATCHES: z.enum(['auto', 'required', 'off']).default('auto'),
  ...subgraphUrlEnv,
};

export type GatewayConfig = ReturnType<typeof loadGatewayConfig>;

export function loadGatewayConfig(env: Record<string, string | undefined> = process.env) {
  const raw = loadConfig(gatewayEnv, env) as Readonly<z.infer<z.ZodObject<typeof gatewayEnv>>> &
    Record<string, unknown>;
  const subgraphUrls: Record<string, string> = {};
  for (const { name } of SUBGRAPHS) {
    const url = raw[`SUBGRAPH_${name.toUpperCase()}_URL`];
    if (typeof url === 'string') subgraphUrls[name] = url;
  }
  return Object.freeze({ ...raw, subgraphUrls: Object.freeze(subgraphUrls) });
}
