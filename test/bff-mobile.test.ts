import { beforeAll, describe, expect, it } from 'vitest';
import { graphql, restJson, tokenFor } from './support/client.js';
import { subgraphRequestsPerScreen, total } from './support/subgraphRequests.js';

interface Card {
  upc: string;
  name: string;
  price: { amount: number; currency: string; source: string };
  inStock: boolean | null;
  rating: number | null;
}
interface LivePrice {
  upc: string;
  amount: number;
  currency: string;
}

const HOME = `query Home($first: Int) {
  home(first: $first) {
    viewer { id name openOrderCount }
    topProducts { upc name price { amount currency source } inStock rating }
    recommended { upc name price { amount currency source } inStock rating }
  }
}`;

const mean = (xs: number[]) => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length);

async function livePrices(upcs: string[]): Promise<Map<string, LivePrice>> {
  const query = upcs.map((u) => `upc=${u}`).join('&');
  const { prices } = await restJson<{ prices: LivePrice[] }>('pricing', `/v1/prices?${query}`);
  return new Map(prices.map((p) => [p.upc, p]));
}

/** What the gateway itself says about products, to cross-check the BFF's cards. */
async function gatewayProducts(upcs: string[]) {
  const answer = await graphql<{
    productsByUpc: Array<{ upc: string; name: string; inStock: boolean; reviews: Array<{ rating: number }> }>;
  }>('gateway', 'query($upcs: [String!]!) { productsByUpc(upcs: $upcs) { upc name inStock reviews { rating } } }', {
    variables: { upcs },
  });
  expect(answer.body.errors).toBeUndefined();
  return new Map(answer.body.data!.productsByUpc.map((p) => [p.upc, p]));
}

async function expectCardsMatchSources(cards: Card[]) {
  const upcs = cards.map((c) => c.upc);
  const [prices, products] = await Promise.all([livePrices(upcs), gatewayProducts(upcs)]);
  for (const card of cards) {
    const product = products.get(card.upc)!;
    expect(card.name).toBe(product.name);
    expect(card.inStock).toBe(product.inStock);
    const expectedRating = mean(product.reviews.map((r) => r.rating));
    if (expectedRating === null) expect(card.rating).toBeNull();
    else expect(card.rating).toBeCloseTo(expectedRating, 10);
    const live = prices.get(card.upc)!;
    expect(card.price).toEqual({ amount: live.amount, currency: live.currency, source: 'LIVE' });
  }
}

describe('bff-mobile home', () => {
  let ada: string;
  beforeAll(async () => {
    ada = await tokenFor('1');
  });

  it('answers anonymously with viewer null, no picks, and the gateway top five in order', async () => {
    const [answer, top] = await Promise.all([
      graphql<{ home: { viewer: unknown; topProducts: Card[]; recommended: Card[] } }>('bff-mobile', HOME, {
        variables: { first: 5 },
      }),
      graphql<{ topProducts: Array<{ upc: string; name: string }> }>(
        'gateway',
        '{ topProducts(first: 5) { upc name } }',
      ),
    ]);
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
    const home = answer.body.data!.home;
    expect(home.viewer).toBeNull();
    expect(home.recommended).toEqual([]);
    expect(home.topProducts.map((p) => [p.upc, p.name])).toEqual(
      top.body.data!.topProducts.map((p) => [p.upc, p.name]),
    );
    expect(home.topProducts).toHaveLength(5);
    await expectCardsMatchSources(home.topProducts);
  });

  it('adds the viewer and recommendations for a signed-in user', async () => {
    const answer = await graphql<{
      home: { viewer: { id: string; name: string; openOrderCount: number }; recommended: Card[] };
    }>('bff-mobile', HOME, { token: ada });
    expect(answer.body.errors).toBeUndefined();
    const { viewer, recommended } = answer.body.data!.home;
    const me = await graphql<{ me: { id: string; name: string; orders: Array<{ status: string }> } }>(
      'gateway',
      '{ me { id name orders { status } } }',
      { token: ada },
    );
    const orders = me.body.data!.me.orders;
    expect(viewer).toEqual({
      id: '1',
      name: me.body.data!.me.name,
      openOrderCount: orders.filter((o) => o.status === 'PLACED' || o.status === 'SHIPPED').length,
    });
    const picks = await restJson<{ items: Array<{ upc: string }> }>(
      'recommendations',
      '/v1/users/1/recommendations?limit=50',
    );
    expect(recommended.length).toBeGreaterThan(0);
    expect(recommended.map((c) => c.upc)).toEqual(picks.items.slice(0, recommended.length).map((p) => p.upc));
    await expectCardsMatchSources(recommended);
  });

  it('honours first', async () => {
    const answer = await graphql<{ home: { topProducts: Card[] } }>('bff-mobile', HOME, { variables: { first: 2 } });
    expect(answer.body.data!.home.topProducts).toHaveLength(2);
  });
});

describe('bff-mobile product', () => {
  const PRODUCT = `query($upc: ID!) { product(upc: $upc) {
    upc name price { amount currency source } inStock shippingEstimate rating reviewCount
    topReviews(first: 2) { id body rating author }
  } }`;

  it('answers a product screen that agrees with the gateway', async () => {
    const answer = await graphql<{
      product: Card & {
        shippingEstimate: number;
        reviewCount: number;
        topReviews: Array<{ id: string; author: string }>;
      };
    }>('bff-mobile', PRODUCT, { variables: { upc: '1' } });
    expect(answer.body.errors).toBeUndefined();
    const product = answer.body.data!.product;
    const gateway = await graphql<{
      product: {
        shippingEstimate: number;
        reviewCount: number;
        reviews: Array<{ id: string; author: { username: string } }>;
      };
    }>(
      'gateway',
      '{ product(upc: "1") { shippingEstimate reviewCount reviews(first: 2) { id author { username } } } }',
    );
    const expected = gateway.body.data!.product;
    expect(product.upc).toBe('1');
    expect(product.shippingEstimate).toBe(expected.shippingEstimate);
    expect(product.reviewCount).toBe(expected.reviewCount);
    expect(product.topReviews.map((r) => [r.id, r.author])).toEqual(
      expected.reviews.map((r) => [r.id, r.author.username]),
    );
    await expectCardsMatchSources([product]);
  });

  it('answers null, not an error, for an unknown upc', async () => {
    const answer = await graphql('bff-mobile', PRODUCT, { variables: { upc: '999999' } });
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data).toEqual({ product: null });
  });
});

