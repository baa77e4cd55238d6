import { fileURLToPath } from 'node:url';
import { BUILT_START_ARGS, GATEWAY_NODE_OPTIONS } from '../../scripts/system.js';
import { type Started, startProcess } from './proc.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** How a gateway is started: Edgeway's gateway, vanilla Apollo Gateway, or Hive Gateway's CLI. */
export type GatewayKind = 'edgeway' | 'vanilla' | 'hive';

export const TARGET_NAMES = [
  'edgeway',
  'edgeway-nodedup',
  'edgeway-deployed',
  'vanilla',
  'hive',
  'hive-rust',
  'edgeway+cache',
] as const;
export type TargetName = (typeof TARGET_NAMES)[number];

/** One gateway of the benchmark as started: which gateway, with what settings and node flags. */
export interface TargetSpec {
  label: string;
  kind: GatewayKind;
  /** What the row is, for the report. */
  description: string;
  /** NODE_OPTIONS, set for every gateway (never inherited from the harness). */
  nodeOptions: string;
  env?: Record<string, string>;
  /** Extra command-line arguments for the gateway (Hive's CLI). */
  args?: string[];
}

/**
 * The benchmark's gateways. Every one runs with `equalNodeOptions` (Node's defaults unless the
 * run says otherwise), except `edgeway-deployed`, Edgeway with the heap flags it is deployed with.
 */
export function targetSpec(name: TargetName, equalNodeOptions: string): TargetSpec {
  const equal = equalNodeOptions ? `NODE_OPTIONS="${equalNodeOptions}"` : "Node's default flags";
  const off = { RESPONSE_CACHE_ENABLED: 'false' };
  switch (name) {
    case 'edgeway':
      return {
        label: name,
        kind: 'edgeway',
        nodeOptions: equalNodeOptions,
        env: off,
        description: `Edgeway, ${equal}`,
      };
    case 'edgeway-nodedup':
      return {
        label: name,
        kind: 'edgeway',
        nodeOptions: equalNodeOptions,
        env: { ...off, SUBGRAPH_DEDUP_ENABLED: 'false' },
        description: `Edgeway, in-flight dedup off, ${equal}`,
      };
    case 'edgeway-deployed':
      return {
        label: name,
        kind: 'edgeway',
        nodeOptions: GATEWAY_NODE_OPTIONS,
        env: off,
        description: `Edgeway as deployed, NODE_OPTIONS="${GATEWAY_NODE_OPTIONS}"`,
      };
    case 'edgeway+cache':
      return {
        label: name,
        kind: 'edgeway',
        nodeOptions: equalNodeOptions,
        env: { RESPONSE_CACHE_ENABLED: 'true' },
        description: `Edgeway, response cache on, ${equal}`,
      };
    case 'vanilla':
      return { label: name, kind: 'vanilla', nodeOptions: equalNodeOptions, description: `@apollo/gateway, ${equal}` };
    case 'hive':
      return { label: name, kind: 'hive', nodeOptions: equalNodeOptions, description: `Hive Gateway, ${equal}` };
    case 'hive-rust':
      return {
        label: name,
        kind: 'hive',
        nodeOptions: equalNodeOptions,
        args: ['--hive-router-runtime'],
        description: `Hive Gateway with the Rust query planner (router runtime), ${equal}`,
      };
  }
}

export interface TargetContext {
  port: number;
  supergraphPath: string;
  /** The identity service's JWKS and issuer, for Edgeway's token verification. */
  jwksUrl: string;
  issuer: string;
  /** Cores the gateway is pinned to. */
  cpus: string;
  /** Extra environment (experiments). */
  env?: Record<string, string>;
  /** Extra node flags (`--cpu-prof`). */
  nodeArgs?: string[];
}

export interface Target {
  spec: TargetSpec;
  process: Started;
  graphqlUrl: string;
}

