import { createLogger, PAGE_LIMIT_MESSAGES } from '@edgeway/platform';
import { createTestCredentials } from '@edgeway/platform/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.js';
import { PRODUCTS, TOP_RANKING } from './data.js';
import { createSeedStore, type ProductStore } from './store.js';

const lookups: string[][] = [];
const seed = createSeedStore();
const countingStore: ProductStore = {
  ...seed,
  byUpcs: (upcs) => {
    lookups.push([...upcs]);
    return seed.byUpcs(upcs);
  },
};

const credentials = createTestCredentials('products');
const server = await buildApp({
  credentials: credentials.verifier,
  logger: createLogger({ service: 'products', level: 'silent' }),
  production: false,
  store: countingStore,
});
beforeAll(() => server.app.ready());
afterAll(() => server.app.close());

type Result = { data?: Record<string, unknown>; errors?: Array<{ message: string; extensions: { code: string } }> };

async function query(query: string, variables: Record<string, unknown> = {}): Promise<Result> {
  const response = await server.app.inject({
    method: 'POST',
    url: '/graphql',
    headers: { 'content-type': 'application/json', ...(await credentials.headers()) },
    payload: { query, variables },
  });
  // Field errors (BAD_USER_INPUT, ...) leave the status at 200 so the gateway keeps partial data.
  expect(response.statusCode).toBe(200);
  return response.json();
}

const upcsOf = (result: Result, field: string) =>
  ((result.data?.[field] ?? []) as Array<{ upc: string } | null>).map((product) => product?.upc ?? null);

const TOP = 'query ($first: Int) { topProducts(first: $first) { upc name price weight } }';
const PAGE = 'query ($first: Int, $after: String) { products(first: $first, after: $after) { upc } }';

describe('products subgraph', () => {
  it('answers /healthz', async () => {
    expect((await server.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });

  it('still answers 400 when the query is not valid for the schema', async () => {
    const response = await server.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json', ...(await credentials.headers()) },
      payload: { query: '{ nope }' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('has twelve products with upcs "1".."12" and plausible prices and weights', () => {
    expect(PRODUCTS.map((p) => p.upc)).toEqual(Array.from({ length: 12 }, (_, i) => String(i + 1)));
    for (const product of PRODUCTS) {
      expect(Number.isInteger(product.price) && product.price > 0).toBe(true);
      expect(Number.isInteger(product.weight) && product.weight > 0).toBe(true);
    }
  });

  describe('topProducts', () => {
    it('answers the first five of the curated ranking by default, which is not upc order', async () => {
      const result = await query('{ topProducts { upc } }');
      expect(upcsOf(result, 'topProducts')).toEqual(TOP_RANKING.slice(0, 5));
      expect(TOP_RANKING.slice(0, 5)).not.toEqual(['1', '2', '3', '4', '5']);
    });

    it('honours first, including 0, and caps it at the length of the ranking', async () => {
      expect(upcsOf(await query(TOP, { first: 2 }), 'topProducts')).toEqual(TOP_RANKING.slice(0, 2));
      expect(upcsOf(await query(TOP, { first: 0 }), 'topProducts')).toEqual([]);
      expect(upcsOf(await query(TOP, { first: 1000 }), 'topProducts')).toEqual([...TOP_RANKING]);
    });

    it('rejects a negative first with BAD_USER_INPUT', async () => {
      const result = await query(TOP, { first: -1 });
      expect(result.data?.topProducts).toBeNull();
      expect(result.errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
    });

    it('returns the full product records', async () => {
      const result = await query(TOP, { first: 1 });
      expect(result.data?.topProducts).toEqual([PRODUCTS.find((p) => p.upc === TOP_RANKING[0])]);
    });
  });

  it('answers product(upc), null for an unknown upc', async () => {
    const result = await query('{ a: product(upc: "4") { name } b: product(upc: "404") { name } }');
    expect(result.data).toEqual({ a: { name: 'Lamp' }, b: null });
  });

  describe('productsByUpc', () => {
    it('answers in the order asked, null for unknown upcs, in one lookup', async () => {
      lookups.length = 0;
      const result = await query('query ($u: [String!]!) { productsByUpc(upcs: $u) { upc } }', {
        u: ['9', 'x', '2', '9'],
      });
      expect(upcsOf(result, 'productsByUpc')).toEqual(['9', null, '2', '9']);
      expect(lookups).toEqual([['9', 'x', '2']]);
    });

    it('rejects more than 100 upcs', async () => {
      const upcs = Array.from({ length: 101 }, (_, i) => String(i));
      const result = await query('query ($u: [String!]!) { productsByUpc(upcs: $u) { upc } }', { u: upcs });
      expect(result.errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
      expect(result.errors?.[0]?.message).toBe(PAGE_LIMIT_MESSAGES.keys());
    });
  });

  describe('products (keyset pagination)', () => {
    it('walks the whole catalog in numeric upc order with no duplicates or gaps', async () => {
      for (const size of [1, 5, 7, 12, 100]) {
        const seen: string[] = [];
        let after: string | null = null;
        for (let guard = 0; guard < 20; guard++) {
          const page = upcsOf(await query(PAGE, { first: size, after }), 'products') as string[];
          expect(page.length).toBeLessThanOrEqual(size);
          seen.push(...page);
          if (page.length < size) break;
          after = page.at(-1) ?? null;
        }
        expect(seen).toEqual(Array.from({ length: 12 }, (_, i) => String(i + 1)));
      }
    });

    it('answers the products after a cursor, and none after the last', async () => {
      expect(upcsOf(await query(PAGE, { first: 3, after: '9' }), 'products')).toEqual(['10', '11', '12']);
      expect(upcsOf(await query(PAGE, { first: 3, after: '12' }), 'products')).toEqual([]);
      expect(upcsOf(await query(PAGE, { first: 0 }), 'products')).toEqual([]);
      expect(upcsOf(await query('{ products { upc } }'), 'products')).toHaveLength(12);
    });

    it('rejects an unknown cursor and a first outside 0..100', async () => {
      for (const variables of [{ after: 'nope' }, { first: -1 }, { first: 101 }]) {
        const result = await query(PAGE, variables);
        expect(result.errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
      }
      // The same words as the BFFs' own check of the same limit.
      for (const first of [-1, 101]) {
        expect((await query(PAGE, { first })).errors?.[0]?.message).toBe(PAGE_LIMIT_MESSAGES.pageSize());
      }
    });
  });

  it('resolves Product references in one batched lookup', async () => {
    lookups.length = 0;
    const representations = ['12', '1', 'nope', '7'].map((upc) => ({ __typename: 'Product', upc }));
    const result = await query(
      'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Product { upc name price weight } } }',
      { r: representations },
    );
    expect(result.errors).toBeUndefined();
    const byUpc = (upc: string) => PRODUCTS.find((p) => p.upc === upc);
    expect(result.data?._entities).toEqual([byUpc('12'), byUpc('1'), null, byUpc('7')]);
    expect(lookups).toEqual([['12', '1', 'nope', '7']]);
  });
});
