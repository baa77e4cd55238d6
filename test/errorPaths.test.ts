import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchSystem, type RunningSystem, type ServiceName } from '../scripts/system.js';

// A subgraph process stopped under a running gateway: the client's errors name exactly the
// fields that subgraph owned in the query, and the rest of the answer is served. A small system
// of its own (the shared one must stay whole).
let system: RunningSystem;

const url = (name: ServiceName) => system.services.find((s) => s.name === name)!.url;
const child = (name: ServiceName) => system.services.find((s) => s.name === name)!.child;

interface Answer {
  data: { topProducts: Array<Record<string, unknown>> | null; users?: unknown[] | null } | null;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions: Record<string, unknown> }>;
}

async function ask(query: string): Promise<Answer> {
  const response = await fetch(`${url('gateway')}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Answer;
}

beforeAll(async () => {
  system = await launchSystem({
    ports: 'free',
    only: ['identity', 'accounts', 'products', 'reviews', 'inventory', 'orders', 'gateway'],
    env: { NODE_ENV: 'test', LOG_LEVEL: 'warn', RATE_LIMIT_MAX: '100000' },
    // Every failure must show at once, not be answered from the subgraphs' cache hints.
    serviceEnv: { gateway: { RESPONSE_CACHE_ENABLED: 'false' } },
  });
}, 180_000);

afterAll(() => system?.stop());

const QUERY = '{ topProducts(first: 3) { upc name inStock count: reviewCount reviews { body } } users { id } }';

describe('the gateway with a subgraph stopped (real processes)', () => {
  it('is whole while everything is up', async () => {
    const answer = await ask(QUERY);
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.topProducts).toHaveLength(3);
  });

  it('reviews killed: one error per reviews field of each product, with its path; everything else served', async () => {
    child('reviews').kill('SIGKILL');
    try {
      const answer = await ask(QUERY);
      const products = answer.data?.topProducts ?? [];
      expect(products).toHaveLength(3);
      const paths = (answer.errors ?? []).map((e) => e.path);
      expect(paths.sort()).toEqual(
        [0, 1, 2]
          .flatMap((i) => [
            ['topProducts', i, 'count'],
            ['topProducts', i, 'reviews'],
          ])
          .sort(),
      );
      for (const error of answer.errors ?? []) {
        expect(error.message).toBe('reviews is unavailable');
        expect(error.extensions).toMatchObject({
          code: 'DEPENDENCY_UNAVAILABLE',
          dependency: 'reviews',
          reason: expect.stringMatching(/^(UPSTREAM_ERROR|CIRCUIT_OPEN|TIMEOUT)$/),
        });
      }
      for (const product of products) {
        expect(product).toMatchObject({
          upc: expect.any(String),
          name: expect.any(String),
          count: null,
          reviews: null,
        });
        expect(typeof product.inStock).toBe('boolean');
      }
      expect(answer.data?.users?.length).toBeGreaterThan(0);
      expect(JSON.stringify(answer)).not.toMatch(/https?:\/\/|127\.0\.0\.1/);
    } finally {
      await system.restart('reviews');
    }
  });
});