describe('bff-mobile orderDetail', () => {
  const ORDER_DETAIL = `query($id: ID!) { orderDetail(id: $id) {
    id status placedAt total { amount currency source }
    items { quantity unitPrice { amount currency source } product { upc name price { amount currency source } inStock rating } }
  } }`;
  interface GatewayOrder {
    id: string;
    status: string;
    placedAt: string;
    total: number;
    currency: string;
    items: Array<{ quantity: number; unitPrice: number; product: { upc: string } }>;
  }
  interface OrderDetail {
    id: string;
    status: string;
    placedAt: string;
    total: { amount: number; currency: string; source: string };
    items: Array<{ quantity: number; unitPrice: { amount: number; currency: string; source: string }; product: Card }>;
  }
  let ada: string;
  let adasOrders: GatewayOrder[];

  beforeAll(async () => {
    ada = await tokenFor('1');
    const mine = await graphql<{ me: { orders: GatewayOrder[] } }>(
      'gateway',
      '{ me { orders { id status placedAt total currency items { quantity unitPrice product { upc } } } } }',
      { token: ada },
    );
    expect(mine.body.errors).toBeUndefined();
    adasOrders = mine.body.data!.me.orders;
  });

  it("answers the caller's order as the gateway has it, every line priced live as pricing prices it", async () => {
    const order = adasOrders.find((o) => o.items.length > 1) ?? adasOrders[0]!;
    const answer = await graphql<{ orderDetail: OrderDetail }>('bff-mobile', ORDER_DETAIL, {
      variables: { id: order.id },
      token: ada,
    });
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.extensions?.degraded).toBeUndefined();
    const detail = answer.body.data!.orderDetail;
    expect(detail).toMatchObject({
      id: order.id,
      status: order.status,
      placedAt: order.placedAt,
      total: { amount: order.total, currency: order.currency, source: 'LIST' },
    });
    expect(detail.items.map((line) => [line.product.upc, line.quantity, line.unitPrice.amount])).toEqual(
      order.items.map((item) => [item.product.upc, item.quantity, item.unitPrice]),
    );
    await expectCardsMatchSources(detail.items.map((line) => line.product));
  });

  it("answers FORBIDDEN for someone else's order, null for an unknown id, UNAUTHENTICATED anonymously", async () => {
    const alan = await graphql<{ me: { orders: Array<{ id: string }> } }>('gateway', '{ me { orders { id } } }', {
      token: await tokenFor('2'),
    });
    const theirs = alan.body.data!.me.orders[0]!.id;
    const forbidden = await graphql('bff-mobile', ORDER_DETAIL, { variables: { id: theirs }, token: ada });
    expect(forbidden.body.data).toEqual({ orderDetail: null });
    expect(forbidden.body.errors?.map((e) => [e.extensions?.code, e.path])).toEqual([['FORBIDDEN', ['orderDetail']]]);

    const unknown = await graphql('bff-mobile', ORDER_DETAIL, { variables: { id: 'no-such-order' }, token: ada });
    expect(unknown.body.errors).toBeUndefined();
    expect(unknown.body.data).toEqual({ orderDetail: null });

    const anonymous = await graphql('bff-mobile', ORDER_DETAIL, { variables: { id: theirs } });
    expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('falls back to list prices with one grouped degraded entry when pricing is down', async () => {
    const order = adasOrders.find((o) => o.items.length > 1)!;
    const answer = await graphql<{ orderDetail: OrderDetail }>('bff-mobile', ORDER_DETAIL, {
      variables: { id: order.id },
      token: ada,
      headers: { 'x-chaos': 'pricing=down' },
    });
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data!.orderDetail.items.every((line) => line.product.price.source === 'LIST')).toBe(true);
    expect(answer.body.extensions?.degraded).toEqual([
      {
        path: ['orderDetail', 'items', '*', 'product', 'price'],
        count: order.items.length,
        dependency: 'pricing',
        reason: 'UPSTREAM_ERROR',
        fallback: 'LIST_PRICE',
      },
    ]);
  });
});

describe('bff-mobile home asks the subgraphs only for what the client selected', () => {
  it('fetches no top products, ratings or stock for a home that selects none of them', async () => {
    const token = await tokenFor('1');
    const lean = `{ home { viewer { name openOrderCount } recommended { upc name price { amount } } } }`;
    const [without, withAll] = await subgraphRequestsPerScreen('bff-mobile', token, [
      { query: lean, expected: ['accounts', 'orders', 'products'] },
      { query: HOME, expected: ['accounts', 'orders', 'products', 'reviews', 'inventory'] },
    ]);
    console.info('subgraph requests per home', { without, withAll });

    expect(without).toMatchObject({ reviews: 0, inventory: 0 });
    expect(withAll.reviews).toBeGreaterThanOrEqual(1);
    expect(withAll.inventory).toBeGreaterThanOrEqual(1);
    expect(total(without)).toBeLessThan(total(withAll));
  });
});
