// The canary route's rules without sockets: what falls back and what does not (mutations), what a
// trace shows, and what a reload keeps.
import { recordSpans } from '@edgeway/platform/testing';
import type { Fetcher } from '@apollo/utils.fetcher';
import {
  createDependencyPolicy,
  createLogger,
  DependencyRegistry,
  type DependencyPolicy,
  metrics,
  UpstreamError,
  withSpan,
} from '@edgeway/platform';
import { describe, expect, it } from 'vitest';
import { type CanaryCaller, canarySchema } from './canary.js';
import { CanaryRoutes, canarySubgraphSettings } from './canaryRoutes.js';
import { resolveSubgraphSettings } from './config/subgraphs.js';
import type { SubgraphTarget } from './canaryRouting.js';

const exporter = recordSpans();

const fetcher: Fetcher = async () => {
  throw new Error('not called: the test fetch stands in');
};
const stable: SubgraphTarget = { url: 'http://stable/graphql', fetcher, variant: 'stable' };
const caller = (subject?: string): CanaryCaller => ({
  subject,
  apiKey: undefined,
  header: () => undefined,
  chosen: new Map(),
});

function routes() {
  const registry = new DependencyRegistry();
  const connected: DependencyPolicy[] = [];
  const canaries = new CanaryRoutes({
    registry,
    logger: createLogger({ service: 'gateway-test', level: 'silent' }),
    connect: (_subgraph, name) => {
      const policy = createDependencyPolicy({ name });
      connected.push(policy);
      return { policy, fetcher };
    },
  });
  const settings = (input: object) => ({ accounts: canarySchema.parse({ url: 'http://canary/graphql', ...input }) });
  return { registry, connected, canaries, settings };
}

/** A fetch that fails on the canary with `reason` and answers on stable, recording where it went. */
function failingCanary(reason: UpstreamError['reason']) {
  const sent: string[] = [];
  const fetch = async (target: SubgraphTarget) => {
    sent.push(target.variant);
    if (target.variant === 'canary') throw new UpstreamError('accounts (canary)', reason, 'failed');
    return 'stable answer';
  };
  return { sent, fetch };
}

const count = async (variant: string, outcome: string) =>
  (await metrics.subgraphVariantRequests.get()).values.find(
    (v) => v.labels.subgraph === 'accounts' && v.labels.variant === variant && v.labels.outcome === outcome,
  )?.value ?? 0;

describe('canary route', () => {
  it('answers a failed query from stable, and the fetch span says which variant and why it fell back', async () => {
    const { canaries, settings } = routes();
    canaries.apply(settings({ percent: 100 }));
    const { sent, fetch } = failingCanary('TIMEOUT');
    const fallbacks = await count('canary', 'fallback');
    const answer = await withSpan('fetch accounts', {}, () =>
      canaries.routeFor('accounts').send(caller('1'), false, stable, fetch),
    );
    expect(answer).toBe('stable answer');
    expect(sent).toEqual(['canary', 'stable']);
    expect(await count('canary', 'fallback')).toBe(fallbacks + 1);
    const [span] = exporter.getFinishedSpans();
    expect(span!.attributes).toMatchObject({
      'edgeway.subgraph.variant': 'canary',
      'edgeway.subgraph.variant_reason': 'share',
      'edgeway.subgraph.fallback': 'TIMEOUT',
    });
    expect(span!.events.map((e) => e.name)).toEqual(['canary.fallback']);
  });

  it('never sends a mutation twice: one the canary failed after sending fails, named after the subgraph', async () => {
    const { canaries, settings } = routes();
    canaries.apply(settings({ percent: 100 }));
    const { sent, fetch } = failingCanary('UPSTREAM_ERROR');
    const failed = canaries.routeFor('accounts').send(caller('1'), true, stable, fetch);
    await expect(failed).rejects.toMatchObject({ dependency: 'accounts', reason: 'UPSTREAM_ERROR' });
    expect(sent).toEqual(['canary']);
  });

  it('sends a mutation to stable when the canary circuit was open (it never left)', async () => {
    const { canaries, settings } = routes();
    canaries.apply(settings({ percent: 100 }));
    const { sent, fetch } = failingCanary('CIRCUIT_OPEN');
    expect(await canaries.routeFor('accounts').send(caller('1'), true, stable, fetch)).toBe('stable answer');
    expect(sent).toEqual(['canary', 'stable']);
  });

  it("keeps one variant per subgraph for a whole request, and sends the gateway's own requests to stable", async () => {
    const { canaries, settings } = routes();
    canaries.apply(settings({ percent: 50 }));
    const route = canaries.routeFor('accounts');
    const where = async (who: CanaryCaller | undefined) => {
      let variant = '';
      await route.send(who, false, stable, async (target) => (variant = target.variant));
      return variant;
    };
    for (let request = 0; request < 20; request++) {
      const anonymous = caller();
      const first = await where(anonymous);
      for (let fetch = 0; fetch < 5; fetch++) expect(await where(anonymous)).toBe(first);
    }
    for (let i = 0; i < 20; i++) expect(await where(undefined)).toBe('stable');
  });

  it('has every variant series at 0 once a subgraph has a canary, so the first failures show in rate()', async () => {
    const { canaries } = routes();
    canaries.apply({ inventory: canarySchema.parse({ url: 'http://canary/graphql' }) });
    canaries.routeFor('inventory');
    const series = (await metrics.subgraphVariantRequests.get()).values
      .filter((v) => v.labels.subgraph === 'inventory')
      .map((v) => `${v.labels.variant}/${v.labels.outcome}=${v.value}`)
      .sort();
    expect(series).toEqual(['canary/error=0', 'canary/fallback=0', 'canary/ok=0', 'stable/error=0', 'stable/ok=0']);
  });

  it("connects the canary with its subgraph's settings, but its own URL, deadline and breaker", () => {
    const env = { urlOf: () => undefined, timeoutMs: 2000, halfOpenAfterMs: 10_000, maxResponseBytes: 1024 };
    const stable = resolveSubgraphSettings(
      'accounts',
      'http://stable/graphql',
      { accounts: { retry: { attempts: 2 }, breaker: { failureRatio: 0.3 }, credential: false } },
      env,
    );
    const canary = canarySchema.parse({
      url: 'http://canary/graphql',
      timeoutMs: 700,
      breaker: { consecutiveFailures: 2 },
    });
    expect(canarySubgraphSettings(stable, 'accounts (canary)', canary)).toEqual({
      ...stable,
      name: 'accounts (canary)',
      url: 'http://canary/graphql',
      timeoutMs: 700,
      breaker: { ...stable.breaker, consecutiveFailures: 2, failureRatio: 0.3 },
    });
  });

  it('changes share and lists in place, and gives a new URL a fresh circuit, closing the old one', async () => {
    const { canaries, settings, connected, registry } = routes();
    canaries.apply(settings({ percent: 0 }));
    const route = canaries.routeFor('accounts');
    const where = async (subject: string) => {
      let variant = '';
      await route.send(caller(subject), false, stable, async (target) => (variant = target.variant));
      return variant;
    };
    expect(await where('7')).toBe('stable');
    canaries.apply(settings({ percent: 0, users: ['7'] }));
    expect(await where('7')).toBe('canary');
    expect(connected).toHaveLength(1);
    canaries.apply(settings({ url: 'http://canary-2/graphql', users: ['7'] }));
    expect(connected).toHaveLength(2);
    expect(registry.policies()).toEqual([connected[1]]);
    canaries.apply({});
    expect(await where('7')).toBe('stable');
    expect(registry.policies()).toEqual([]);
  });
});