/** Every gateway runs on the node that runs the harness. */
const NODE = process.execPath;
const quiet = { APOLLO_TELEMETRY_DISABLED: 'true', NODE_ENV: 'production' };
const preflight = { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{__typename}"}' };

/**
 * How each gateway is started. Edgeway runs as deployed: its built JS (`npm run build`), production mode, tokens verified,
 * operation limits, metrics and tracing on (no exporter configured, so spans are not recorded),
 * the rate limiter on with a budget the benchmark cannot reach, load shedding off, and logs at `warn` (an access-log
 * line per request is an operator's choice, not the gateway's cost).
 */
export async function startTarget(spec: TargetSpec, context: TargetContext): Promise<Target> {
  const base = `http://127.0.0.1:${context.port}`;
  const label = spec.label;
  // The same node for every gateway; NODE_OPTIONS always set, so the harness's never leaks in.
  const env = { ...quiet, NODE_OPTIONS: spec.nodeOptions, ...spec.env, ...context.env };
  switch (spec.kind) {
    case 'edgeway': {
      const process = await startProcess({
        name: label,
        command: NODE,
        args: [...(context.nodeArgs ?? []), ...BUILT_START_ARGS],
        cwd: `${ROOT}/gateway`,
        cpus: context.cpus,
        env: {
          PORT: String(context.port),
          LOG_LEVEL: 'warn',
          SUPERGRAPH_PATH: context.supergraphPath,
          JWKS_URL: context.jwksUrl,
          JWT_ISSUER: context.issuer,
          INTERNAL_SIGNING_KEY: 'benchmark-signing-key-benchmark-signing-key',
          RATE_LIMIT_MAX: '100000000',
          RATE_LIMIT_ANONYMOUS_MAX: '100000000',
          // Load shedding off: closed-loop load keeps every gateway saturated on purpose, and a
          // refused request is cheaper than an answer (the other gateways shed nothing).
          SHED_MAX_EVENT_LOOP_DELAY_MS: '0',
          ...env,
        },
        readyUrl: `${base}/readyz`,
      });
      return { spec, process, graphqlUrl: `${base}/graphql` };
    }
    case 'vanilla': {
      const process = await startProcess({
        name: label,
        command: NODE,
        args: [...(context.nodeArgs ?? []), 'targets/vanilla.mjs'],
        cwd: `${ROOT}/bench`,
        cpus: context.cpus,
        env: { ...env, PORT: String(context.port), SUPERGRAPH_PATH: context.supergraphPath },
        readyUrl: `${base}/`,
        readyInit: preflight,
      });
      return { spec, process, graphqlUrl: `${base}/` };
    }
    case 'hive': {
      // One worker, as the other gateways get one process; its own defaults otherwise.
      const process = await startProcess({
        name: label,
        command: NODE,
        args: [
          ...(context.nodeArgs ?? []),
          `${ROOT}/bench/node_modules/@graphql-hive/gateway/dist/bin.js`,
          'supergraph',
          context.supergraphPath,
          '--port',
          String(context.port),
          '--host',
          '127.0.0.1',
          '--fork',
          '1',
          ...(spec.args ?? []),
        ],
        cwd: `${ROOT}/bench`,
        cpus: context.cpus,
        env,
        readyUrl: `${base}/graphql`,
        readyInit: preflight,
      });
      // Hive Gateway falls back to its JavaScript planner, with a warning, when the router runtime
      // does not load: that would measure the wrong gateway under this name.
      if (spec.args?.includes('--hive-router-runtime') && !/Using Hive Router Runtime/.test(process.tail())) {
        await process.stop();
        throw new Error(`${label} did not start with the Hive Router runtime:\n${process.tail()}`);
      }
      if (/Could not load the @graphql-hive\/router-runtime/.test(process.tail())) {
        await process.stop();
        throw new Error(`${label}: the router runtime did not load:\n${process.tail()}`);
      }
      return { spec, process, graphqlUrl: `${base}/graphql` };
    }
  }
}
