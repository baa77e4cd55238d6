import { harnessPerTest } from '@edgeway/bff-kit/testing';
import { describe, expect, it } from 'vitest';
import { bff } from '../../app.js';

const DASHBOARD = /* GraphQL */ `
  query Dashboard($orders: Int) {
    dashboard {
      user {
        id
        name
        username
        reviews {
          id
          body
          rating
          author {
            username
          }
        }
      }
      recentOrders(first: $orders) {
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
          product {
            upc
            name
            price {
              amount
              source
            }
          }
        }
      }
      recommendations {
        upc
        name
        price {
          amount
          currency
          source
        }
        averageRating
      }
    }
  }
`;

const start = harnessPerTest(bff);

describe('dashboard', () => {
  it('answers UNAUTHENTICATED to an anonymous caller without calling any upstream', async () => {
    const { graphql, calls } = await start();
    const { status, body } = await graphql(DASHBOARD);

    expect(status).toBe(200);
    expect(body.data).toBeNull();
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect([calls.gateway, calls.pricing, calls.recommendations].flat()).toEqual([]);
  });

  it('serves the user, their recent orders and picks, pricing every product in ONE call', async () => {
    const { graphql, calls, events } = await start();
    const { body } = await graphql(DASHBOARD, { as: '1' });

    expect(body.errors).toBeUndefined();
    const { user, recentOrders, recommendations } = body.data.dashboard;
    expect(user).toEqual({
      id: '1',
      name: 'Ada Lovelace',
      username: 'ada',
      reviews: [
        { id: 'r3', body: 'Comfy.', rating: 5, author: { username: 'ada' } },
        { id: 'r1', body: 'Lovely.', rating: 5, author: { username: 'ada' } },
      ],
    });
    expect(recentOrders.map((o: { id: string }) => o.id)).toEqual(['o4', 'o3', 'o2']);
    expect(recentOrders[1]).toEqual({
      id: 'o3',
      status: 'SHIPPED',
      placedAt: '2024-03-01T10:00:00Z',
      total: { amount: 15000, currency: 'USD', source: 'LIST' },
      items: [
        { quantity: 2, product: { upc: '2', name: 'Product 2', price: { amount: 1800, source: 'LIVE' } } },
        { quantity: 1, product: { upc: '5', name: 'Product 5', price: { amount: 4500, source: 'LIVE' } } },
        { quantity: 1, product: { upc: '6', name: 'Product 6', price: { amount: 5400, source: 'LIVE' } } },
      ],
    });
    expect(recommendations.map((p: { upc: string }) => p.upc)).toEqual(['7', '3', '9']);
    expect(recommendations[0]).toEqual({
      upc: '7',
      name: 'Product 7',
      price: { amount: 6300, currency: 'USD', source: 'LIVE' },
      averageRating: null,
    });

    // Product 9 came with the orders; only the other picks are fetched.
    expect(calls.gateway.map((c) => c.operationName)).toEqual(['WebDashboard', 'WebProductsByUpc']);
    expect(calls.gateway[1]?.variables).toMatchObject({ upcs: ['7', '3'] });
    expect(calls.recommendations).toEqual([{ kind: 'forUser', id: '1', limit: 5 }]);
    expect(calls.pricing).toHaveLength(1);
    expect(new Set(calls.pricing[0]?.upcs)).toEqual(new Set(['4', '11', '2', '5', '6', '9', '7', '3']));
    expect(events.slice(0, 2).sort()).toEqual(['start gateway WebDashboard', 'start recommendations']);
  });

  it('prices what it priced for the user last time beside the screen query and the picks, in ONE call', async () => {
    const { graphql, calls, events } = await start({ delayMs: { gateway: 30, recommendations: 60 } });
    const first = await graphql(DASHBOARD, { as: '1' });
    const [pricingBefore, eventsBefore] = [calls.pricing.length, events.length];

    const { body } = await graphql(DASHBOARD, { as: '1' });
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual(first.body.data);
    expect(calls.pricing.slice(pricingBefore)).toHaveLength(1);
    expect(new Set(calls.pricing.at(-1)?.upcs)).toEqual(new Set(['4', '11', '2', '5', '6', '9', '7', '3']));
    const second = events.slice(eventsBefore);
    expect(second.indexOf('start pricing')).toBeGreaterThan(-1);
    expect(second.indexOf('start pricing')).toBeLessThan(second.indexOf('end gateway WebDashboard'));
    expect(second.indexOf('start pricing')).toBeLessThan(second.indexOf('end recommendations'));
  });

  it('asks the gateway for as many orders as the largest recentOrders(first)', async () => {
    const { graphql, calls } = await start();
    const { body } = await graphql(
      '{ dashboard { one: recentOrders(first: 1) { id } two: recentOrders(first: 2) { id } } }',
      { as: '1' },
    );
    expect(body.data.dashboard).toEqual({ one: [{ id: 'o4' }], two: [{ id: 'o4' }, { id: 'o3' }] });
    expect(calls.gateway).toHaveLength(1);
    expect(calls.gateway[0]?.variables).toMatchObject({
      withOrders: true,
      orders: 2,
      withUserReviews: false,
      withReviews: false,
    });
    expect(calls.pricing).toHaveLength(0);
    expect(calls.recommendations).toHaveLength(0);
  });

  it("brings the products' reviews in the same requests when the page selects them", async () => {
    const { graphql, calls } = await start();
    const { body } = await graphql(
      `
        {
          dashboard {
            recentOrders {
              items {
                product {
                  upc
                  reviews(first: 1) {
                    body
                    author {
                      username
                    }
                  }
                }
              }
            }
            recommendations {
              upc
              reviews {
                id
              }
            }
          }
        }
      `,
      { as: '2' },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data.dashboard.recentOrders[0].items[0].product).toEqual({
      upc: '1',
      reviews: [{ body: 'Sturdy.', author: { username: 'alan' } }],
    });
    expect(body.data.dashboard.recommendations).toEqual([{ upc: '4', reviews: [] }]);
    // Reviews but no rating; neither stock nor shipping, so no inventory fields at all.
    const shape = {
      withWeight: false,
      withStock: false,
      withShipping: false,
      withRating: false,
      withInventoryFields: false,
    };
    expect(calls.gateway.map((c) => [c.operationName, c.variables])).toEqual([
      [
        'WebDashboard',
        { withOrders: true, orders: 5, withUserReviews: false, withReviews: true, reviewsFirst: 10, ...shape },
      ],
      ['WebProductsByUpc', { upcs: ['4'], withReviews: true, reviewsFirst: 10, ...shape }],
    ]);
  });

  it("asks the gateway only for the products' parts the page selects", async () => {
    const { graphql, calls } = await start();
    const { body } = await graphql(
      `
        {
          dashboard {
            recentOrders {
              items {
                product {
                  upc
                  name
                  averageRating
                }
              }
            }
            recommendations {
              upc
              inStock
            }
          }
        }
      `,
      { as: '2' },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data.dashboard.recentOrders[0].items[0].product).toEqual({
      upc: '1',
      name: 'Product 1',
      averageRating: (4 + 2 + 5) / 3,
    });
    expect(body.data.dashboard.recommendations).toEqual([{ upc: '4', inStock: false }]);
    // Neither weight nor the shipping estimate: inventory is asked for stock only, products for no weight.
    const shape = { withWeight: false, withShipping: false };
    expect(calls.gateway.map((c) => [c.operationName, c.variables])).toEqual([
      [
        'WebDashboard',
        { withOrders: true, orders: 5, withUserReviews: false, withReviews: false, reviewsFirst: null, ...shape },
      ],
      ['WebProductsByUpc', { upcs: ['4'], withReviews: false, reviewsFirst: null, ...shape }],
    ]);
  });

  it("loads a review author's own reviews when the page walks to them", async () => {
    const { graphql, calls } = await start();
    const { body } = await graphql(
      '{ dashboard { recentOrders { items { product { reviews { author { username reviews { id } } } } } } } }',
      { as: '2' },
    );
    const authors = body.data.dashboard.recentOrders[0].items[0].product.reviews.map(
      (r: { author: unknown }) => r.author,
    );
    expect(authors).toEqual([
      { username: 'alan', reviews: [{ id: 'r4' }] },
      { username: 'grace', reviews: [{ id: 'r2' }] },
      { username: 'ada', reviews: [{ id: 'r3' }, { id: 'r1' }] },
    ]);
    expect(calls.gateway.filter((c) => c.operationName === 'WebUserReviews')).toHaveLength(3);
  });
});

