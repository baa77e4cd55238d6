import { harnessPerTest, PICKS } from '@edgeway/bff-kit/testing';
import { metrics } from '@edgeway/platform';
import { describe, expect, it } from 'vitest';
import { bff } from '../../app.js';

const HOME = /* GraphQL */ `
  query Home($first: Int) {
    home(first: $first) {
      viewer {
        id
        name
        openOrderCount
      }
      topProducts {
        upc
        name
        price {
          amount
          currency
          source
        }
        inStock
        rating
      }
      recommended {
        upc
        name
        price {
          amount
          currency
          source
        }
        rating
      }
    }
  }
`;

const start = harnessPerTest(bff);

async function prefetches(outcome: 'hit' | 'miss'): Promise<number> {
  const { values } = await metrics.prefetches.get();
  return values.filter((v) => v.labels.outcome === outcome).reduce((sum, v) => sum + v.value, 0);
}

describe('home', () => {
  it('serves an anonymous caller the top products with live prices, and no viewer or picks', async () => {
    const { graphql, calls } = await start();
    const { status, body } = await graphql(HOME, { variables: { first: 5 } });

    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.extensions?.degraded).toBeUndefined();
    expect(body.data.home.viewer).toBeNull();
    expect(body.data.home.recommended).toEqual([]);
    expect(body.data.home.topProducts.map((p: { upc: string }) => p.upc)).toEqual(['3', '1', '7', '2', '5']);
    expect(body.data.home.topProducts[1]).toEqual({
      upc: '1',
      name: 'Product 1',
      price: { amount: 900, currency: 'USD', source: 'LIVE' },
      inStock: true,
      rating: (4 + 2 + 5) / 3,
    });
    expect(body.data.home.topProducts[0].rating).toBeNull();
    expect(calls.recommendations).toHaveLength(0);
    expect(calls.pricing).toHaveLength(1);
    expect(calls.gateway.map((c) => c.operationName)).toEqual(['MobileHome']);
  });

  it('defaults to five products and honours first', async () => {
    const { graphql } = await start();
    const all = await graphql(HOME);
    const two = await graphql(HOME, { variables: { first: 2 } });
    expect(all.body.data.home.topProducts).toHaveLength(5);
    expect(two.body.data.home.topProducts.map((p: { upc: string }) => p.upc)).toEqual(['3', '1']);
  });

  it('serves a signed-in caller with one gateway query, one recommendations call and one pricing call', async () => {
    const { graphql, calls, events } = await start();
    const { body, headers } = await graphql(HOME, { as: '1' });

    expect(body.errors).toBeUndefined();
    expect(body.data.home.viewer).toEqual({ id: '1', name: 'Ada Lovelace', openOrderCount: 2 });
    expect(body.data.home.recommended.map((p: { upc: string }) => p.upc)).toEqual(['7', '3', '9']);
    expect(body.data.home.recommended[2]).toEqual({
      upc: '9',
      name: 'Product 9',
      price: { amount: 8100, currency: 'USD', source: 'LIVE' },
      rating: null,
    });

    // Picks the screen query already brought (7, 3) are not fetched again.
    expect(calls.gateway.map((c) => [c.operationName, c.variables])).toEqual([
      ['MobileHome', { first: 5, withViewer: true, withOrders: true }],
      ['MobileProductsByUpc', { upcs: ['9'] }],
    ]);
    expect(calls.recommendations).toEqual([{ kind: 'forUser', id: '1', limit: 5 }]);
    expect(calls.pricing).toHaveLength(1);
    expect(new Set(calls.pricing[0]?.upcs)).toEqual(new Set(['3', '1', '7', '2', '5', '9']));

    // The screen query and the picks start together, before either answers.
    expect(events.slice(0, 2).sort()).toEqual(['start gateway MobileHome', 'start recommendations']);

    // The caller's token and request id travel to the gateway; the request id to REST services.
    const requestId = headers['x-request-id'];
    expect(calls.gateway[0]?.headers).toMatchObject({ 'x-request-id': requestId });
    expect(calls.gateway[0]?.headers.authorization).toMatch(/^Bearer /);
    expect(calls.pricing[0]?.headers).toEqual({ 'x-request-id': requestId });
  });

  it('prices what it showed the caller last time beside the screen query and the picks, in the one pricing call', async () => {
    const { graphql, calls, events } = await start({ delayMs: { recommendations: 60, gateway: 30 } });
    const first = await graphql(HOME, { as: '1' });
    const [gatewayBefore, pricingBefore, eventsBefore] = [calls.gateway.length, calls.pricing.length, events.length];
    const hitsBefore = await prefetches('hit');

    const { body } = await graphql(HOME, { as: '1' });
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual(first.body.data);
    // The cards of the expected picks come with the screen query: one gateway request.
    expect(calls.gateway.slice(gatewayBefore).map((c) => [c.operationName, c.variables])).toEqual([
      ['MobileHome', { first: 5, withViewer: true, withOrders: true, expected: ['7', '3', '9'], withExpected: true }],
    ]);
    expect(calls.pricing.slice(pricingBefore)).toHaveLength(1);
    expect(new Set(calls.pricing.at(-1)?.upcs)).toEqual(new Set(['3', '1', '7', '2', '5', '9']));
    // Pricing starts while the gateway and recommendations are still answering.
    const second = events.slice(eventsBefore);
    expect(second.indexOf('start pricing')).toBeGreaterThan(-1);
    expect(second.indexOf('start pricing')).toBeLessThan(second.indexOf('end gateway MobileHome'));
    expect(second.indexOf('start pricing')).toBeLessThan(second.indexOf('end recommendations'));
    // Both guesses (top products, picks) held.
    expect((await prefetches('hit')) - hitsBefore).toBe(2);
  });

  it('prices an anonymous screen beside its screen query from the second visit on', async () => {
    const { graphql, calls, events } = await start({ delayMs: { gateway: 30 } });
    const first = await graphql(HOME);
    const eventsBefore = events.length;
    const { body } = await graphql(HOME);
    expect(body.data).toEqual(first.body.data);
    expect(calls.pricing).toHaveLength(2);
    const second = events.slice(eventsBefore);
    expect(second.indexOf('start pricing')).toBeLessThan(second.indexOf('end gateway MobileHome'));
  });

  it('fetches and prices the picks it did not expect when the picks changed', async () => {
    const { graphql, calls } = await start({ delayMs: { recommendations: 60 } });
    await graphql(HOME, { as: '1' });
    const [gatewayBefore, pricingBefore] = [calls.gateway.length, calls.pricing.length];
    const missesBefore = await prefetches('miss');
    const picks = PICKS['1'] ?? [];
    PICKS['1'] = ['7', '3', '10'];
    try {
      const { body } = await graphql(HOME, { as: '1' });
      expect(body.errors).toBeUndefined();
      expect(body.data.home.recommended.map((p: { upc: string }) => p.upc)).toEqual(['7', '3', '10']);
      expect(body.data.home.recommended[2]).toEqual({
        upc: '10',
        name: 'Product 10',
        price: { amount: 9000, currency: 'USD', source: 'LIVE' },
        rating: null,
      });
      expect(calls.gateway.slice(gatewayBefore).map((c) => [c.operationName, c.variables])).toEqual([
        ['MobileHome', { first: 5, withViewer: true, withOrders: true, expected: ['7', '3', '9'], withExpected: true }],
        ['MobileProductsByUpc', { upcs: ['10'] }],
      ]);
      expect(calls.pricing.slice(pricingBefore).map((c) => c.upcs)).toEqual([
        expect.arrayContaining(['3', '1', '7', '2', '5', '9']),
        ['10'],
      ]);
      expect((await prefetches('miss')) - missesBefore).toBe(1);
    } finally {
      PICKS['1'] = picks;
    }
  });

  it('asks the gateway only for what the operation selects', async () => {
    const { graphql, calls } = await start();
    const { body } = await graphql('{ home { topProducts { upc name } } }', { as: '1' });
    expect(body.data.home.topProducts).toHaveLength(5);
    expect(calls.gateway[0]?.variables).toEqual({
      first: 5,
      withStock: false,
      withRating: false,
      withViewer: false,
      withOrders: false,
    });
    expect(calls.pricing).toHaveLength(0);
    expect(calls.recommendations).toHaveLength(0);
  });

  it("asks for neither the top products nor the cards' rating when the caller selects neither", async () => {
    const { graphql, calls } = await start();
    const { body } = await graphql('{ home { recommended { upc inStock price { amount } } } }', { as: '1' });

    expect(body.errors).toBeUndefined();
    expect(body.data.home.recommended.map((p: { upc: string }) => p.upc)).toEqual(['7', '3', '9']);
    const shape = { withTopProducts: false, withRating: false };
    expect(calls.gateway.map((c) => [c.operationName, c.variables])).toEqual([
      ['MobileHome', { first: 5, ...shape, withViewer: false, withOrders: false }],
      ['MobileProductsByUpc', { upcs: ['7', '3', '9'], withRating: false }],
    ]);
    // The one pricing call prices the picks only.
    expect(calls.pricing.map((c) => c.upcs)).toEqual([['7', '3', '9']]);

    // Next time the expected picks come with the screen, shaped the same, and nothing else.
    const again = await graphql('{ home { recommended { upc inStock price { amount } } } }', { as: '1' });
    expect(again.body.data).toEqual(body.data);
    expect(calls.gateway.slice(2).map((c) => [c.operationName, c.variables])).toEqual([
      [
        'MobileHome',
        { first: 5, ...shape, withViewer: false, withOrders: false, expected: ['7', '3', '9'], withExpected: true },
      ],
    ]);
    expect(calls.pricing.slice(1).map((c) => c.upcs)).toEqual([['7', '3', '9']]);
  });

  it('serves a rating a screen selected from a card another field fetched without it', async () => {
    const { graphql } = await start();
    const { body } = await graphql('{ a: home { topProducts { upc } } b: home { topProducts { upc rating } } }');
    expect(body.errors).toBeUndefined();
    expect(body.data.b.topProducts[1]).toEqual({ upc: '1', rating: (4 + 2 + 5) / 3 });
  });

  it('rejects a page size outside 0..100', async () => {
    const { graphql } = await start();
    const { body } = await graphql(HOME, { variables: { first: -1 } });
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    // A large page is refused before that, by the cost limit, as the same literal would be.
    const large = await graphql(HOME, { variables: { first: 101 } });
    expect(large.body.errors?.[0]?.extensions?.code).toBe('OPERATION_LIMIT_EXCEEDED');
  });
});

