// A subgraph that is down costs exactly the fields it owns in the query: each client error
// carries the path of one of those fields, the subgraph's name and a catalog code, and every
// other field is served. The real subgraphs, one of them pointed at a port nobody listens on.
import { createServer } from 'node:net';
import { createLogger, createTokenVerifier } from '@edgeway/platform';
import { createTestIssuer } from '@edgeway/platform/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'graphql';
import type { GatewayApp } from './app.js';
import { fieldPaths } from './fetchErrors.js';
import { type RunningSubgraphs, startSubgraphs, startTestGateway } from './testing.js';

const logger = createLogger({ service: 'gateway-error-paths', level: 'silent' });
const issuer = await createTestIssuer();
const verify = createTokenVerifier({ issuer: issuer.issuer, audience: issuer.audience, keys: issuer.getKey });
let subgraphs: RunningSubgraphs;
let deadUrl: string;
const gateways: GatewayApp[] = [];

/** A loopback URL nothing listens on: the port was free a moment ago. */
async function refusedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}/graphql`;
}

beforeAll(async () => {
  subgraphs = await startSubgraphs(logger);
  deadUrl = await refusedUrl();
});
afterAll(async () => {
  for (const gateway of gateways) {
    await gateway.app.close();
    await gateway.stop();
  }
  await subgraphs.close();
});

async function gatewayWithout(subgraph: string, production = false): Promise<GatewayApp> {
  const gateway = await startTestGateway(
    { production, subgraphUrls: { ...subgraphs.urls, [subgraph]: deadUrl }, responseCache: true },
    { logger, verify },
  );
  gateways.push(gateway);
  return gateway;
}

type Answer = {
  data: Record<string, unknown> | null;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions: Record<string, unknown> }>;
};

async function ask(gateway: GatewayApp, query: string, variables: Record<string, unknown> = {}): Promise<Answer> {
  const response = await gateway.app.inject({
    method: 'POST',
    url: '/graphql',
    headers: { 'content-type': 'application/json' },
    payload: { query, variables },
  });
  expect(response.statusCode).toBe(200);
  return response.json() as Answer;
}

const pathsOf = (answer: Answer) => (answer.errors ?? []).map((e) => e.path).sort();

describe('errors of a failed subgraph fetch', () => {
  it('name each entity field the subgraph owned, by response name, under @include, and keep the rest', async () => {
    const gateway = await gatewayWithout('reviews');
    const query = `query ($rated: Boolean!) {
      topProducts(first: 3) { upc name inStock count: reviewCount averageRating @include(if: $rated) reviews { body } }
    }`;
    for (const rated of [true, false]) {
      const answer = await ask(gateway, query, { rated });
      const products = answer.data?.topProducts as Array<Record<string, unknown>>;
      expect(products).toHaveLength(3);
      const owned = rated ? ['averageRating', 'count', 'reviews'] : ['count', 'reviews'];
      expect(pathsOf(answer)).toEqual(
        products.flatMap((_, i) => owned.map((field) => ['topProducts', i, field])).sort(),
      );
      for (const product of products) {
        expect(product).toMatchObject({ upc: expect.any(String), name: expect.any(String) });
        expect(typeof product.inStock).toBe('boolean');
        for (const field of owned) expect(product[field]).toBeNull();
      }
      for (const error of answer.errors ?? []) {
        expect(error.message).toBe('reviews is unavailable');
        expect(error.extensions).toMatchObject({
          code: 'DEPENDENCY_UNAVAILABLE',
          dependency: 'reviews',
          reason: expect.stringMatching(/^(UPSTREAM_ERROR|CIRCUIT_OPEN)$/),
        });
      }
    }
  });

  it('name root fields by their alias, and only those of the failed subgraph', async () => {
    const gateway = await gatewayWithout('products');
    const answer = await ask(
      gateway,
      '{ top: topProducts(first: 1) { upc } one: product(upc: "1") { name } users { id } }',
    );
    expect(pathsOf(answer)).toEqual([['one'], ['top']]);
    expect(answer.data).toMatchObject({ top: null, one: null, users: expect.any(Array) });
    expect((answer.data?.users as unknown[]).length).toBeGreaterThan(0);
  });

  it('place nested entity fields at every occurrence, repeated entities included', async () => {
    const healthy = await ask(
      await startTestGateway({ subgraphUrls: subgraphs.urls }, { logger, verify }).then((g) => (gateways.push(g), g)),
      '{ topProducts(first: 5) { reviews { author { id } } } }',
    );
    const gateway = await gatewayWithout('accounts');
    const answer = await ask(gateway, '{ topProducts(first: 5) { reviews { body author { id name } } } }');
    const expected: Array<Array<string | number>> = [];
    const products = healthy.data?.topProducts as Array<{ reviews: Array<{ author: unknown }> | null }>;
    products.forEach((product, i) =>
      product.reviews?.forEach((review, j) => {
        if (review.author) expected.push(['topProducts', i, 'reviews', j, 'author', 'name']);
      }),
    );
    expect(expected.length).toBeGreaterThan(1);
    expect(pathsOf(answer)).toEqual(expected.sort());
    const served = answer.data?.topProducts as Array<{ reviews: Array<{ body: unknown; author: { id: unknown } }> }>;
    expect(served[0]?.reviews[0]?.author.id).toEqual(expect.any(String));
  });

  it('carry only the public extensions in production, and are never cached', async () => {
    const gateway = await gatewayWithout('inventory', true);
    for (let i = 0; i < 2; i++) {
      const answer = await ask(gateway, '{ topProducts(first: 1) { upc inStock } }');
      expect(answer.errors).toEqual([
        {
          message: 'inventory is unavailable',
          path: ['topProducts', 0, 'inStock'],
          extensions: { code: 'DEPENDENCY_UNAVAILABLE', dependency: 'inventory', reason: expect.any(String) },
        },
      ]);
    }
  });
});

describe('the fields a subgraph operation resolves', () => {
  it('reads fragments, @skip with a default, aliases, and each representation by its type', () => {
    const document = parse(`
      query ($representations: [_Any!]!, $hide: Boolean = true) {
        _entities(representations: $representations) { ...P ... on User { handle: username } }
      }
      fragment P on Product { __typename upc stock: inStock weight @skip(if: $hide) }`);
    const representations = [
      { __typename: 'Product', upc: '1' },
      { __typename: 'User', id: '1' },
    ];
    expect(fieldPaths(document, { representations })).toEqual([
      ['_entities', 0, 'upc'],
      ['_entities', 0, 'stock'],
      ['_entities', 1, 'handle'],
    ]);
    expect(fieldPaths(document, { representations: representations.slice(0, 1), hide: false })).toEqual([
      ['_entities', 0, 'upc'],
      ['_entities', 0, 'stock'],
      ['_entities', 0, 'weight'],
    ]);
  });

  it('names root fields by response name and leaves __typename out', () => {
    const document = parse('query { __typename a: topProducts { upc } me @include(if: false) { id } users { id } }');
    expect(fieldPaths(document, {})).toEqual([['a'], ['users']]);
  });
});