describe('dashboard when a dependency fails', () => {
  it('answers recommendations = [] and says so when recommendations is down', async () => {
    const { graphql } = await start({ down: ['recommendations'] });
    const { status, body, headers } = await graphql(DASHBOARD, { as: '1' });

    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data.dashboard.recommendations).toEqual([]);
    expect(body.data.dashboard.recentOrders).toHaveLength(3);
    expect(body.extensions?.degraded).toEqual([
      {
        path: ['dashboard', 'recommendations'],
        dependency: 'recommendations',
        reason: 'UPSTREAM_ERROR',
        fallback: 'EMPTY',
      },
    ]);
    expect(headers['cache-control']).toBe('no-store');
  });

  it('answers recentOrders = [] and says so when the orders subgraph fails', async () => {
    const { graphql } = await start({ subgraphsDown: ['orders'] });
    const { body } = await graphql(DASHBOARD, { as: '1' });

    expect(body.errors).toBeUndefined();
    expect(body.data.dashboard.recentOrders).toEqual([]);
    expect(body.data.dashboard.user.name).toBe('Ada Lovelace');
    expect(body.extensions?.degraded).toEqual([
      { path: ['dashboard', 'recentOrders'], dependency: 'orders', reason: 'UPSTREAM_ERROR', fallback: 'EMPTY' },
    ]);
  });

  it('falls back to list prices, in one failed pricing call, when pricing is down', async () => {
    const { graphql, calls } = await start({ down: ['pricing'] });
    const { body } = await graphql(DASHBOARD, { as: '1' });

    expect(body.data.dashboard.recommendations[0].price).toEqual({ amount: 7000, currency: 'USD', source: 'LIST' });
    expect(body.data.dashboard.recentOrders[0].total.source).toBe('LIST');
    expect(calls.pricing).toHaveLength(1);
    expect(body.extensions?.degraded).toContainEqual({
      path: ['dashboard', 'recommendations', '*', 'price'],
      count: 3,
      dependency: 'pricing',
      reason: 'UPSTREAM_ERROR',
      fallback: 'LIST_PRICE',
    });
  });

  it('fails with DEPENDENCY_UNAVAILABLE when the gateway is down', async () => {
    const { graphql } = await start({ down: ['gateway'] });
    const { body } = await graphql(DASHBOARD, { as: '1' });
    expect(body.data).toBeNull();
    expect(body.errors?.[0]?.extensions?.code).toBe('DEPENDENCY_UNAVAILABLE');
  });
});
