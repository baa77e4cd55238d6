// Edgeway's gateway, with its patches of Apollo internals, against vanilla Apollo Gateway over the
// same real subgraphs: every answer's `data` must be the same (field order included) and so must
// its `errors` (Edgeway outside production passes a subgraph's errors on as Apollo does); only a
// subgraph that is down is answered differently by design (see that test). And the patched paths
// must have served each of Edgeway's answers.
import { createLogger, metrics } from '@edgeway/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installApolloPatches, patchUses } from '../src/apolloPatches.js';
import { type Pair, recordingProxy, refusedUrl, startPair, startTier, type Tier } from './differential.js';
import { CASES, TEST_QUERY } from './queries.js';

const logger = createLogger({ service: 'gateway-differential', level: 'silent' });
let tier: Tier;
let pair: Pair;

beforeAll(async () => {
  tier = await startTier(logger);
  pair = await startPair(tier, logger);
}, 120_000);
afterAll(async () => {
  await pair?.close();
  await tier?.close();
});

/**
 * `shaped`: 1 when the compiled form shapes the answer, 0 when it hands it to Apollo's own. Edgeway's
 * executor runs every plan here.
 */
async function expectSame(query: string, variables?: Record<string, unknown>, shaped = 1) {
  const before = patchUses();
  const edgeway = await pair.edgeway(query, variables);
  const after = patchUses();
  const vanilla = await pair.vanilla(query, variables);
  expect(edgeway.data).toEqual(vanilla.data);
  // The same fields in the same order: the client's selection order is part of the answer.
  expect(JSON.stringify(edgeway.data)).toBe(JSON.stringify(vanilla.data));
  expect(edgeway.errors).toEqual(vanilla.errors);
  expect(after['compiled-shaping'] - before['compiled-shaping']).toBe(shaped);
  expect(after['plan-executor'] - before['plan-executor']).toBe(1);
  expect(after['gateway-request-context'] - before['gateway-request-context']).toBe(1);
  return { edgeway, vanilla, cached: after['cached-operations'] - before['cached-operations'] };
}

describe('Edgeway gateway vs vanilla Apollo Gateway', () => {
  it('has every patch active', async () => {
    expect(installApolloPatches({ logger })).toEqual([
      { patch: 'cached-operations', active: true },
      { patch: 'compiled-shaping', active: true },
      { patch: 'plan-executor', active: true },
      { patch: 'gateway-request-context', active: true },
    ]);
    const active = await metrics.patchActive.get();
    expect(active.values.map((v) => [v.labels.patch, v.value]).sort()).toEqual([
      ['cached-operations', 1],
      ['compiled-shaping', 1],
      ['gateway-request-context', 1],
      ['plan-executor', 1],
    ]);
  });

  it('answers TestQuery the same, and the same again from the cached operation', async () => {
    const first = await expectSame(TEST_QUERY);
    expect(JSON.stringify(first.edgeway.data).length).toBeGreaterThan(80_000);
    expect((await expectSame(TEST_QUERY)).cached).toBe(1);
  });

  for (const { name, query, variables = [{}] } of CASES) {
    it(`answers the same: ${name}`, async () => {
      const cached: number[] = [];
      for (const values of variables) cached.push((await expectSame(query, values)).cached);
      // Apollo Server parses a query text once: from its second request on, the operation is reused.
      expect(cached.slice(1)).toEqual(cached.slice(1).map(() => 1));
    });
  }

  it("answers the same for names Object.prototype has, `__proto__` shaped by Apollo's own", async () => {
    await expectSame('{ toString: users { id constructor: name } top: topProducts(first: 2) { hasOwnProperty: upc } }');
    const { edgeway } = await expectSame('{ __proto__: topProducts(first: 1) { upc } users { id } }', {}, 0);
    expect(Object.keys(edgeway.data ?? {})).toEqual(['__proto__', 'users']);
  });

  it('answers the same with a subgraph down: its fields null, the rest served', async () => {
    const down = await startPair(tier, logger, { reviews: await refusedUrl() });
    try {
      const query = `{ topProducts(first: 3) { upc name reviews { body } reviewCount } users { id username } }`;
      const before = patchUses()['compiled-shaping'];
      const edgeway = await down.edgeway(query);
      expect(patchUses()['compiled-shaping']).toBe(before + 1);
      const vanilla = await down.vanilla(query);
      expect(edgeway.data).toEqual(vanilla.data);
      expect(JSON.stringify(edgeway.data)).toBe(JSON.stringify(vanilla.data));
      expect(edgeway.data?.users).toEqual(expect.arrayContaining([expect.objectContaining({ id: '1' })]));
      // By design Edgeway answers one error per field the subgraph owned, at its path, with a catalog
      // code and the subgraph's name (never its URL); Apollo one error per failed fetch.
      expect(edgeway.errors?.map((e) => e.path).sort()).toEqual(
        [0, 1, 2]
          .flatMap((i) => [
            ['topProducts', i, 'reviewCount'],
            ['topProducts', i, 'reviews'],
          ])
          .sort(),
      );
      for (const error of edgeway.errors ?? []) {
        expect(error.extensions).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE', dependency: 'reviews' });
      }
      expect(vanilla.errors?.length).toBeGreaterThan(0);
    } finally {
      await down.close();
    }
  });
});

