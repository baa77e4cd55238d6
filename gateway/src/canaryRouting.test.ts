// Canary routing end to end: the real gateway over the real subgraphs, with a second deployment
// of reviews (the canary) on its own port. Canary answers are marked, so each answer says which
// deployment served it, and each deployment counts the fetches it received.
import { createLogger, createTokenVerifier, metrics, parseApiKeys, sha256Hex } from '@edgeway/platform';
import { createTestIssuer } from '@edgeway/platform/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { GatewayApp } from './app.js';
import { canarySchema } from './canary.js';
import { many, type ReviewsDeployment, reviewsClient, reviewsDeployment, unlimited } from './canaryTesting.js';
import { type RunningSubgraphs, startSubgraphs, startTestGateway } from './testing.js';

const logger = createLogger({ service: 'gateway-test', level: 'silent' });
const issuer = await createTestIssuer();
const PARTNER_KEY = 'partner-0123456789abcdef';

let subgraphs: RunningSubgraphs;
let stable: ReviewsDeployment;
let canary: ReviewsDeployment;
let gateway: GatewayApp;
const ask = reviewsClient(() => gateway, issuer);

const canaryAt = (input: object) => ({ reviews: canarySchema.parse({ url: canary.url, ...input }) });

beforeAll(async () => {
  subgraphs = await startSubgraphs(logger);
  stable = await reviewsDeployment(logger, false);
  canary = await reviewsDeployment(logger, true);
  gateway = await startTestGateway(
    {
      subgraphUrls: { ...subgraphs.urls, reviews: stable.url },
      security: unlimited(),
      apiKeys: parseApiKeys(`partner:${sha256Hex(PARTNER_KEY)}`).entries,
      subgraphs: { reviews: { canary: canaryAt({ percent: 10 }).reviews } },
    },
    { logger, verify: createTokenVerifier({ issuer: issuer.issuer, audience: issuer.audience, keys: issuer.getKey }) },
  );
});
afterAll(async () => {
  await gateway.app.close();
  await gateway.stop();
  await Promise.all([subgraphs.close(), stable.close(), canary.close()]);
});
beforeEach(() => {
  stable.state.mode = canary.state.mode = 'ok';
});

async function variantCount(variant: string, outcome: string): Promise<number> {
  const { values } = await metrics.subgraphVariantRequests.get();
  return (
    values.find((v) => v.labels.subgraph === 'reviews' && v.labels.variant === variant && v.labels.outcome === outcome)
      ?.value ?? 0
  );
}

const circuitOpenCount = async () =>
  (await metrics.upstreamErrors.get()).values.find(
    (v) => v.labels.dependency === 'reviews (canary)' && v.labels.reason === 'CIRCUIT_OPEN',
  )?.value ?? 0;

const hits = () => ({ stable: stable.state.hits, canary: canary.state.hits });

