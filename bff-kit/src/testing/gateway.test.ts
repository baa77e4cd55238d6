import { execute, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { fakeGatewaySchema, ORDERS } from './gateway.js';
import { REPO_ROOT } from './harness.js';

/** Runs `query` on the fake gateway as user `userId` (anonymous when undefined). */
async function ask(query: string, userId?: string, down: Array<'orders'> = []) {
  const result = await execute({
    schema: fakeGatewaySchema(REPO_ROOT, new Set(down)),
    document: parse(query),
    contextValue: { userId },
  });
  return JSON.parse(JSON.stringify(result)) as {
    data?: Record<string, unknown> | null;
    errors?: Array<{ message: string; path?: unknown[]; extensions?: { code?: string; serviceName?: string } }>;
  };
}

// The fake gateway refuses as the real orders subgraph does, through the real gateway.
describe('fake gateway orders', () => {
  it("refuses someone else's orders with FORBIDDEN, and anonymous callers with UNAUTHENTICATED", async () => {
    const theirs = await ask('{ user(id: "2") { orders { id } } }', '1');
    expect(theirs.data).toEqual({ user: { orders: null } });
    expect(theirs.errors?.map((e) => [e.extensions?.code, e.path])).toEqual([['FORBIDDEN', ['user', 'orders']]]);
    const anonymous = await ask('{ user(id: "1") { orders { id } } }');
    expect(anonymous.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
  });

  it("answers order(id) for its owner, null for an unknown id, FORBIDDEN for someone else's", async () => {
    const mine = await ask('{ order(id: "o3") { id items { quantity product { upc } } } }', '1');
    expect(mine.errors).toBeUndefined();
    expect((mine.data?.order as { items: unknown[] }).items).toHaveLength(3);
    expect((await ask('{ order(id: "nope") { id } }', '1')).data).toEqual({ order: null });
    const theirs = await ask('{ order(id: "o1") { id } }', '1');
    expect(theirs.errors?.map((e) => [e.extensions?.code, e.path])).toEqual([['FORBIDDEN', ['order']]]);
  });

  it('holds orders of several items, as real ones do', () => {
    expect(ORDERS.filter((order) => order.items.length > 1).length).toBeGreaterThan(1);
  });

  it('fails the orders fields, naming the subgraph, when it is down', async () => {
    const down = await ask('{ order(id: "o3") { id } }', '1', ['orders']);
    expect(down.data).toEqual({ order: null });
    expect(down.errors?.[0]?.extensions?.serviceName).toBe('orders');
  });
});
