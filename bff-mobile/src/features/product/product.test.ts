import { harnessPerTest } from '@edgeway/bff-kit/testing';
import { describe, expect, it } from 'vitest';
import { bff } from '../../app.js';

const PRODUCT = /* GraphQL */ `
  query Product($upc: ID!) {
    product(upc: $upc) {
      upc
      name
      price {
        amount
        currency
        source
      }
      inStock
      shippingEstimate
      rating
      reviewCount
      topReviews {
        id
        body
        rating
        author
      }
    }
  }
`;

const start = harnessPerTest(bff);

describe('product', () => {
  it.each([
    ['anonymous', undefined],
    ['signed in', '2'],
  ])('serves the product screen to a caller who is %s', async (_who, as) => {
    const { graphql } = await start();
    const { body } = await graphql(PRODUCT, { variables: { upc: '1' }, as });

    expect(body.errors).toBeUndefined();
    expect(body.data.product).toEqual({
      upc: '1',
      name: 'Product 1',
      price: { amount: 900, currency: 'USD', source: 'LIVE' },
      inStock: true,
      shippingEstimate: 50,
      rating: (4 + 2 + 5) / 3,
      reviewCount: 3,
      topReviews: [
        { id: 'r4', body: 'Sturdy.', rating: 4, author: 'alan' },
        { id: 'r2', body: 'Wobbly.', rating: 2, author: 'grace' },
        { id: 'r1', body: 'Lovely.', rating: 5, author: 'ada' },
      ],
    });
  });

  it('answers null without an error for an unknown upc', async () => {
    const { graphql } = await start();
    const { status, body } = await graphql(PRODUCT, { variables: { upc: '999' } });
    expect(status).toBe(200);
    expect(body).toEqual({ data: { product: null } });
  });

  it('uses one gateway request for every topReviews selection, and prices beside it', async () => {
    const { graphql, calls, events } = await start();
    const { body } = await graphql(`
      {
        product(upc: "1") {
          price {
            amount
          }
          one: topReviews(first: 1) {
            id
          }
          two: topReviews(first: 2) {
            id
          }
        }
      }
    `);

    expect(body.data.product.one).toEqual([{ id: 'r4' }]);
    expect(body.data.product.two).toEqual([{ id: 'r4' }, { id: 'r2' }]);
    expect(calls.gateway.map((c) => [c.operationName, c.variables])).toEqual([
      ['MobileProductScreen', { upc: '1', withReviews: true, reviews: 2 }],
    ]);
    expect(calls.pricing).toEqual([{ upcs: ['1'], headers: expect.any(Object) }]);
    expect(events.slice(0, 2).sort()).toEqual(['start gateway MobileProductScreen', 'start pricing']);
  });

  it('serves the list price when pricing has none for the product', async () => {
    const { graphql } = await start();
    const { body } = await graphql(PRODUCT, { variables: { upc: '12' } });
    expect(body.data.product.price).toEqual({ amount: 12000, currency: 'USD', source: 'LIST' });
    expect(body.extensions?.degraded).toBeUndefined();
  });
});

describe('product when a dependency fails', () => {
  it('answers null ratings and no reviews when the reviews subgraph fails', async () => {
    const { graphql } = await start({ subgraphsDown: ['reviews'] });
    const { body, headers } = await graphql(PRODUCT, { variables: { upc: '1' } });

    expect(body.errors).toBeUndefined();
    expect(body.data.product).toMatchObject({ name: 'Product 1', rating: null, reviewCount: null, topReviews: [] });
    expect(body.extensions?.degraded).toEqual(
      expect.arrayContaining([
        { path: ['product', 'rating'], dependency: 'reviews', reason: 'UPSTREAM_ERROR', fallback: 'NULL' },
        { path: ['product', 'reviewCount'], dependency: 'reviews', reason: 'UPSTREAM_ERROR', fallback: 'NULL' },
        { path: ['product', 'topReviews'], dependency: 'reviews', reason: 'UPSTREAM_ERROR', fallback: 'EMPTY' },
      ]),
    );
    expect(headers['cache-control']).toBe('no-store');
  });

  it('answers null stock and shipping when the inventory subgraph fails', async () => {
    const { graphql } = await start({ subgraphsDown: ['inventory'] });
    const { body } = await graphql(PRODUCT, { variables: { upc: '1' } });
    expect(body.errors).toBeUndefined();
    expect(body.data.product).toMatchObject({ inStock: null, shippingEstimate: null, reviewCount: 3 });
  });

  it('serves the list price, marked LIST_PRICE, when pricing is down', async () => {
    const { graphql } = await start({ down: ['pricing'] });
    const { body } = await graphql(PRODUCT, { variables: { upc: '1' } });
    expect(body.data.product.price).toEqual({ amount: 1000, currency: 'USD', source: 'LIST' });
    expect(body.extensions?.degraded).toEqual([
      { path: ['product', 'price'], dependency: 'pricing', reason: 'UPSTREAM_ERROR', fallback: 'LIST_PRICE' },
    ]);
  });

  it('answers product = null with DEPENDENCY_UNAVAILABLE when the gateway is down', async () => {
    const { graphql } = await start({ down: ['gateway'] });
    const { status, body } = await graphql(PRODUCT, { variables: { upc: '1' } });
    expect(status).toBe(200);
    expect(body.data).toEqual({ product: null });
    expect(body.errors).toEqual([
      expect.objectContaining({ path: ['product'], extensions: { code: 'DEPENDENCY_UNAVAILABLE' } }),
    ]);
  });
});
