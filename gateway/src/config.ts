import { fileURLToPath } from 'node:url';
import { apiKeysEnv, commonEnv, ConfigError, edgeEnv, envTypes, internalEnv, loadConfig, z } from '@edgeway/platform';
import { type GatewayFile, loadGatewayFile } from './config/file.js';
import { SUBGRAPHS } from './subgraphs.js';

const DEFAULT_SUPERGRAPH = fileURLToPath(new URL('../supergraph.graphql', import.meta.url));

/** `SUBGRAPH_<NAME>_URL`: where a subgraph is reached, for any subgraph name (name upper-cased, other characters `_`). */
const SUBGRAPH_URL_KEY = /^SUBGRAPH_[A-Z0-9_]+_URL$/;

/** The project's own subgraphs' variables are always known, so they are listed and checked. */
const subgraphUrlEnv = (env: Record<string, string | undefined>) =>
  Object.fromEntries(
    [...SUBGRAPHS.map(({ name }) => `SUBGRAPH_${name.toUpperCase()}_URL`), ...Object.keys(env)]
      .filter((key) => SUBGRAPH_URL_KEY.test(key))
      .map((key) => [key, envTypes.url.optional()]),
  );

export const gatewayEnv = {
  ...commonEnv(4000),
  ...edgeEnv,
  ...apiKeysEnv,
  ...internalEnv,
  SUPERGRAPH_PATH: z.string().min(1).default(DEFAULT_SUPERGRAPH),
  /** The configuration file (YAML, `gateway/gateway.config.example.yaml`); none: every subgraph on the defaults. */
  GATEWAY_CONFIG: z.string().min(1).optional(),
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
};

export type GatewayConfig = ReturnType<typeof loadGatewayConfig>;

export function loadGatewayConfig(env: Record<string, string | undefined> = process.env) {
  const raw = loadConfig({ ...gatewayEnv, ...subgraphUrlEnv(env) }, env) as Readonly<
    z.infer<z.ZodObject<typeof gatewayEnv>>
  > &
    Record<string, unknown>;
  // By variable name: the subgraph names are the supergraph's, known once it is read.
  const subgraphUrlEnvs: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (SUBGRAPH_URL_KEY.test(key) && typeof value === 'string') subgraphUrlEnvs[key] = value;
  }
  return Object.freeze({ ...raw, subgraphUrlEnvs: Object.freeze(subgraphUrlEnvs) });
}

/**
 * The environment and the configuration file (`GATEWAY_CONFIG`) together: the problems of both
 * in one message, so an operator fixes everything in one go.
 */
export function loadGatewaySettings(env: Record<string, string | undefined> = process.env): {
  config: GatewayConfig;
  file: GatewayFile | undefined;
} {
  const problems: string[] = [];
  const collect = <T>(load: () => T): T | undefined => {
    try {
      return load();
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems);
      return undefined;
    }
  };
  const config = collect(() => loadGatewayConfig(env));
  const path = config?.GATEWAY_CONFIG ?? (env.GATEWAY_CONFIG || undefined);
  const supergraph = config?.SUPERGRAPH_PATH ?? (env.SUPERGRAPH_PATH || DEFAULT_SUPERGRAPH);
  const file = path ? collect(() => loadGatewayFile(path, supergraph)) : undefined;
  if (!config || problems.length > 0) throw new ConfigError(problems);
  return { config, file };
}