describe('canary routing', () => {
  it('sends 10% of 200 signed-in callers to the canary over 1,000 requests, each caller always to the same one', async () => {
    gateway.canaries.apply(canaryAt({ percent: 10 }));
    const before = hits();
    const okBefore = await variantCount('canary', 'ok');
    const answers = await many(1000, 20, async (i) => ({ who: `user-${i % 200}`, ...(await ask(`user-${i % 200}`)) }));
    expect(answers.every((a) => a.status === 200 && a.errors === undefined && a.bodies.length > 0)).toBe(true);

    const byCaller = new Map<string, Set<string>>();
    for (const a of answers) byCaller.set(a.who, (byCaller.get(a.who) ?? new Set()).add(a.served));
    expect([...byCaller.values()].every((variants) => variants.size === 1)).toBe(true);

    // Each of the 200 callers is placed once (5 requests each), so this is the share of callers:
    // binomial, sd 2.1 points at n = 200, and 4-16% is three of those. The hash's evenness is
    // checked much tighter over 100,000 subjects in canary.test.ts; this checks the routing.
    const canaryShare = answers.filter((a) => a.served === 'canary').length / answers.length;
    expect(canaryShare).toBeGreaterThanOrEqual(0.04);
    expect(canaryShare).toBeLessThanOrEqual(0.16);
    // One reviews fetch per request: the deployments' own counts agree with the answers and the metric.
    const after = hits();
    expect(after.canary - before.canary).toBe(answers.filter((a) => a.served === 'canary').length);
    expect(after.stable - before.stable + after.canary - before.canary).toBe(1000);
    expect((await variantCount('canary', 'ok')) - okBefore).toBe(after.canary - before.canary);
  }, 120_000);

  it('is forced by the header, the user list and the API key list, and leaves everyone else on stable at 0%', async () => {
    gateway.canaries.apply(
      canaryAt({ percent: 0, header: { name: 'x-canary', value: 'please' }, users: ['beta-7'], apiKeys: ['partner'] }),
    );
    expect((await ask(undefined, { 'x-canary': 'please' })).served).toBe('canary');
    expect((await ask('beta-7')).served).toBe('canary');
    expect((await ask(undefined, { 'x-api-key': PARTNER_KEY })).served).toBe('canary');
    expect((await ask(undefined, { 'x-canary': 'other' })).served).toBe('stable');
    const others = await many(50, 10, (i) => ask(`user-${i}`));
    expect(others.every((a) => a.served === 'stable')).toBe(true);
  });

  it('serves a forced caller from the canary even when a stable answer is in the response cache', async () => {
    const cached = await startTestGateway(
      {
        subgraphUrls: { ...subgraphs.urls, reviews: stable.url },
        security: unlimited(),
        responseCache: true,
        subgraphs: { reviews: { canary: canaryAt({ header: { name: 'x-canary', value: 'please' } }).reviews } },
      },
      {
        logger,
        verify: createTokenVerifier({ issuer: issuer.issuer, audience: issuer.audience, keys: issuer.getKey }),
      },
    );
    try {
      const askCached = reviewsClient(() => cached, issuer);
      expect((await askCached(undefined)).served).toBe('stable');
      const stableHits = stable.state.hits;
      expect((await askCached(undefined)).served).toBe('stable');
      expect(stable.state.hits, 'the second answer came from the cache').toBe(stableHits);
      const canaryHits = canary.state.hits;
      expect((await askCached(undefined, { 'x-canary': 'please' })).served).toBe('canary');
      expect((await askCached(undefined, { 'x-canary': 'please' })).served).toBe('canary');
      expect(canary.state.hits - canaryHits).toBe(2);
      // The canary's answers were not kept for everyone.
      expect((await askCached(undefined)).served).toBe('stable');
    } finally {
      await cached.app.close();
      await cached.stop();
    }
  });

  it('falls back to stable when the canary fails (500), with no client error, and counts the fallback', async () => {
    gateway.canaries.apply(canaryAt({ percent: 100 }));
    canary.state.mode = 'fail';
    const before = { ...hits(), fallbacks: await variantCount('canary', 'fallback') };
    const answers = await many(20, 5, (i) => ask(`user-${i}`));
    expect(answers.every((a) => a.status === 200 && a.errors === undefined && a.served === 'stable')).toBe(true);
    expect(answers.every((a) => a.bodies.length > 0)).toBe(true);
    // The canary saw the first ones (its circuit may have opened since: the rest went straight to stable).
    expect(canary.state.hits - before.canary).toBeGreaterThan(0);
    expect(stable.state.hits - before.stable).toBe(20);
    expect((await variantCount('canary', 'fallback')) - before.fallbacks).toBe(20);
  });

  it('falls back to stable when the canary is down (nothing listens), with no client error', async () => {
    const down = await reviewsDeployment(logger, true);
    await down.close();
    gateway.canaries.apply({ reviews: canarySchema.parse({ url: down.url, percent: 100 }) });
    const answers = await many(10, 5, (i) => ask(`user-${i}`));
    expect(answers.every((a) => a.status === 200 && a.errors === undefined && a.served === 'stable')).toBe(true);
  });

  it("stops trying the canary once its circuit opens, and lists the canary's circuit on its own", async () => {
    gateway.canaries.apply(canaryAt({ percent: 100, breaker: { consecutiveFailures: 3, halfOpenAfterMs: 60_000 } }));
    canary.state.mode = 'fail';
    // Counted from before the circuit opens: the longest the breaker's trial clock can have run.
    const started = performance.now();
    const first = await many(3, 1, (i) => ask(`user-${i}`));
    expect(first.every((a) => a.errors === undefined && a.served === 'stable')).toBe(true);
    const health = await gateway.app.inject({ method: 'GET', url: '/health/dependencies' });
    const listed = (health.json() as { dependencies: Array<{ name: string; circuit: string }> }).dependencies;
    expect(listed.find((d) => d.name === 'reviews (canary)')?.circuit).toBe('open');
    expect(listed.find((d) => d.name === 'reviews')?.circuit).toBe('closed');

    const canaryHits = canary.state.hits;
    const stableHits = stable.state.hits;
    const refused = await circuitOpenCount();
    const answers = await many(20, 5, (i) => ask(`user-${i}`));
    const elapsed = performance.now() - started;
    expect(answers.every((a) => a.status === 200 && a.errors === undefined && a.served === 'stable')).toBe(true);
    expect(stable.state.hits - stableHits).toBe(20);
    // Only the breaker's trial calls reach it: 250 ms after it opened, then 500 ms, 1 s, ... later
    // (each sent at most twice: one retry); a slow machine gives time for more. The rest are refused
    // without a request.
    const trials = 1 + Math.floor(Math.log2(1 + elapsed / 250));
    expect(canary.state.hits - canaryHits).toBeLessThanOrEqual(2 * trials);
    expect((await circuitOpenCount()) - refused).toBeGreaterThanOrEqual(20 - trials);
  });

  it('applies a new share while running; a removed canary is no longer listed', async () => {
    gateway.canaries.apply(canaryAt({ percent: 0 }));
    expect((await many(10, 5, (i) => ask(`user-${i}`))).every((a) => a.served === 'stable')).toBe(true);
    gateway.canaries.apply(canaryAt({ percent: 100 }));
    expect((await many(10, 5, (i) => ask(`user-${i}`))).every((a) => a.served === 'canary')).toBe(true);
    expect(gateway.dependencies.list().find((d) => d.name === 'reviews (canary)')?.circuit).toBe('closed');
    gateway.canaries.apply({});
    expect((await many(10, 5, (i) => ask(`user-${i}`))).every((a) => a.served === 'stable')).toBe(true);
    expect(gateway.dependencies.list().some((d) => d.name === 'reviews (canary)')).toBe(false);
  });
});
