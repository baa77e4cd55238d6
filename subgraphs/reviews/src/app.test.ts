import { createLogger } from '@edgeway/platform';
import { createTestCredentials } from '@edgeway/platform/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.js';
import { REVIEWS, type ReviewRecord, USERNAMES } from './data.js';
import { createSeedStore, type ReviewStore } from './store.js';

const calls = { byIds: [] as string[][], byProducts: [] as string[][], byAuthors: [] as string[][] };
const seed = createSeedStore();
const countingStore: ReviewStore = {
  byIds: (ids) => {
    calls.byIds.push([...ids]);
    return seed.byIds(ids);
  },
  byProducts: (upcs) => {
    calls.byProducts.push([...upcs]);
    return seed.byProducts(upcs);
  },
  byAuthors: (ids) => {
    calls.byAuthors.push([...ids]);
    return seed.byAuthors(ids);
  },
};
const resetCalls = () => {
  for (const list of Object.values(calls)) list.length = 0;
};

const credentials = createTestCredentials('reviews');
const server = await buildApp({
  credentials: credentials.verifier,
  logger: createLogger({ service: 'reviews', level: 'silent' }),
  production: false,
  store: countingStore,
});
beforeAll(() => server.app.ready());
afterAll(() => server.app.close());

type Result = {
  data?: { _entities: Array<Record<string, unknown> | null> };
  errors?: Array<{ extensions: { code: string } }>;
};

async function entities(representations: object[], selection: string): Promise<Result> {
  const payload = {
    query: `query ($r: [_Any!]!) { _entities(representations: $r) { ${selection} } }`,
    variables: { r: representations },
  };
  const response = await server.app.inject({
    method: 'POST',
    url: '/graphql',
    headers: { 'content-type': 'application/json', ...(await credentials.headers(payload)) },
    payload,
  });
  // Field errors (BAD_USER_INPUT, ...) leave the status at 200 so the gateway keeps partial data.
  expect(response.statusCode).toBe(200);
  return response.json();
}

const UPCS = Array.from({ length: 12 }, (_, i) => String(i + 1));
const newestFirst = (reviews: ReviewRecord[]) =>
  [...reviews].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt)).map((r) => r.id);

describe('reviews subgraph', () => {
  it('answers /healthz', async () => {
    expect((await server.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });

  it('seeds at least 30 valid reviews by the six users over the catalog, with one product unreviewed', () => {
    expect(REVIEWS.length).toBeGreaterThanOrEqual(30);
    expect(new Set(REVIEWS.map((r) => r.id)).size).toBe(REVIEWS.length);
    for (const review of REVIEWS) {
      expect(review.rating >= 1 && review.rating <= 5 && Number.isInteger(review.rating)).toBe(true);
      expect(Object.keys(USERNAMES)).toContain(review.authorId);
      expect(UPCS).toContain(review.productUpc);
      expect(review.body.length).toBeGreaterThan(0);
    }
    expect(UPCS.some((upc) => !REVIEWS.some((r) => r.productUpc === upc))).toBe(true);
  });

  it('answers reviewCount and the exact mean rating for every product, from one grouped lookup', async () => {
    resetCalls();
    const result = await entities(
      UPCS.map((upc) => ({ __typename: 'Product', upc })),
      '... on Product { upc reviewCount averageRating reviews { id } }',
    );
    expect(result.errors).toBeUndefined();
    for (const [index, upc] of UPCS.entries()) {
      const own = REVIEWS.filter((r) => r.productUpc === upc);
      const expected = own.length === 0 ? null : own.reduce((s, r) => s + r.rating, 0) / own.length;
      expect(result.data?._entities[index]).toEqual({
        upc,
        reviewCount: own.length,
        averageRating: expected,
        reviews: newestFirst(own).map((id) => ({ id })),
      });
    }
    expect(result.data?._entities.some((p) => p?.averageRating === null)).toBe(true);
    expect(calls.byProducts).toEqual([UPCS]);
  });

  it('answers the newest `first` reviews of a product, and rejects a negative first', async () => {
    const own = REVIEWS.filter((r) => r.productUpc === '3');
    const result = await entities([{ __typename: 'Product', upc: '3' }], '... on Product { reviews(first: 2) { id } }');
    expect(result.data?._entities[0]).toEqual({
      reviews: newestFirst(own)
        .slice(0, 2)
        .map((id) => ({ id })),
    });
    const bad = await entities([{ __typename: 'Product', upc: '3' }], '... on Product { reviews(first: -1) { id } }');
    expect(bad.errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
  });

  it("answers each user's reviews newest first, from one grouped lookup", async () => {
    resetCalls();
    const ids = ['1', '2', '3', '4', '5', '6', '99'];
    const result = await entities(
      ids.map((id) => ({ __typename: 'User', id })),
      '... on User { id reviews { id } }',
    );
    for (const [index, id] of ids.entries()) {
      const own = REVIEWS.filter((r) => r.authorId === id);
      expect(result.data?._entities[index]).toEqual({ id, reviews: newestFirst(own).map((rid) => ({ id: rid })) });
    }
    expect(calls.byAuthors).toEqual([ids]);
  });

  it('resolves Review references in one lookup, with the provided author username and the product key', async () => {
    resetCalls();
    const result = await entities(
      ['5', 'nope', '30'].map((id) => ({ __typename: 'Review', id })),
      '... on Review { id body rating author { id username } product { upc } }',
    );
    const expected = (id: string) => {
      const r = REVIEWS.find((review) => review.id === id)!;
      return {
        id,
        body: r.body,
        rating: r.rating,
        author: { id: r.authorId, username: USERNAMES[r.authorId] },
        product: { upc: r.productUpc },
      };
    };
    expect(result.data?._entities).toEqual([expected('5'), null, expected('30')]);
    expect(calls.byIds).toEqual([['5', 'nope', '30']]);
  });

  it('keeps the same usernames as the accounts seed', () => {
    expect(Object.values(USERNAMES)).toEqual(['ada', 'alan', 'grace', 'edsger', 'barbara', 'donald']);
  });
});
