import {
  createCache,
  createDependencyPolicy,
  createGraphQLClient,
  metrics,
  type TypedDocumentNode,
  type Upstream,
  type UpstreamRequest,
  UpstreamError,
} from '@edgeway/platform';
import { execute, parse } from 'graphql';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Subgraph } from '../fields.js';
import { createFakeUpstreams } from '../testing/fakes.js';
import { fakeGatewaySchema } from '../testing/gateway.js';
import { REPO_ROOT } from '../testing/harness.js';
import type { CallOptions } from './gateway.js';
import { loadProductsByUpc } from './products.js';

interface Product {
  upc: string;
  name?: string | null;
  price?: number | null;
  inStock?: boolean | null;
}
type ProductsByUpc<V> = TypedDocumentNode<{ productsByUpc: Array<Product | null> }, V>;

const PRODUCTS_BY_UPC = parse(/* GraphQL */ `
  query KitProductsByUpc($upcs: [String!]!) {
    productsByUpc(upcs: $upcs) {
      upc
      name
      inStock
    }
  }
`) as ProductsByUpc<{ upcs: string[] }>;

// Another BFF's card: other fields, same operation name.
const PRICED_BY_UPC = parse(/* GraphQL */ `
  query KitProductsByUpc($upcs: [String!]!) {
    productsByUpc(upcs: $upcs) {
      upc
      price
    }
  }
`) as ProductsByUpc<{ upcs: string[] }>;

// A document whose other variables change what it selects (as bff-web's reviews do).
const MAYBE_NAMED = parse(/* GraphQL */ `
  query KitMaybeNamed($upcs: [String!]!, $named: Boolean!) {
    productsByUpc(upcs: $upcs) {
      upc
      name @include(if: $named)
    }
  }
`) as ProductsByUpc<{ upcs: string[]; named: boolean }>;

const CALL: CallOptions = { headers: { 'x-request-id': 'r1' } };

function load(upcs: string[], options: Parameters<typeof createFakeUpstreams>[1] = {}) {
  const { upstreams, calls } = createFakeUpstreams(REPO_ROOT, options);
  const answers = loadProductsByUpc(
    upstreams.gateway,
    CALL,
    { upcs, document: PRODUCTS_BY_UPC, variables: {} },
    (product, origin) => ({ ...product, origin }),
  );
  return { answers, calls };
}

/**
 * The platform GraphQL client over an upstream that answers as the gateway does: the fake
 * gateway's data and errors, with the Cache-Control header `cacheControl` gives (none when undefined).
 */
function gatewayAnswering(cacheControl: string | undefined, options: { down?: Subgraph[]; age?: string } = {}) {
  const schema = fakeGatewaySchema(REPO_ROOT, new Set(options.down));
  const asked: string[][] = [];
  const upstream: Upstream = {
    name: 'gateway',
    policy: createDependencyPolicy({ name: 'gateway' }),
    async json<T>(request: UpstreamRequest) {
      const { query, variables } = request.body as { query: string; variables: { upcs: string[] } };
      asked.push(variables.upcs);
      const result = await execute({ schema, document: parse(query), variableValues: variables, contextValue: {} });
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (cacheControl) headers['cache-control'] = cacheControl;
      if (options.age) headers.age = options.age;
      return { status: 200, body: JSON.parse(JSON.stringify(result)) as T, headers };
    },
    close: async () => {},
  };
  return { gateway: createGraphQLClient(upstream), asked };
}

type Gateway = ReturnType<typeof gatewayAnswering>['gateway'];
const cards = (
  gateway: Gateway,
  cache: ReturnType<typeof createCache>,
  upcs: string[],
  document: ProductsByUpc<{ upcs: string[] }> = PRODUCTS_BY_UPC,
  call: CallOptions = CALL,
) => loadProductsByUpc(gateway, call, { upcs, document, variables: {}, cache }, (product) => product);

let namespaces = 0;
const freshCache = () => createCache({ namespace: `test-products-${++namespaces}` });
const lookups = async (namespace: string) =>
  Object.fromEntries(
    (await metrics.cacheRequests.get()).values
      .filter((v) => v.labels.cache === namespace)
      .map((v) => [v.labels.result, v.value]),
  );

afterEach(() => {
  vi.useRealTimers();
});

describe('loadProductsByUpc', () => {
  it('answers every upc in order from one gateway request, null for an unknown upc', async () => {
    const { answers, calls } = load(['4', '999', '1']);

    const [four, unknown, one] = await answers;
    expect(four).toMatchObject({ upc: '4', name: 'Product 4', inStock: false, origin: { path: ['productsByUpc', 0] } });
    expect(unknown).toBeNull();
    expect(one).toMatchObject({ upc: '1', name: 'Product 1', origin: { path: ['productsByUpc', 2] } });
    expect(calls.gateway).toHaveLength(1);
    expect(calls.gateway[0]?.variables).toEqual({ upcs: ['4', '999', '1'] });
    expect(calls.gateway[0]?.headers).toEqual({ 'x-request-id': 'r1' });
  });

  it('fails every upc with the error naming the subgraph when the gateway answers no data', async () => {
    const { answers } = load(['1', '2'], { subgraphsDown: ['products'] });

    const [one, two] = await answers;
    expect(one).toBeInstanceOf(UpstreamError);
    expect(one).toMatchObject({ dependency: 'products' });
    expect(two).toBe(one);
  });

  it('fails every upc with the gateway failure when the call fails', async () => {
    const { answers } = load(['1', '2'], { down: ['gateway'] });

    const [one, two] = await answers;
    expect(one).toBeInstanceOf(UpstreamError);
    expect(one).toMatchObject({ dependency: 'gateway', reason: 'UPSTREAM_ERROR' });
    expect(two).toBe(one);
  });
});