describe('home when a dependency fails', () => {
  it('answers recommended = [] and says so when recommendations is down', async () => {
    const { graphql, calls } = await start({ down: ['recommendations'] });
    const { status, body, headers } = await graphql(HOME, { as: '1' });

    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data.home.recommended).toEqual([]);
    expect(body.data.home.viewer.name).toBe('Ada Lovelace');
    expect(body.extensions?.degraded).toEqual([
      { path: ['home', 'recommended'], dependency: 'recommendations', reason: 'UPSTREAM_ERROR', fallback: 'EMPTY' },
    ]);
    expect(headers['cache-control']).toBe('no-store');
    expect(calls.recommendations).toHaveLength(1);
  });

  it('serves the last good picks (STALE) when recommendations fails after a good answer', async () => {
    const { graphql, down } = await start();
    const fresh = await graphql(HOME, { as: '1' });
    expect(fresh.body.extensions?.degraded).toBeUndefined();
    down.add('recommendations');
    const { status, body } = await graphql(HOME, { as: '1' });

    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data.home.recommended).toEqual(fresh.body.data.home.recommended);
    expect(body.extensions?.degraded).toEqual([
      { path: ['home', 'recommended'], dependency: 'recommendations', reason: 'UPSTREAM_ERROR', fallback: 'STALE' },
    ]);
  });

  it('falls back to list prices in ONE failed pricing call when pricing is down', async () => {
    const { graphql, calls } = await start({ down: ['pricing'] });
    const { body } = await graphql(HOME, { as: '1' });

    expect(body.errors).toBeUndefined();
    expect(body.data.home.topProducts[0].price).toEqual({ amount: 3000, currency: 'USD', source: 'LIST' });
    expect(body.data.home.recommended[2].price).toEqual({ amount: 9000, currency: 'USD', source: 'LIST' });
    expect(calls.pricing).toHaveLength(1);
    // One outage, eight prices: one entry per list, with how many prices each stood in for.
    const listPrice = { dependency: 'pricing', reason: 'UPSTREAM_ERROR', fallback: 'LIST_PRICE' };
    expect(body.extensions?.degraded).toEqual([
      { path: ['home', 'topProducts', '*', 'price'], count: 5, ...listPrice },
      { path: ['home', 'recommended', '*', 'price'], count: 3, ...listPrice },
    ]);
  });

  it('answers rating = null when the reviews subgraph fails', async () => {
    const { graphql } = await start({ subgraphsDown: ['reviews'] });
    const { body, headers } = await graphql(HOME);

    expect(body.errors).toBeUndefined();
    expect(body.data.home.topProducts.map((p: { rating: unknown }) => p.rating)).toEqual([
      null,
      null,
      null,
      null,
      null,
    ]);
    expect(body.extensions?.degraded).toEqual([
      {
        path: ['home', 'topProducts', '*', 'rating'],
        count: 5,
        dependency: 'reviews',
        reason: 'UPSTREAM_ERROR',
        fallback: 'NULL',
      },
    ]);
    expect(headers['cache-control']).toBe('no-store');
  });

  it('answers viewer = null with DEPENDENCY_UNAVAILABLE when accounts fails', async () => {
    const { graphql } = await start({ subgraphsDown: ['accounts'] });
    const { status, body } = await graphql(HOME, { as: '1' });

    expect(status).toBe(200);
    expect(body.data.home.viewer).toBeNull();
    expect(body.data.home.topProducts).toHaveLength(5);
    expect(body.errors).toEqual([
      expect.objectContaining({ path: ['home', 'viewer'], extensions: { code: 'DEPENDENCY_UNAVAILABLE' } }),
    ]);
    expect(body.extensions?.degraded).toEqual([
      { path: ['home', 'viewer'], dependency: 'accounts', reason: 'UPSTREAM_ERROR', fallback: 'NULL' },
    ]);
  });

  it('blames a subgraph failure only on the fields the gateway places it on', async () => {
    const { graphql } = await start({ subgraphsDown: ['accounts'] });
    const { body } = await graphql(HOME, { as: '1' });

    expect(body.data.home.viewer).toBeNull();
    // Product 3 has no reviews: its null rating is data, not the accounts outage.
    expect(body.data.home.topProducts[0].rating).toBeNull();
    expect(body.extensions?.degraded).toEqual([
      { path: ['home', 'viewer'], dependency: 'accounts', reason: 'UPSTREAM_ERROR', fallback: 'NULL' },
    ]);
  });

  it('answers openOrderCount = null with DEPENDENCY_UNAVAILABLE when orders fails', async () => {
    const { graphql } = await start({ subgraphsDown: ['orders'] });
    const { body } = await graphql(HOME, { as: '1' });

    expect(body.data.home.viewer).toEqual({ id: '1', name: 'Ada Lovelace', openOrderCount: null });
    expect(body.errors).toEqual([
      expect.objectContaining({
        path: ['home', 'viewer', 'openOrderCount'],
        extensions: { code: 'DEPENDENCY_UNAVAILABLE' },
      }),
    ]);
  });

  it('fails the screen with DEPENDENCY_UNAVAILABLE, naming no internals, when the gateway is down', async () => {
    const { graphql } = await start({ down: ['gateway'] });
    const { status, body } = await graphql(HOME, { as: '1' });

    expect(status).toBe(200);
    expect(body.data).toBeNull();
    expect(body.errors?.[0]?.extensions?.code).toBe('DEPENDENCY_UNAVAILABLE');
    expect(JSON.stringify(body)).not.toMatch(/https?:\/\/|127\.0\.0\.1/);
  });
});
