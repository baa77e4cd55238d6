import {
  compileRequestRules,
  compileResponseRules,
  createDependencyPolicy,
  type DependencyPolicy,
  type DependencyRegistry,
  type InternalSigner,
  readinessProbe,
} from '@edgeway/platform';
import type { Agent } from 'undici';
import type { CanaryRoute } from './canaryRouting.js';
import type { SubgraphSettings } from './config/subgraphs.js';
import { SubgraphDataSource } from './dataSource.js';
import { createSubgraphFetcher, createSubgraphPool } from './fetcher.js';

/** What every subgraph's service shares: the registry its policy joins, the signer, the pools. */
export interface SubgraphServiceDeps {
  dependencies: DependencyRegistry;
  sign: InternalSigner;
  pools: SubgraphPools;
  /** Share identical in-flight queries (`SUBGRAPH_DEDUP_ENABLED`). */
  dedupe: boolean;
}

/**
 * Keep-alive pools by answer cap: undici's cap is a pool setting, so subgraphs that share a cap
 * share a pool (one pool when no subgraph sets its own `maxResponseBytes`).
 */
export interface SubgraphPools {
  get(maxResponseBytes: number): Agent;
  close(): Promise<void>;
}

export function createSubgraphPools(): SubgraphPools {
  const pools = new Map<number, Agent>();
  return {
    get(maxResponseBytes) {
      let pool = pools.get(maxResponseBytes);
      if (!pool) pools.set(maxResponseBytes, (pool = createSubgraphPool(maxResponseBytes)));
      return pool;
    },
    close: () => Promise.all([...pools.values()].map((pool) => pool.close())).then(() => undefined),
  };
}

/** One subgraph's resilience policy, from its settings; it joins the dependency registry. */
export function subgraphPolicy(settings: SubgraphSettings, deps: SubgraphServiceDeps): DependencyPolicy {
  const pool = deps.pools.get(settings.maxResponseBytes);
  const { breaker, bulkhead, retry } = settings;
  // A subgraph that is down costs only its own fields, so none is required for readiness.
  return deps.dependencies.add(
    createDependencyPolicy({
      name: settings.name,
      timeoutMs: settings.timeoutMs,
      halfOpenAfterMs: breaker.halfOpenAfterMs,
      consecutiveFailures: breaker.consecutiveFailures,
      failureRatio: breaker.failureRatio,
      samplingWindowMs: breaker.samplingWindowMs,
      minimumRps: breaker.minimumRps,
      retries: retry.attempts,
      retryBackoffMs: retry.backoffMs,
      maxConcurrent: bulkhead.maxConcurrent,
      maxQueued: bulkhead.maxQueued,
      ...(URL.canParse(settings.url) && { probe: readinessProbe(pool, new URL(settings.url).origin) }),
    }),
    { required: false },
  );
}

/** One deployment's fetcher under `policy`, from its resolved settings. */
export function subgraphFetcher(settings: SubgraphSettings, policy: DependencyPolicy, deps: SubgraphServiceDeps) {
  return createSubgraphFetcher(policy, deps.pools.get(settings.maxResponseBytes), {
    // An answer whose headers reach the client (a Set-Cookie) is that caller's alone: never shared.
    dedupe: deps.dedupe && settings.headers.response.length === 0,
    maxResponseBytes: settings.maxResponseBytes,
  });
}

/** The data source Apollo's `buildService` returns for one subgraph, from its resolved settings. */
export function subgraphService(
  settings: SubgraphSettings,
  policy: DependencyPolicy,
  deps: SubgraphServiceDeps,
  canary?: CanaryRoute,
): SubgraphDataSource {
  return new SubgraphDataSource(settings.name, settings.url, subgraphFetcher(settings, policy, deps), {
    sign: settings.credential ? deps.sign : undefined,
    requestHeaders: compileRequestRules(settings.headers.request),
    responseHeaders: compileResponseRules(settings.headers.response),
    canary,
  });
}
