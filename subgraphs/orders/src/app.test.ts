import { createInternalSigner, createLogger, INTERNAL_CREDENTIAL_HEADER } from '@edgeway/platform';
import { createTestCredentials, TEST_SIGNING_KEY } from '@edgeway/platform/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.js';
import { ORDERS } from './data.js';
import { createSeedStore, type OrderStore } from './store.js';

const calls = { byIds: [] as string[][], byUsers: [] as string[][] };
const seed = createSeedStore();
const countingStore: OrderStore = {
  byIds: (ids) => {
    calls.byIds.push([...ids]);
    return seed.byIds(ids);
  },
  byUsers: (ids) => {
    calls.byUsers.push([...ids]);
    return seed.byUsers(ids);
  },
};

const credentials = createTestCredentials('orders');
const server = await buildApp({
  credentials: credentials.verifier,
  logger: createLogger({ service: 'orders', level: 'silent' }),
  production: false,
  store: countingStore,
});
beforeAll(() => server.app.ready());
afterAll(() => server.app.close());

interface OrderJson {
  id: string;
  status: string;
  placedAt: string;
  total: number;
  currency: string;
  items: Array<{ product: { upc: string }; quantity: number; unitPrice: number }>;
  user: { id: string };
}
type Result = {
  data?: { _entities: Array<Record<string, OrderJson[] | null> | OrderJson | null> };
  errors?: Array<{ message: string; path: Array<string | number>; extensions: { code: string } }>;
};

const ORDER_FIELDS = 'id status placedAt total currency items { product { upc } quantity unitPrice } user { id }';

async function entities(representations: object[], selection: string, caller?: string): Promise<Result> {
  const response = await server.app.inject({
    method: 'POST',
    url: '/graphql',
    headers: { 'content-type': 'application/json', ...(await credentials.headers(caller)) },
    payload: {
      query: `query ($r: [_Any!]!) { _entities(representations: $r) { ${selection} } }`,
      variables: { r: representations },
    },
  });
  expect(response.statusCode).toBe(200);
  return response.json();
}

const user = (id: string) => ({ __typename: 'User', id });
const order = (id: string) => ({ __typename: 'Order', id });
const USER_IDS = ['1', '2', '3', '4', '5', '6'];

async function ordersOf(userId: string, args = ''): Promise<OrderJson[]> {
  const result = await entities([user(userId)], `... on User { orders${args} { ${ORDER_FIELDS} } }`, userId);
  expect(result.errors).toBeUndefined();
  return (result.data!._entities[0] as { orders: OrderJson[] }).orders;
}

