import { readFileSync } from 'node:fs';
import { MAX_PAGE_SIZE, PAGE_LIMIT_MESSAGES } from '@edgeway/platform';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { GraphQLError } from 'graphql';
import type { Subgraph } from '../fields.js';

interface Product {
  upc: string;
  name: string;
  price: number;
  weight: number;
  inStock: boolean;
}

// A small deterministic catalog in the API's shapes; the order of TOP is deliberately not upc order.
export const PRODUCTS: Product[] = Array.from({ length: 12 }, (_, i) => ({
  upc: String(i + 1),
  name: `Product ${i + 1}`,
  price: (i + 1) * 1000,
  weight: (i + 1) * 500,
  inStock: (i + 1) % 4 !== 0,
}));
export const TOP = ['3', '1', '7', '2', '5', '11', '9', '4', '12', '6', '10', '8'];
export const USERS = [
  { id: '1', name: 'Ada Lovelace', username: 'ada' },
  { id: '2', name: 'Alan Turing', username: 'alan' },
  { id: '3', name: 'Grace Hopper', username: 'grace' },
];
// Products 1 and 2 have reviews, newest first; the others have none.
export const REVIEWS = [
  { id: 'r4', upc: '1', authorId: '2', body: 'Sturdy.', rating: 4 },
  { id: 'r3', upc: '2', authorId: '1', body: 'Comfy.', rating: 5 },
  { id: 'r2', upc: '1', authorId: '3', body: 'Wobbly.', rating: 2 },
  { id: 'r1', upc: '1', authorId: '1', body: 'Lovely.', rating: 5 },
];
// Most recent first, per user; most orders hold several items, as real ones do.
export const ORDERS = [
  {
    id: 'o4',
    userId: '1',
    status: 'PLACED',
    placedAt: '2024-04-01T10:00:00Z',
    items: [
      { upc: '4', quantity: 1 },
      { upc: '11', quantity: 2 },
    ],
  },
  {
    id: 'o3',
    userId: '1',
    status: 'SHIPPED',
    placedAt: '2024-03-01T10:00:00Z',
    items: [
      { upc: '2', quantity: 2 },
      { upc: '5', quantity: 1 },
      { upc: '6', quantity: 1 },
    ],
  },
  { id: 'o2', userId: '1', status: 'DELIVERED', placedAt: '2024-02-01T10:00:00Z', items: [{ upc: '9', quantity: 1 }] },
  {
    id: 'o1',
    userId: '2',
    status: 'PLACED',
    placedAt: '2024-01-01T10:00:00Z',
    items: [
      { upc: '1', quantity: 3 },
      { upc: '3', quantity: 1 },
    ],
  },
];

const productOf = (upc: string) => PRODUCTS.find((p) => p.upc === upc) ?? null;
const userOf = (id: string) => USERS.find((u) => u.id === id) ?? null;
const reviewsOf = (upc: string) => REVIEWS.filter((r) => r.upc === upc);
const totalOf = (order: (typeof ORDERS)[number]) =>
  order.items.reduce((sum, item) => sum + (productOf(item.upc)?.price ?? 0) * item.quantity, 0);

export interface FakeGatewayContext {
  userId: string | undefined;
}

/** The products subgraph's limits, in its words (the BFFs' words too). */
const badInput = (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });

/** The orders subgraph's ownership check, as the gateway passes on its refusals (code and path). */
function assertOwner(ctx: FakeGatewayContext, ownerId: string): void {
  if (!ctx.userId) throw new GraphQLError('Unauthenticated', { extensions: { code: 'UNAUTHENTICATED' } });
  if (ctx.userId !== ownerId) {
    throw new GraphQLError("Only the owner may read a user's orders", { extensions: { code: 'FORBIDDEN' } });
  }
}

/**
 * The gateway's API schema (gateway/api-schema.graphql) with hand-written resolvers over the data
 * above. The subgraphs in `down` lose their fields (errors with paths, as federation reports it).
 */
