import { beforeAll, describe, expect, it } from 'vitest';
import { graphql, restJson, tokenFor, url } from './support/client.js';
import { scrape, valueOf } from './support/metrics.js';
import { subgraphRequestsPerScreen, total } from './support/subgraphRequests.js';

interface Order {
  id: string;
  status: string;
  placedAt: string;
  total: { amount: number; currency: string; source: string };
  items: Array<{ quantity: number; product: { upc: string; name: string } | null }>;
}

const DASHBOARD = `{
  dashboard {
    user { id name username reviews { id rating body } }
    recentOrders(first: 50) { id status placedAt total { amount currency source } items { quantity product { upc name } } }
    recommendations { upc name price { amount source } }
  }
}`;

describe('bff-web dashboard', () => {
  let ada: string;
  beforeAll(async () => {
    ada = await tokenFor('1');
  });

  it("answers the signed-in user's profile, orders most recent first, and picks", async () => {
    const answer = await graphql<{
      dashboard: {
        user: { id: string; name: string; username: string; reviews: Array<{ id: string }> };
        recentOrders: Order[];
        recommendations: Array<{ upc: string }>;
      };
    }>('bff-web', DASHBOARD, { token: ada });
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
    const { user, recentOrders, recommendations } = answer.body.data!.dashboard;

    const me = await graphql<{
      me: {
        id: string;
        name: string;
        username: string;
        reviews: Array<{ id: string }>;
        orders: Array<{
          id: string;
          total: number;
          currency: string;
          items: Array<{ quantity: number; unitPrice: number }>;
        }>;
      };
    }>(
      'gateway',
      '{ me { id name username reviews { id } orders { id total currency items { quantity unitPrice } } } }',
      {
        token: ada,
      },
    );
    const truth = me.body.data!.me;
    expect(user).toMatchObject({ id: '1', name: truth.name, username: truth.username });
    expect(user.reviews.map((r) => r.id).sort()).toEqual(truth.reviews.map((r) => r.id).sort());

    const placed = recentOrders.map((o) => Date.parse(o.placedAt));
    expect(placed).toEqual([...placed].sort((a, b) => b - a));
    expect(new Set(recentOrders.map((o) => o.status))).toEqual(
      new Set(['PLACED', 'SHIPPED', 'DELIVERED', 'CANCELLED']),
    );
    const byId = new Map(truth.orders.map((o) => [o.id, o]));
    expect(recentOrders).toHaveLength(truth.orders.length);
    for (const order of recentOrders) {
      const source = byId.get(order.id)!;
      expect(order.total.amount).toBe(source.total);
      expect(order.total.amount).toBe(source.items.reduce((sum, i) => sum + i.quantity * i.unitPrice, 0));
      expect(order.total.currency).toBe(source.currency);
      expect(order.items.every((i) => i.product !== null)).toBe(true);
    }

    const picks = await restJson<{ items: Array<{ upc: string }> }>(
      'recommendations',
      '/v1/users/1/recommendations?limit=50',
    );
    expect(recommendations.length).toBeGreaterThan(0);
    expect(recommendations.map((p) => p.upc)).toEqual(picks.items.slice(0, recommendations.length).map((p) => p.upc));
  });

  it('honours recentOrders(first)', async () => {
    const answer = await graphql<{ dashboard: { recentOrders: Order[] } }>(
      'bff-web',
      '{ dashboard { recentOrders(first: 2) { id } } }',
      {
        token: ada,
      },
    );
    expect(answer.body.data!.dashboard.recentOrders).toHaveLength(2);
  });

  it('answers UNAUTHENTICATED to an anonymous caller', async () => {
    const answer = await graphql('bff-web', DASHBOARD);
    expect(answer.body.data ?? null).toBeNull();
    expect(answer.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('bff-web productPage', () => {
  const PAGE = `query($upc: ID!) { productPage(upc: $upc) {
    product { upc name weight inStock shippingEstimate averageRating price { amount currency source } reviews(first: 3) { id rating author { username } } }
    related { upc name }
  } }`;

  it('answers the product and its related products', async () => {
    const answer = await graphql<{
      productPage: {
        product: { upc: string; name: string; averageRating: number | null; reviews: unknown[] };
        related: Array<{ upc: string }>;
      };
    }>('bff-web', PAGE, { variables: { upc: '2' } });
    expect(answer.body.errors).toBeUndefined();
    const page = answer.body.data!.productPage;
    const truth = await graphql<{ product: { name: string; averageRating: number | null } }>(
      'gateway',
      '{ product(upc: "2") { name averageRating } }',
    );
    expect(page.product).toMatchObject({ upc: '2', ...truth.body.data!.product });
    expect(page.product.reviews.length).toBeLessThanOrEqual(3);
    const related = await restJson<{ items: Array<{ upc: string }> }>(
      'recommendations',
      '/v1/products/2/related?limit=50',
    );
    expect(page.related.map((p) => p.upc)).toEqual(related.items.slice(0, page.related.length).map((p) => p.upc));
    expect(page.related.length).toBeGreaterThan(0);
  });

  it("keeps the related products' cards the gateway lets it keep: the same answer, from the card cache", async () => {
    const hits = async () =>
      valueOf(await scrape(url('bff-web')), 'edgeway_cache_requests_total', {
        cache: 'bff-web:products',
        result: 'hit',
      });
    const first = await graphql<{ productPage: { related: unknown[] } }>('bff-web', PAGE, { variables: { upc: '3' } });
    const before = await hits();
    const second = await graphql('bff-web', PAGE, { variables: { upc: '3' } });
    expect(second.body.errors).toBeUndefined();
    expect(second.body.data).toEqual(first.body.data);
    expect((await hits()) - before).toBeGreaterThanOrEqual(first.body.data!.productPage.related.length);
  });

  it('answers null, not an error, for an unknown upc', async () => {
    const answer = await graphql('bff-web', PAGE, { variables: { upc: '424242' } });
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data).toEqual({ productPage: null });
  });
});

describe('bff-web catalog', () => {
  const CATALOG = `query($first: Int, $after: String) { catalog(first: $first, after: $after) {
    edges { cursor node { upc name } } pageInfo { hasNextPage endCursor }
  } }`;

  it('walks every product exactly once, page by page', async () => {
    const all = await graphql<{ products: Array<{ upc: string }> }>('gateway', '{ products(first: 100) { upc } }');
    const expected = all.body.data!.products.map((p) => p.upc);
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 50; page++) {
      const answer: Awaited<
        ReturnType<
          typeof graphql<{
            catalog: {
              edges: Array<{ cursor: string; node: { upc: string } }>;
              pageInfo: { hasNextPage: boolean; endCursor: string | null };
            };
          }>
        >
      > = await graphql('bff-web', CATALOG, { variables: { first: 5, after } });
      expect(answer.body.errors).toBeUndefined();
      const { edges, pageInfo } = answer.body.data!.catalog;
      seen.push(...edges.map((e) => e.node.upc));
      expect(pageInfo.endCursor).toBe(edges.at(-1)?.cursor ?? null);
      if (!pageInfo.hasNextPage) break;
      after = pageInfo.endCursor;
    }
    expect(seen).toEqual(expected);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('serves the largest page, first: 100, and refuses 101 in the words the products subgraph uses', async () => {
    const largest = await graphql<{ catalog: { edges: unknown[]; pageInfo: { hasNextPage: boolean } } }>(
      'bff-web',
      CATALOG,
      { variables: { first: 100 } },
    );
    expect(largest.body.errors).toBeUndefined();
    const all = await graphql<{ products: unknown[] }>('gateway', '{ products(first: 100) { upc } }');
    expect(largest.body.data!.catalog.edges).toHaveLength(all.body.data!.products.length);

    const [bff, subgraph] = await Promise.all([
      graphql('bff-web', CATALOG, { variables: { first: 101 } }),
      graphql('gateway', '{ products(first: 101) { upc } }'),
    ]);
    expect(bff.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(subgraph.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(bff.body.errors?.[0]?.message).toBe('first must be between 0 and 100');
    expect(subgraph.body.errors?.[0]?.message).toBe(bff.body.errors?.[0]?.message);
  });

  it('rejects a forged cursor with BAD_USER_INPUT', async () => {
    const answer = await graphql('bff-web', CATALOG, { variables: { first: 5, after: 'not-a-cursor' } });
    expect(answer.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('bff-web dashboard asks the subgraphs only for what the client selected', () => {
  it('fetches no product rating, stock or shipping estimate for order items that select none of them', async () => {
    const token = await tokenFor('1');
    const orders = (product: string) => `{
      dashboard {
        user { id name }
        recentOrders(first: 5) { id items { quantity product { ${product} } } }
        recommendations { upc name }
      }
    }`;
    const [without, withAll] = await subgraphRequestsPerScreen('bff-web', token, [
      { query: orders('upc name'), expected: ['accounts', 'orders', 'products'] },
      {
        query: orders('upc name weight inStock shippingEstimate averageRating'),
        expected: ['accounts', 'orders', 'products', 'reviews', 'inventory'],
      },
    ]);
    console.info('subgraph requests per dashboard', { without, withAll });

    expect(without).toMatchObject({ reviews: 0, inventory: 0 });
    expect(withAll.reviews).toBeGreaterThanOrEqual(1);
    expect(withAll.inventory).toBeGreaterThanOrEqual(1);
    expect(total(without)).toBeLessThan(total(withAll));
  });
});
