import { fileURLToPath } from 'node:url';
import { BUILT_START_ARGS, GATEWAY_NODE_OPTIONS } from '../../scripts/system.js';
import { type Started, startProcess } from './proc.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export type TargetName = 'edgeway' | 'vanilla' | 'hive';
export const TARGET_NAMES: readonly TargetName[] = ['edgeway', 'vanilla', 'hive'];

export interface TargetContext {
  port: number;
  supergraphPath: string;
  /** The identity service's JWKS and issuer, for Edgeway's token verification. */
  jwksUrl: string;
  issuer: string;
  /** Cores the gateway is pinned to. */
  cpus: string;
  /** Extra environment (Edgeway's response cache, for the cached run). */
  env?: Record<string, string>;
  /** Extra node flags (`--cpu-prof`). */
  nodeArgs?: string[];
}

export interface Target {
  name: TargetName | string;
  label: string;
  process: Started;
  graphqlUrl: string;
}

const quiet = { APOLLO_TELEMETRY_DISABLED: 'true', NODE_ENV: 'production' };
const preflight = { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{__typename}"}' };

/**
 * How each gateway is started. Edgeway runs as deployed: its built JS (`npm run build`), production mode, tokens verified,
 * operation limits, metrics and tracing on (no exporter configured, so spans are not recorded),
 * the rate limiter on with a budget the benchmark cannot reach, and logs at `warn` (an access-log
 * line per request is an operator's choice, not the gateway's cost).
 */
export async function startTarget(name: TargetName, context: TargetContext, label: string = name): Promise<Target> {
  const base = `http://127.0.0.1:${context.port}`;
  switch (name) {
    case 'edgeway': {
      const process = await startProcess({
        name: label,
        command: 'node',
        args: [...(context.nodeArgs ?? []), ...BUILT_START_ARGS],
        cwd: `${ROOT}/gateway`,
        cpus: context.cpus,
        env: {
          ...quiet,
          PORT: String(context.port),
          LOG_LEVEL: 'warn',
          SUPERGRAPH_PATH: context.supergraphPath,
          JWKS_URL: context.jwksUrl,
          JWT_ISSUER: context.issuer,
          INTERNAL_SIGNING_KEY: 'benchmark-signing-key-benchmark-signing-key',
          RATE_LIMIT_MAX: '100000000',
          RATE_LIMIT_ANONYMOUS_MAX: '100000000',
          // As deployed (docker-compose.yml, ops/k8s): the gateway's heap settings.
          NODE_OPTIONS: GATEWAY_NODE_OPTIONS,
          ...context.env,
        },
        readyUrl: `${base}/readyz`,
      });
      return { name, label, process, graphqlUrl: `${base}/graphql` };
    }
    case 'vanilla': {
      const process = await startProcess({
        name: label,
        command: 'node',
        args: [...(context.nodeArgs ?? []), 'targets/vanilla.mjs'],
        cwd: `${ROOT}/bench`,
        cpus: context.cpus,
        env: { ...quiet, PORT: String(context.port), SUPERGRAPH_PATH: context.supergraphPath, ...context.env },
        readyUrl: `${base}/`,
        readyInit: preflight,
      });
      return { name, label, process, graphqlUrl: `${base}/` };
    }
    case 'hive': {
      // One worker, as the other gateways get one process; its own defaults otherwise.
      const process = await startProcess({
        name: label,
        command: 'node',
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
        ],
        cwd: `${ROOT}/bench`,
        cpus: context.cpus,
        env: { ...quiet, ...context.env },
        readyUrl: `${base}/graphql`,
        readyInit: preflight,
      });
      return { name, label, process, graphqlUrl: `${base}/graphql` };
    }
  }
}
