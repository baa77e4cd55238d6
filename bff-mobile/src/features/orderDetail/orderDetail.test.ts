import { harnessPerTest, unresolvedFields } from '@edgeway/bff-kit/testing';
import { describe, expect, it } from 'vitest';
import { bff } from '../../app.js';
import { orderDetailFeature } from './orderDetail.js';

const QUERY = /* GraphQL */ `
  query OrderDetail($id: ID!) {
    orderDetail(id: $id) {
      id
      status
      placedAt
      total {
        amount
        currency
        source
      }
      items {
        quantity
        unitPrice {
          amount
          source
        }
        product {
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
  }
`;

// Fake gateway (@edgeway/bff-kit/testing): user 1 owns o4 (product 4 x1, product 11 x2), o3 and
// o2; user 2 owns o1. Pricing knows upcs 1..10 (10% off the list price), not 11.
const start = harnessPerTest(bff);

describe('orderDetail', () => {
  it('resolves every field its SDL declares', () => {
    expect(unresolvedFields(orderDetailFeature)).toEqual([]);
  });

  it("answers the caller's order with every line live-priced, in one gateway request and one pricing call", async () => {
    const { graphql, calls } = await start();
    const { status, body } = await graphql(QUERY, { variables: { id: 'o4' }, as: '1' });

    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.extensions?.degraded).toBeUndefined();
    expect(body.data.orderDetail).toEqual({
      id: 'o4',
      status: 'PLACED',
      placedAt: '2024-04-01T10:00:00Z',
      total: { amount: 4000 + 2 * 11000, currency: 'USD', source: 'LIST' },
      items: [
        {
          quantity: 1,
          unitPrice: { amount: 4000, source: 'LIST' },
          product: { upc: '4', name: 'Product 4', price: { amount: 3600, currency: 'USD', source: 'LIVE' } },
        },
        {
          quantity: 2,
          unitPrice: { amount: 11000, source: 'LIST' },
          // Pricing has no price for 11: its list price is its price, and nothing is degraded.
          product: { upc: '11', name: 'Product 11', price: { amount: 11000, currency: 'USD', source: 'LIST' } },
        },
      ],
    });
    expect(calls.gateway.map((c) => [c.operationName, c.variables])).toEqual([['MobileOrderDetail', { id: 'o4' }]]);
    expect(calls.pricing.map((c) => c.upcs)).toEqual([['4', '11']]);
  });

  it('answers null for an unknown id', async () => {
    const { graphql } = await start();
    const { body } = await graphql(QUERY, { variables: { id: 'nope' }, as: '1' });
    expect(body.errors).toBeUndefined();
    expect(body.data.orderDetail).toBeNull();
  });

  it("answers FORBIDDEN for someone else's order, and UNAUTHENTICATED without calling the gateway for anonymous callers", async () => {
    const { graphql, calls } = await start();
    const theirs = await graphql(QUERY, { variables: { id: 'o1' }, as: '1' });
    expect(theirs.body.data.orderDetail).toBeNull();
    expect(theirs.body.errors).toEqual([
      expect.objectContaining({ path: ['orderDetail'], extensions: { code: 'FORBIDDEN' } }),
    ]);
    expect(theirs.body.extensions?.degraded).toBeUndefined();

    const gatewayCalls = calls.gateway.length;
    const anonymous = await graphql(QUERY, { variables: { id: 'o4' } });
    expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(calls.gateway).toHaveLength(gatewayCalls);
  });
});

describe('orderDetail when a dependency fails', () => {
  it('falls back to list prices, and says so, when pricing is down', async () => {
    const { graphql, calls } = await start({ down: ['pricing'] });
    const { status, body, headers } = await graphql(QUERY, { variables: { id: 'o3' }, as: '1' });

    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data.orderDetail.items.map((line: { product: { price: unknown } }) => line.product.price)).toEqual([
      { amount: 2000, currency: 'USD', source: 'LIST' },
      { amount: 5000, currency: 'USD', source: 'LIST' },
      { amount: 6000, currency: 'USD', source: 'LIST' },
    ]);
    // One outage over three lines: one entry for the list, with the count.
    expect(body.extensions?.degraded).toEqual([
      {
        path: ['orderDetail', 'items', '*', 'product', 'price'],
        count: 3,
        dependency: 'pricing',
        reason: 'UPSTREAM_ERROR',
        fallback: 'LIST_PRICE',
      },
    ]);
    expect(calls.pricing).toHaveLength(1);
    expect(headers['cache-control']).toBe('no-store');
  });

  it('answers null with DEPENDENCY_UNAVAILABLE when the orders subgraph fails', async () => {
    const { graphql } = await start({ subgraphsDown: ['orders'] });
    const { status, body } = await graphql(QUERY, { variables: { id: 'o4' }, as: '1' });

    expect(status).toBe(200);
    expect(body.data.orderDetail).toBeNull();
    expect(body.errors).toEqual([
      expect.objectContaining({ path: ['orderDetail'], extensions: { code: 'DEPENDENCY_UNAVAILABLE' } }),
    ]);
    expect(body.extensions?.degraded).toEqual([
      { path: ['orderDetail'], dependency: 'orders', reason: 'UPSTREAM_ERROR', fallback: 'NULL' },
    ]);
  });
});