describe('orders subgraph', () => {
  it('answers /healthz', async () => {
    expect((await server.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });

  it('gives every user at least four orders, in every status, with counts that vary', async () => {
    const counts = new Set<number>();
    for (const id of USER_IDS) {
      const orders = await ordersOf(id);
      expect(orders.length).toBeGreaterThanOrEqual(4);
      expect(new Set(orders.map((o) => o.status))).toEqual(new Set(['PLACED', 'SHIPPED', 'DELIVERED', 'CANCELLED']));
      counts.add(orders.length);
    }
    expect(counts.size).toBeGreaterThan(1);
    expect(new Set(ORDERS.map((o) => o.id)).size).toBe(ORDERS.length);
  });

  it("answers the caller's own orders most recent first, each total the exact sum of its items, in USD", async () => {
    for (const id of USER_IDS) {
      const orders = await ordersOf(id);
      const times = orders.map((o) => Date.parse(o.placedAt));
      expect(times).toEqual([...times].sort((a, b) => b - a));
      for (const o of orders) {
        expect(o.placedAt).toMatch(/^2026-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
        expect(o.total).toBe(o.items.reduce((sum, item) => sum + item.quantity * item.unitPrice, 0));
        expect(o.items.length).toBeGreaterThan(0);
        expect(o.currency).toBe('USD');
        expect(o.user).toEqual({ id });
      }
    }
  });

  it('filters by statuses and cuts at first', async () => {
    const all = await ordersOf('4');
    const shippedOrPlaced = await ordersOf('4', '(statuses: [PLACED, SHIPPED])');
    expect(shippedOrPlaced.map((o) => o.id)).toEqual(
      all.filter((o) => o.status === 'PLACED' || o.status === 'SHIPPED').map((o) => o.id),
    );
    expect((await ordersOf('4', '(first: 2)')).map((o) => o.id)).toEqual(all.slice(0, 2).map((o) => o.id));
    expect(await ordersOf('4', '(first: 0)')).toEqual([]);
  });

  it("answers FORBIDDEN for another user's orders and UNAUTHENTICATED for anonymous callers", async () => {
    const forbidden = await entities([user('1')], '... on User { orders { id } }', '2');
    expect(forbidden.data?._entities[0]).toEqual({ orders: null });
    expect(forbidden.errors?.map((e) => e.extensions.code)).toEqual(['FORBIDDEN']);
    const anonymous = await entities([user('1')], '... on User { orders { id } }');
    expect(anonymous.data?._entities[0]).toEqual({ orders: null });
    expect(anonymous.errors?.map((e) => e.extensions.code)).toEqual(['UNAUTHENTICATED']);
  });

  it('rejects a negative first', async () => {
    const result = await entities([user('1')], '... on User { orders(first: -1) { id } }', '1');
    expect(result.errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
  });

  it("loads a user's orders once per request however often they are asked for", async () => {
    calls.byUsers.length = 0;
    await entities(
      [user('5'), user('5')],
      '... on User { a: orders(first: 1) { id } b: orders(statuses: [CANCELLED]) { id } }',
      '5',
    );
    expect(calls.byUsers).toEqual([['5']]);
  });

  describe('Order references', () => {
    const own = ORDERS.filter((o) => o.userId === '3').map((o) => o.id);

    it("resolve the caller's own orders in one batched lookup, null for unknown ids", async () => {
      calls.byIds.length = 0;
      const result = await entities([...own, 'nope'].map(order), `... on Order { ${ORDER_FIELDS} }`, '3');
      expect(result.errors).toBeUndefined();
      const ids = result.data?._entities.map((o) => (o as OrderJson | null)?.id ?? null);
      expect(ids).toEqual([...own, null]);
      expect(calls.byIds).toEqual([[...own, 'nope']]);
    });

    it("answer FORBIDDEN for another user's order and UNAUTHENTICATED for anonymous callers", async () => {
      const forbidden = await entities([order(own[0]!)], '... on Order { id }', '4');
      expect(forbidden.data?._entities).toEqual([null]);
      expect(forbidden.errors?.map((e) => e.extensions.code)).toEqual(['FORBIDDEN']);
      const anonymous = await entities([order(own[0]!)], '... on Order { id }');
      expect(anonymous.errors?.map((e) => e.extensions.code)).toEqual(['UNAUTHENTICATED']);
    });
  });

  describe('Query.order', () => {
    const own = ORDERS.filter((o) => o.userId === '2');

    async function orderById(id: string, caller?: string) {
      const response = await server.app.inject({
        method: 'POST',
        url: '/graphql',
        headers: { 'content-type': 'application/json', ...(await credentials.headers(caller)) },
        payload: { query: `query ($id: ID!) { order(id: $id) { ${ORDER_FIELDS} } }`, variables: { id } },
      });
      expect(response.statusCode).toBe(200);
      return response.json() as { data: { order: OrderJson | null } | null; errors?: Result['errors'] };
    }

    it("answers the caller's own order, with every item, and null for an unknown id", async () => {
      const mine = await orderById(own[0]!.id, '2');
      expect(mine.errors).toBeUndefined();
      expect(mine.data?.order).toMatchObject({ id: own[0]!.id, user: { id: '2' } });
      expect(mine.data?.order?.items).toHaveLength(own[0]!.items.length);
      const unknown = await orderById('no-such-order', '2');
      expect(unknown.errors).toBeUndefined();
      expect(unknown.data).toEqual({ order: null });
    });

    it("answers FORBIDDEN for another user's order and UNAUTHENTICATED for anonymous callers, unknown id or not", async () => {
      const forbidden = await orderById(own[0]!.id, '1');
      expect(forbidden.data).toEqual({ order: null });
      expect(forbidden.errors?.map((e) => [e.extensions.code, e.path])).toEqual([['FORBIDDEN', ['order']]]);
      for (const id of [own[0]!.id, 'no-such-order']) {
        const anonymous = await orderById(id);
        expect(anonymous.errors?.map((e) => e.extensions.code)).toEqual(['UNAUTHENTICATED']);
      }
    });
  });

  describe('only the gateway may ask', () => {
    const ownOrders = {
      query: '{ _entities(representations: [{__typename: "User", id: "1"}]) { ... on User { orders { id } } } }',
    };
    const ask = (headers: Record<string, string>) =>
      server.app.inject({
        method: 'POST',
        url: '/graphql',
        headers: { 'content-type': 'application/json', ...headers },
        payload: ownOrders,
      });
    const signedBy = (secret: string, audience: string, ttlSec?: number, now?: () => number) =>
      createInternalSigner({ secret, ttlSec, now })(audience, '1');

    it.each([
      ['no credential', async () => ({})],
      ['a made-up user header', async () => ({ 'x-edgeway-user-id': '1' })],
      [
        'a credential signed with another secret',
        async () => ({ [INTERNAL_CREDENTIAL_HEADER]: await signedBy('x'.repeat(40), 'orders') }),
      ],
      [
        'a credential for another subgraph',
        async () => ({ [INTERNAL_CREDENTIAL_HEADER]: await signedBy(TEST_SIGNING_KEY, 'accounts') }),
      ],
      [
        'an expired credential',
        async () => ({
          [INTERNAL_CREDENTIAL_HEADER]: await signedBy(TEST_SIGNING_KEY, 'orders', 60, () => Date.now() - 3_600_000),
        }),
      ],
      [
        'a client token in the credential header',
        async () => ({ [INTERNAL_CREDENTIAL_HEADER]: 'eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.' }),
      ],
    ])('refuses %s with 401 UNAUTHENTICATED and no data', async (_what, headers) => {
      const response = await ask(await headers());
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual({
        errors: [{ message: expect.any(String), extensions: { code: 'UNAUTHENTICATED' } }],
      });
    });

    it("serves the signed caller's own orders", async () => {
      const response = await ask(await credentials.headers('1'));
      expect(response.statusCode).toBe(200);
      expect(response.json().data._entities[0].orders.length).toBeGreaterThan(0);
    });

    it('keeps probes open', async () => {
      expect((await server.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    });
  });
});