export function fakeGatewaySchema(repoRoot: URL, down: ReadonlySet<Subgraph>) {
  const from = <T>(subgraph: Subgraph, value: () => T): T => {
    if (down.has(subgraph)) throw new GraphQLError(`${subgraph} is down`, { extensions: { serviceName: subgraph } });
    return value();
  };
  return makeExecutableSchema({
    typeDefs: readFileSync(new URL('gateway/api-schema.graphql', repoRoot), 'utf8'),
    resolvers: {
      Query: {
        me: (_: unknown, __: unknown, ctx: FakeGatewayContext) =>
          from('accounts', () => (ctx.userId ? userOf(ctx.userId) : null)),
        user: (_: unknown, { id }: { id: string }) => from('accounts', () => userOf(id)),
        topProducts: (_: unknown, { first }: { first: number }) =>
          from('products', () => TOP.slice(0, first).map(productOf)),
        product: (_: unknown, { upc }: { upc: string }) => from('products', () => productOf(upc)),
        productsByUpc: (_: unknown, { upcs }: { upcs: string[] }) =>
          from('products', () => {
            if (upcs.length > MAX_PAGE_SIZE) throw badInput(PAGE_LIMIT_MESSAGES.keys());
            return upcs.map(productOf);
          }),
        products: (_: unknown, { first, after }: { first: number; after?: string | null }) =>
          from('products', () => {
            // The products subgraph's limit, in its words.
            if (first < 0 || first > MAX_PAGE_SIZE) throw badInput(PAGE_LIMIT_MESSAGES.pageSize());
            return PRODUCTS.filter((p) => !after || Number(p.upc) > Number(after)).slice(0, first);
          }),
        order: (_: unknown, { id }: { id: string }, ctx: FakeGatewayContext) =>
          from('orders', () => {
            if (!ctx.userId) assertOwner(ctx, '');
            const order = ORDERS.find((o) => o.id === id) ?? null;
            if (order) assertOwner(ctx, order.userId);
            return order;
          }),
      },
      Product: {
        inStock: (p: Product) => from('inventory', () => p.inStock),
        shippingEstimate: (p: Product) => from('inventory', () => (p.price > 10_000 ? 0 : Math.round(p.weight / 10))),
        reviews: (p: Product, { first }: { first?: number | null }) =>
          from('reviews', () => reviewsOf(p.upc).slice(0, first ?? undefined)),
        reviewCount: (p: Product) => from('reviews', () => reviewsOf(p.upc).length),
        averageRating: (p: Product) =>
          from('reviews', () => {
            const ratings = reviewsOf(p.upc).map((r) => r.rating);
            return ratings.length === 0 ? null : ratings.reduce((a, b) => a + b, 0) / ratings.length;
          }),
      },
      Review: { author: (r: (typeof REVIEWS)[number]) => userOf(r.authorId) },
      User: {
        reviews: (u: { id: string }) => from('reviews', () => REVIEWS.filter((r) => r.authorId === u.id)),
        orders: (
          u: { id: string },
          { first, statuses }: { first?: number | null; statuses?: string[] | null },
          ctx: FakeGatewayContext,
        ) =>
          from('orders', () => {
            assertOwner(ctx, u.id);
            const mine = ORDERS.filter((o) => o.userId === u.id && (!statuses || statuses.includes(o.status)));
            return mine.slice(0, first ?? undefined);
          }),
      },
      Order: {
        total: totalOf,
        currency: () => 'USD',
        user: (o: (typeof ORDERS)[number]) => userOf(o.userId),
        items: (o: (typeof ORDERS)[number]) =>
          o.items.map((item) => ({ ...item, unitPrice: productOf(item.upc)?.price ?? 0 })),
      },
      OrderItem: { product: (item: { upc: string }) => productOf(item.upc) },
    },
  });
}

/** The caller, as the real gateway learns it from the forwarded token (unverified here: the BFF verified it). */
export function callerOf(authorization: string | undefined): FakeGatewayContext {
  const payload = authorization?.replace(/^Bearer /, '').split('.')[1];
  if (!payload) return { userId: undefined };
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { sub?: string };
  return { userId: claims.sub };
}
