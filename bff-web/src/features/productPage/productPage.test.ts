import { harnessPerTest } from '@edgeway/bff-kit/testing';
import { describe, expect, it } from 'vitest';
import { bff } from '../../app.js';

const PAGE = /* GraphQL */ `
  query Page($upc: ID!) {
    productPage(upc: $upc) {
      product {
        upc
        name
        price {
          amount
          currency
          source
        }
        weight
        inStock
        shippingEstimate
        averageRating
        reviews(first: 2) {
          id
          body
          rating
          author {
            id
            username
          }
        }
      }
      related {
        upc
        name
        price {
          amount
          currency
          source
        }
      }
    }
  }
`;

const start = harnessPerTest(bff);

describe('productPage', () => {
  it.each([
    ['anonymous', undefined],
    ['signed in', '3'],
  ])('serves the product and its related products to a caller who is %s', async (_who, as) => {
    const { graphql } = await start();
    const { body } = await graphql(PAGE, { variables: { upc: '1' }, as });

    expect(body.errors).toBeUndefined();
    expect(body.data.productPage.product).toEqual({
      upc: '1',
      name: 'Product 1',
      price: { amount: 900, currency: 'USD', source: 'LIVE' },
      weight: 500,
      inStock: true,
      shippingEstimate: 50,
      averageRating: (4 + 2 + 5) / 3,
      reviews: [
        { id: 'r4', body: 'Sturdy.', rating: 4, author: { id: '2', username: 'alan' } },
        { id: 'r2', body: 'Wobbly.', rating: 2, author: { id: '3', username: 'grace' } },
      ],
    });
    expect(body.data.productPage.related).toEqual([
      { upc: '2', name: 'Product 2', price: { amount: 1800, currency: 'USD', source: 'LIVE' } },
      { upc: '4', name: 'Product 4', price: { amount: 3600, currency: 'USD', source: 'LIVE' } },
      // Pricing has no live price for 12: the list price is the price, and nothing is degraded.
      { upc: '12', name: 'Product 12', price: { amount: 12000, currency: 'USD', source: 'LIST' } },
    ]);
    expect(body.extensions?.degraded).toBeUndefined();
  });

  it('uses one product query, one related call, one cards request and ONE pricing call', async () => {
    const { graphql, calls, events } = await start();
    await graphql(PAGE, { variables: { upc: '1' } });

    expect(calls.gateway.map((c) => [c.operationName, c.variables])).toEqual([
      ['WebProductPage', { upc: '1', withReviews: true, reviewsFirst: 2 }],
      // A page asks the same reviews for all its products, so every product of it costs no extra request.
      ['WebProductsByUpc', { upcs: ['2', '4', '12'], withReviews: true, reviewsFirst: 2 }],
    ]);
    expect(calls.recommendations).toEqual([{ kind: 'relatedTo', id: '1', limit: 4 }]);
    expect(calls.pricing.map((c) => c.upcs)).toEqual([['1', '2', '4', '12']]);
    expect(events.slice(0, 2).sort()).toEqual(['start gateway WebProductPage', 'start recommendations']);
  });

  it('keeps the cards of related products while the gateway allows: a second view asks only for the page', async () => {
    const { graphql, calls } = await start({ cacheHint: { maxAge: 60, scope: 'PUBLIC' } });
    const first = await graphql(PAGE, { variables: { upc: '1' } });
    const second = await graphql(PAGE, { variables: { upc: '1' } });

    expect(second.body).toEqual(first.body);
    expect(calls.gateway.map((c) => c.operationName)).toEqual(['WebProductPage', 'WebProductsByUpc', 'WebProductPage']);
    // Other reviews asked for: other cards.
    await graphql(PAGE.replace('reviews(first: 2)', 'reviews(first: 1)'), { variables: { upc: '1' } });
    expect(calls.gateway.at(-1)?.variables).toEqual({ upcs: ['2', '4', '12'], withReviews: true, reviewsFirst: 1 });
    expect(calls.pricing).toHaveLength(3);
  });

  it('answers null without an error for an unknown upc', async () => {
    const { graphql } = await start();
    const { status, body } = await graphql(PAGE, { variables: { upc: 'nope' } });
    expect(status).toBe(200);
    expect(body).toEqual({ data: { productPage: null } });
  });
});

describe('productPage when a dependency fails', () => {
  it('serves the last good related products (STALE) when recommendations fails after a good answer', async () => {
    const { graphql, down } = await start();
    const fresh = await graphql(PAGE, { variables: { upc: '1' } });
    down.add('recommendations');
    const { body } = await graphql(PAGE, { variables: { upc: '1' } });

    expect(body.errors).toBeUndefined();
    expect(body.data.productPage.related).toEqual(fresh.body.data.productPage.related);
    expect(body.extensions?.degraded).toEqual([
      { path: ['productPage', 'related'], dependency: 'recommendations', reason: 'UPSTREAM_ERROR', fallback: 'STALE' },
    ]);
  });

  it('answers related = [] and still prices the product once when recommendations is down', async () => {
    const { graphql, calls } = await start({ down: ['recommendations'] });
    const { body } = await graphql(PAGE, { variables: { upc: '1' } });

    expect(body.errors).toBeUndefined();
    expect(body.data.productPage.related).toEqual([]);
    expect(body.data.productPage.product.price.source).toBe('LIVE');
    expect(calls.pricing.map((c) => c.upcs)).toEqual([['1']]);
    expect(body.extensions?.degraded).toEqual([
      { path: ['productPage', 'related'], dependency: 'recommendations', reason: 'UPSTREAM_ERROR', fallback: 'EMPTY' },
    ]);
  });

  it('names the failed subgraph from an error the gateway could not place', async () => {
    const { graphql } = await start({ subgraphsDown: ['inventory'], pathlessErrors: true });
    const { body } = await graphql(PAGE, { variables: { upc: '3' } });

    expect(body.errors).toBeUndefined();
    // Product 3 has no reviews: its null rating is data, not the inventory outage.
    expect(body.data.productPage.product).toMatchObject({ inStock: null, shippingEstimate: null, averageRating: null });
    expect(body.extensions?.degraded).toEqual([
      {
        path: ['productPage', 'product', 'inStock'],
        dependency: 'inventory',
        reason: 'UPSTREAM_ERROR',
        fallback: 'NULL',
      },
      {
        path: ['productPage', 'product', 'shippingEstimate'],
        dependency: 'inventory',
        reason: 'UPSTREAM_ERROR',
        fallback: 'NULL',
      },
    ]);
  });

  it('answers null ratings and no reviews when the reviews subgraph fails', async () => {
    const { graphql } = await start({ subgraphsDown: ['reviews'] });
    const { body } = await graphql(PAGE, { variables: { upc: '1' } });

    expect(body.errors).toBeUndefined();
    expect(body.data.productPage.product).toMatchObject({ averageRating: null, reviews: [], name: 'Product 1' });
    expect(body.extensions?.degraded).toEqual(
      expect.arrayContaining([
        {
          path: ['productPage', 'product', 'averageRating'],
          dependency: 'reviews',
          reason: 'UPSTREAM_ERROR',
          fallback: 'NULL',
        },
        {
          path: ['productPage', 'product', 'reviews'],
          dependency: 'reviews',
          reason: 'UPSTREAM_ERROR',
          fallback: 'EMPTY',
        },
      ]),
    );
  });
});
