import { describe, expect, it } from 'vitest';
import { graphql, tokenFor } from './support/client.js';

describe('gateway', () => {
  it('serves the federated graph across all five subgraphs', async () => {
    const token = await tokenFor('1');
    const answer = await graphql<{
      me: { username: string; orders: Array<{ items: Array<{ product: { name: string; inStock: boolean } }> }> };
      topProducts: Array<{ upc: string; shippingEstimate: number; reviews: Array<{ author: { username: string } }> }>;
    }>(
      'gateway',
      '{ me { username orders(first: 1) { items { product { name inStock } } } } topProducts(first: 3) { upc shippingEstimate reviews { author { username } } } }',
      { token },
    );
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data!.me.username).toBe('ada');
    expect(answer.body.data!.me.orders[0]!.items[0]!.product.name).toEqual(expect.any(String));
    expect(answer.body.data!.topProducts).toHaveLength(3);
  });

  it("says how long an answer may be kept, from the subgraphs' cache hints", async () => {
    const cacheControl = async (query: string, token?: string) =>
      (await graphql('gateway', query, { token })).headers.get('cache-control');
    expect(await cacheControl('{ topProducts { upc name price } }')).toBe('max-age=60, public');
    expect(await cacheControl('{ topProducts { upc name price inStock } }')).toBe('max-age=10, public');
    expect(await cacheControl('{ topProducts { upc averageRating } }')).toBe('max-age=30, public');
    const token = await tokenFor('1');
    expect(await cacheControl('{ me { name } topProducts { upc } }', token)).toBe('max-age=30, private');
    expect(await cacheControl('{ me { orders { id } } }', token)).toBe('no-store');
  });

  it('is anonymous without a token: me is null', async () => {
    const answer = await graphql<{ me: unknown }>('gateway', '{ me { id } }');
    expect(answer.body.data).toEqual({ me: null });
  });

  it("forwards the caller's identity, so subgraphs enforce ownership", async () => {
    const token = await tokenFor('1');
    const answer = await graphql('gateway', '{ user(id: "2") { name orders { id } } }', { token });
    expect(answer.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(answer.body.errors?.[0]?.path).toEqual(['user', 'orders']);
  });

  it('does not let a client pick its identity with the internal header', async () => {
    const answer = await graphql<{ me: unknown }>('gateway', '{ me { id } }', {
      headers: { 'x-edgeway-user-id': '1' },
    });
    expect(answer.body.data).toEqual({ me: null });
  });
});