describe('what the differential cases exercise', () => {
  it("has entity fetch errors to compare, each at its entity's path", async () => {
    const { edgeway } = await expectSame(`{ users { id orders { id } } }`);
    const users = (edgeway.data?.users ?? []) as unknown[];
    expect(users.length).toBeGreaterThan(1);
    expect(edgeway.errors?.map((error) => error.path)).toEqual(users.map((_, i) => ['users', i, 'orders']));
    const nested = await expectSame(`{ topProducts(first: 2) { reviews { author { orders { id } } } } }`);
    const paths = nested.edgeway.errors?.map((error) => error.path) ?? [];
    expect(paths.length).toBeGreaterThan(1);
    for (const path of paths)
      expect(path).toEqual(['topProducts', expect.any(Number), 'reviews', expect.any(Number), 'author', 'orders']);
  });
});

describe('representations', () => {
  /** The `_entities` representations of each recorded request, serialised one by one. */
  const representationsIn = (bodies: readonly string[]): string[][] =>
    bodies
      .map((body) => (JSON.parse(body) as { variables?: { representations?: unknown[] } }).variables?.representations)
      .filter((list): list is unknown[] => Array.isArray(list))
      .map((list) => list.map((representation) => JSON.stringify(representation)));

  it('sends each distinct representation once, and answers and errs as Apollo does at every place', async () => {
    const accounts = await recordingProxy(tier.urls.accounts!);
    const orders = await recordingProxy(tier.urls.orders!);
    const proxied = await startPair(tier, logger, { accounts: accounts.url, orders: orders.url });
    try {
      // Authors repeat across the reviews of the top products; each author's orders are refused
      // to an anonymous caller, an error per place in the answer.
      const query = `{ topProducts(first: 5) { upc reviews { id author { id name orders { id } } } } }`;
      const edgeway = await proxied.edgeway(query);
      const sentByEdgeway = { accounts: representationsIn(accounts.bodies), orders: representationsIn(orders.bodies) };
      accounts.bodies.length = 0;
      orders.bodies.length = 0;
      const vanilla = await proxied.vanilla(query);
      const sentByVanilla = { accounts: representationsIn(accounts.bodies), orders: representationsIn(orders.bodies) };

      expect(JSON.stringify(edgeway.data)).toBe(JSON.stringify(vanilla.data));
      expect(edgeway.errors).toEqual(vanilla.errors);
      const places = (edgeway.errors ?? []).map((error) => error.path);
      expect(places.length).toBeGreaterThan(2);
      for (const name of ['accounts', 'orders'] as const) {
        const ours = sentByEdgeway[name].flat();
        const theirs = sentByVanilla[name].flat();
        // Apollo sends an author once per review; Edgeway each author once, the same authors.
        expect(theirs.length).toBeGreaterThan(new Set(theirs).size);
        expect(ours).toEqual([...new Set(theirs)]);
      }
    } finally {
      await proxied.close();
      await accounts.close();
      await orders.close();
    }
  });
});
