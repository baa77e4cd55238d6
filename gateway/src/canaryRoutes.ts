import type { Fetcher } from '@apollo/utils.fetcher';
import { type DependencyPolicy, type DependencyRegistry, type Logger, metrics } from '@edgeway/platform';
import { type CanaryCaller, type CanarySettings, forcedBy, VARIANTS } from './canary.js';
import { CanaryRoute, canaryName } from './canaryRouting.js';
import type { SubgraphSettings } from './config/subgraphs.js';

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

/** A canary's connection settings: its subgraph's, with its own URL, deadline and breaker, under its own name. */
export function canarySubgraphSettings(
  stable: SubgraphSettings,
  name: string,
  canary: CanarySettings,
): SubgraphSettings {
  return {
    ...stable,
    name,
    url: canary.url,
    timeoutMs: canary.timeoutMs ?? stable.timeoutMs,
    breaker: { ...stable.breaker, ...canary.breaker },
  };
}

/** Settings that make a new connection (a fresh circuit for what is likely a new deployment). */
const connectionOf = (s: CanarySettings) => JSON.stringify([s.url, s.timeoutMs, s.breaker]);

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

  /** Some subgraph's canary is forced on this caller (its header, user list or API key list). */
  forces(caller: CanaryCaller): boolean {
    for (const route of this.#routes.values()) {
      if (route.active && forcedBy(route.active.settings, caller)) return true;
    }
    return false;
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
    for (const variant of VARIANTS) {
      for (const outcome of ['ok', 'error'])
        metrics.subgraphVariantRequests.labels(route.subgraph, variant, outcome).inc(0);
    }
    metrics.subgraphVariantRequests.labels(route.subgraph, 'canary', 'fallback').inc(0);
    logger.info({ subgraph: route.subgraph, percent: next.percent }, current ? 'canary replaced' : 'canary added');
  }
}
