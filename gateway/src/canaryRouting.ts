import type { Fetcher } from '@apollo/utils.fetcher';
import {
  type DependencyPolicy,
  type DependencyRegistry,
  type Logger,
  metrics,
  setSpanAttributes,
  spanEvent,
  UpstreamError,
} from '@edgeway/platform';
import { type CanaryCaller, type CanarySettings, chooseVariant, type Variant } from './canary.js';

/** Where one fetch goes: a deployment's URL and its resilient fetcher. */
export interface SubgraphTarget {
  readonly url: string;
  readonly fetcher: Fetcher;
  readonly variant: Variant;
}

/** A canary's own connection: its policy (deadline, breaker, bulkhead) and fetcher. */
export interface CanaryConnection {
  policy: DependencyPolicy;
  fetcher: Fetcher;
}

export interface CanaryRoutesOptions {
  /** `/health/dependencies` lists each canary beside its subgraph. */
  registry: DependencyRegistry;
  /** A connection to `settings.url` under a new policy named `name`, with the canary's deadline and breaker. */
  connect(subgraph: string, name: string, settings: CanarySettings): CanaryConnection;
  logger: Logger;
}

/** The canaries of the configuration file's `subgraphs` section, by subgraph (`*` has none). */
export function canariesOf(
  subgraphs: Readonly<Record<string, { canary?: CanarySettings | undefined }>> | undefined,
): Record<string, CanarySettings> {
  const canaries: Record<string, CanarySettings> = {};
  for (const [name, settings] of Object.entries(subgraphs ?? {})) {
    if (name !== '*' && settings.canary) canaries[name] = settings.canary;
  }
  return canaries;
}

/** The canary's dependency name: its own circuit, metrics and spans, beside the subgraph's. */
export const canaryName = (subgraph: string) => `${subgraph} (canary)`;

/** Settings that make a new connection (a fresh circuit for what is likely a new deployment). */
const connectionOf = (s: CanarySettings) => JSON.stringify([s.url, s.timeoutMs, s.breaker]);

interface ActiveCanary {
  settings: CanarySettings;
  target: SubgraphTarget;
  policy: DependencyPolicy;
}

/** One subgraph's canary, as the configuration says now; empty while it has none. */
export class CanaryRoute {
  readonly subgraph: string;
  /** Swapped whole at reload: a fetch in flight keeps the canary it started with. */
  active: ActiveCanary | undefined;

  constructor(subgraph: string) {
    this.subgraph = subgraph;
  }

  /**
   * Sends one fetch to the variant this request has for the subgraph. A canary that fails a query
   * (refused, timed out, 5xx, circuit open, a bad answer) costs its caller nothing: stable answers
   * it. A mutation falls back only when its circuit was open, so it was never sent: one that failed
   * after it was sent may have been applied, and sending it again could apply it twice.
   */
  async send<T>(
    caller: CanaryCaller | undefined,
    mutation: boolean,
    stable: SubgraphTarget,
    fetch: (target: SubgraphTarget) => Promise<T>,
  ): Promise<T> {
    const active = this.active;
    if (!active) return fetch(stable);
    const variant = caller ? this.#variantFor(caller, active.settings) : 'stable';
    setSpanAttributes({ 'edgeway.subgraph.variant': variant });
    const target = variant === 'canary' ? active.target : stable;
    try {
      const answer = await fetch(target);
      metrics.subgraphVariantRequests.labels(this.subgraph, variant, 'ok').inc();
      return answer;
    } catch (error) {
      const reason = error instanceof UpstreamError ? error.reason : 'UPSTREAM_ERROR';
      if (variant === 'stable' || (mutation && reason !== 'CIRCUIT_OPEN')) {
        metrics.subgraphVariantRequests.labels(this.subgraph, variant, 'error').inc();
        throw asSubgraph(this.subgraph, error);
      }
      metrics.subgraphVariantRequests.labels(this.subgraph, variant, 'fallback').inc();
      setSpanAttributes({ 'edgeway.subgraph.fallback': reason });
      spanEvent('canary.fallback', { subgraph: this.subgraph, reason });
      return fetch(stable);
    }
  }

  #variantFor(caller: CanaryCaller, settings: CanarySettings): Variant {
    const known = caller.chosen.get(this.subgraph);
    if (known) return known;
    const { variant, reason } = chooseVariant(this.subgraph, settings, caller);
    caller.chosen.set(this.subgraph, variant);
    setSpanAttributes({ 'edgeway.subgraph.variant_reason': reason });
    return variant;
  }
}

/** The client hears of the subgraph, never of which deployment failed it. */
function asSubgraph(subgraph: string, error: unknown): unknown {
  if (!(error instanceof UpstreamError) || error.dependency === subgraph) return error;
  const detail = error.message.slice(error.dependency.length + 2);
  return new UpstreamError(subgraph, error.reason, detail, error.status);
}

/**
 * Every subgraph's canary route, applied from the configuration at start and at each reload.
 * Percent, header and lists change in place; a changed URL, deadline or breaker gets a new
 * connection (a fresh circuit), and the old one is closed at once (fetches in flight on it finish).
 */
export class CanaryRoutes {
  readonly #routes = new Map<string, CanaryRoute>();
  readonly #options: CanaryRoutesOptions;
  #settings: Readonly<Record<string, CanarySettings | undefined>> = {};

  constructor(options: CanaryRoutesOptions) {
    this.#options = options;
  }

  /** The route of `subgraph` (created on first use, with the settings applied last). */
  routeFor(subgraph: string): CanaryRoute {
    let route = this.#routes.get(subgraph);
    if (!route) {
      route = new CanaryRoute(subgraph);
      this.#routes.set(subgraph, route);
      this.#update(route, this.#settings[subgraph]);
    }
    return route;
  }

  /** Applies the canaries of every subgraph (a subgraph left out has none). */
  apply(settings: Readonly<Record<string, CanarySettings | undefined>>): void {
    this.#settings = settings;
    for (const route of this.#routes.values()) this.#update(route, settings[route.subgraph]);
  }

  /** Closes every canary connection (the gateway stops). */
  close(): void {
    for (const route of this.#routes.values()) this.#update(route, undefined);
  }

  #update(route: CanaryRoute, next: CanarySettings | undefined): void {
    const { registry, connect, logger } = this.#options;
    const current = route.active;
    if (current && next && connectionOf(current.settings) === connectionOf(next)) {
      route.active = { ...current, settings: next };
      return;
    }
    if (current) {
      registry.remove(current.policy.name);
      current.policy.close();
    }
    route.active = undefined;
    if (!next) {
      if (current) logger.info({ subgraph: route.subgraph }, 'canary removed');
      return;
    }
    const name = canaryName(route.subgraph);
    const { policy, fetcher } = connect(route.subgraph, name, next);
    registry.add(policy, { required: false });
    route.active = { settings: next, policy, target: { url: next.url, fetcher, variant: 'canary' } };
    for (const variant of ['stable', 'canary'] as const) {
      for (const outcome of ['ok', 'error'])
        metrics.subgraphVariantRequests.labels(route.subgraph, variant, outcome).inc(0);
    }
    metrics.subgraphVariantRequests.labels(route.subgraph, 'canary', 'fallback').inc(0);
    logger.info({ subgraph: route.subgraph, percent: next.percent }, current ? 'canary replaced' : 'canary added');
  }
}