describe('loadProductsByUpc with a cache', () => {
  it("keeps each card of a public answer: the next batch asks only for the upcs it lacks, and gets the gateway's cards", async () => {
    const { gateway, asked } = gatewayAnswering('max-age=60, public');
    const cache = freshCache();

    const first = await cards(gateway, cache, ['1', '999']);
    const second = await cards(gateway, cache, ['4', '999', '1']);

    expect(asked).toEqual([['1', '999'], ['4']]);
    const uncached = await cards(gatewayAnswering(undefined).gateway, freshCache(), ['4', '999', '1']);
    expect(second).toEqual(uncached);
    expect(second).toEqual([
      { upc: '4', name: 'Product 4', inStock: false },
      null,
      { upc: '1', name: 'Product 1', inStock: true },
    ]);
    expect(first).toEqual([second[2], null]);
  });

  it('asks for nothing when every card is kept, and counts hits and misses under its namespace', async () => {
    const { gateway, asked } = gatewayAnswering('max-age=60, public');
    const cache = createCache({ namespace: 'test-products-metrics' });

    await cards(gateway, cache, ['1', '2']);
    expect(await cards(gateway, cache, ['2', '1'])).toMatchObject([{ upc: '2' }, { upc: '1' }]);

    expect(asked).toEqual([['1', '2']]);
    expect(await lookups('test-products-metrics')).toEqual({ miss: 2, hit: 2 });
  });

  it.each([
    ['a private answer', 'max-age=60, private'],
    ['an answer that does not say public', 'max-age=60'],
    ['an uncacheable answer', 'no-store'],
    ['an answer with max-age 0', 'max-age=0, public'],
    ['an answer without Cache-Control', undefined],
  ])('never keeps %s', async (_name, cacheControl) => {
    const { gateway, asked } = gatewayAnswering(cacheControl);
    const cache = freshCache();

    await cards(gateway, cache, ['1', '2']);
    await cards(gateway, cache, ['1', '2']);

    expect(asked).toEqual([
      ['1', '2'],
      ['1', '2'],
    ]);
  });

  it('never keeps an answer with errors (a degraded one), whatever its Cache-Control says', async () => {
    const { gateway, asked } = gatewayAnswering('max-age=60, public', { down: ['inventory'] });
    const cache = freshCache();

    const [one] = await cards(gateway, cache, ['1']);
    await cards(gateway, cache, ['1']);

    expect(one).toMatchObject({ upc: '1', inStock: null });
    expect(asked).toEqual([['1'], ['1']]);
  });

  it('keeps a card for max-age less the Age of the answer, then asks again', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-01-01T00:00:00Z') });
    const { gateway, asked } = gatewayAnswering('max-age=10, public', { age: '4' });
    const cache = freshCache();

    await cards(gateway, cache, ['1']);
    vi.advanceTimersByTime(5_900);
    await cards(gateway, cache, ['1']);
    expect(asked).toHaveLength(1);
    vi.advanceTimersByTime(200);
    await cards(gateway, cache, ['1']);
    expect(asked).toHaveLength(2);
  });

  it('keeps cards apart per document and per other variables', async () => {
    const { gateway, asked } = gatewayAnswering('max-age=60, public');
    const cache = freshCache();

    await cards(gateway, cache, ['1']);
    const priced = await cards(gateway, cache, ['1'], PRICED_BY_UPC);
    expect(priced).toEqual([{ upc: '1', price: 1000 }]);
    expect(asked).toHaveLength(2);

    const named = (named: boolean) =>
      loadProductsByUpc(gateway, CALL, { upcs: ['1'], document: MAYBE_NAMED, variables: { named }, cache }, (p) => p);
    expect(await named(false)).toEqual([{ upc: '1' }]);
    expect(await named(true)).toEqual([{ upc: '1', name: 'Product 1' }]);
    expect(await named(false)).toEqual([{ upc: '1' }]);
    expect(asked).toHaveLength(4);
  });

  it('is skipped, for reading and writing, when the request injects faults at the gateway or behind it', async () => {
    const { gateway, asked } = gatewayAnswering('max-age=60, public');
    const cache = freshCache();
    await cards(gateway, cache, ['1']);

    const behind: CallOptions = { headers: { 'x-chaos': 'products=slow:1' } };
    const at: CallOptions = { headers: {}, chaos: { mode: 'slow', delayMs: 1 } };
    await cards(gateway, cache, ['1', '2'], PRODUCTS_BY_UPC, behind);
    await cards(gateway, cache, ['1', '2'], PRODUCTS_BY_UPC, at);
    expect(asked).toEqual([['1'], ['1', '2'], ['1', '2']]);

    await cards(gateway, cache, ['1', '2']);
    expect(asked.at(-1)).toEqual(['2']);
  });

  it('answers the cards it keeps when the gateway fails, and the failure for the others', async () => {
    const cache = freshCache();
    await cards(gatewayAnswering('max-age=60, public').gateway, cache, ['1']);
    const { upstreams } = createFakeUpstreams(REPO_ROOT, { down: ['gateway'] });

    const [one, two] = await cards(upstreams.gateway, cache, ['1', '2']);

    expect(one).toEqual({ upc: '1', name: 'Product 1', inStock: true });
    expect(two).toMatchObject({ dependency: 'gateway', reason: 'UPSTREAM_ERROR' });
  });
});
