import type { Fetcher } from '@apollo/utils.fetcher';
import { type DependencyPolicy, metrics, setSpanAttributes, spanEvent, UpstreamError } from '@edgeway/platform';
import { type CanaryCaller, type CanarySettings, chooseVariant, type Variant } from './canary.js';

/** Where one fetch goes: a deployment's URL and its resilient fetcher. */
export interface SubgraphTarget {
  readonly url: string;
  readonly fetcher: Fetcher;
  readonly variant: Variant;
}

/** The canary's dependency name: its own circuit, metrics and spans, beside the subgraph's. */
export const canaryName = (subgraph: string) => `${subgraph} (canary)`;

export interface ActiveCanary {
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
