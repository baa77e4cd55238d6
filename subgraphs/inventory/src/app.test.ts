import { createLogger } from '@edgeway/platform';
import { createTestCredentials } from '@edgeway/platform/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.js';
import { STOCK } from './data.js';
import { shippingEstimate } from './shipping.js';
import { createSeedStore, type StockStore } from './store.js';

const lookups: string[][] = [];
const seed = createSeedStore();
const countingStore: StockStore = {
  unitsOnHand: (upcs) => {
    lookups.push([...upcs]);
    return seed.unitsOnHand(upcs);
  },
};

const credentials = createTestCredentials('inventory');
const server = await buildApp({
  credentials: credentials.verifier,
  logger: createLogger({ service: 'inventory', level: 'silent' }),
  production: false,
  store: countingStore,
});
beforeAll(() => server.app.ready());
afterAll(() => server.app.close());

type Result = { data?: { _entities: Array<Record<string, unknown> | null> }; errors?: unknown[] };

async function entities(representations: object[], selection: string): Promise<Result> {
  const payload = {
    query: `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Product { ${selection} } } }`,
    variables: { r: representations },
  };
  const response = await server.app.inject({
    method: 'POST',
    url: '/graphql',
    headers: { 'content-type': 'application/json', ...(await credentials.headers(payload)) },
    payload,
  });
  // Field errors (BAD_USER_INPUT, ...) leave the status at 200 so the gateway keeps partial data.
  expect(response.statusCode).toBe(200);
  return response.json();
}

describe('shippingEstimate', () => {
  it('is free strictly above 100000 cents, else half a cent per gram, rounded', () => {
    expect(shippingEstimate(129_900, 52_000)).toBe(0);
    expect(shippingEstimate(100_001, 10_000)).toBe(0);
    expect(shippingEstimate(100_000, 10_000)).toBe(5_000);
    expect(shippingEstimate(8_900, 6_500)).toBe(3_250);
    expect(shippingEstimate(100, 1_001)).toBe(501);
    expect(shippingEstimate(100, 0)).toBe(0);
  });

  it('is null when price or weight is unknown', () => {
    expect(shippingEstimate(null, 100)).toBeNull();
    expect(shippingEstimate(100, undefined)).toBeNull();
  });
});

describe('inventory subgraph', () => {
  it('answers /healthz', async () => {
    expect((await server.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });

  it('computes shippingEstimate from the @requires fields in the representation', async () => {
    const representations = [
      { __typename: 'Product', upc: '2', price: 129_900, weight: 52_000 },
      { __typename: 'Product', upc: '1', price: 34_900, weight: 28_000 },
      { __typename: 'Product', upc: '3', price: 100_000, weight: 6_501 },
      { __typename: 'Product', upc: '4', price: null, weight: 2_100 },
    ];
    const result = await entities(representations, 'upc shippingEstimate');
    expect(result.errors).toBeUndefined();
    expect(result.data?._entities).toEqual([
      { upc: '2', shippingEstimate: 0 },
      { upc: '1', shippingEstimate: 14_000 },
      { upc: '3', shippingEstimate: 3_251 },
      { upc: '4', shippingEstimate: null },
    ]);
  });

  it('answers inStock for every product from one batched stock lookup, null for an unknown upc', async () => {
    lookups.length = 0;
    const upcs = [...Array.from({ length: 12 }, (_, i) => String(i + 1)), 'unknown'];
    const result = await entities(
      upcs.map((upc) => ({ __typename: 'Product', upc })),
      'upc inStock',
    );
    expect(result.data?._entities).toEqual(
      upcs.map((upc) => ({ upc, inStock: upc in STOCK ? (STOCK[upc] ?? 0) > 0 : null })),
    );
    const soldOut = result.data?._entities.filter((p) => p?.inStock === false).map((p) => p?.upc);
    expect(soldOut?.length).toBeGreaterThan(0);
    expect(soldOut?.length).toBeLessThan(6);
    expect(lookups).toEqual([upcs]);
  });
});
