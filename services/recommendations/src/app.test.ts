import { createLogger, type Upstream } from '@edgeway/platform';
import type { FastifyInstance } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp, type RecommendationsResponse, SEED_RECOMMENDATIONS } from './app.js';
import { createRecommendationsClient } from './client.js';

const { app } = buildApp({ logger: createLogger({ service: 'recommendations', level: 'silent' }) });
afterAll(() => app.close());

async function get(url: string) {
  const res = await app.inject({ method: 'GET', url });
  return { status: res.statusCode, body: res.json() };
}

function expectBadInput(result: { status: number; body: unknown }) {
  expect(result.status).toBe(400);
  expect(result.body).toEqual({ code: 'BAD_USER_INPUT', message: expect.any(String) });
}

/**
 * The typed client over fastify inject: checks the wire format without a socket. Clients only
 * call `json`, so the resilience policy of a real upstream is left out.
 */
function injectUpstream(server: FastifyInstance): Upstream {
  const fake: Pick<Upstream, 'name' | 'json' | 'close'> = {
    name: 'recommendations',
    async json<T>(request: Parameters<Upstream['json']>[0]) {
      const query: Record<string, string> = {};
      for (const [k, v] of Object.entries(request.query ?? {})) if (v !== undefined) query[k] = String(v);
      const res = await server.inject({ method: request.method ?? 'GET', url: request.path, query });
      return { status: res.statusCode, body: res.json() as T };
    },
    close: async () => {},
  };
  return fake as Upstream;
}

const SEED_UPCS = new Set(Array.from({ length: 12 }, (_, i) => String(i + 1)));

describe('GET /v1/users/:id/recommendations', () => {
  it('answers the best picks first, 10 at most by default', async () => {
    const { status, body } = await get('/v1/users/5/recommendations');
    expect(status).toBe(200);
    const items = (body as RecommendationsResponse).items;
    expect(items.length).toBe(SEED_RECOMMENDATIONS.users.get('5')!.length);
    expect(items[0]).toEqual({ upc: '12', score: 0.98 });
    expect(items.map((i) => i.score)).toEqual([...items.map((i) => i.score)].sort((a, b) => b - a));
  });

  it('honours limit', async () => {
    const { body } = await get('/v1/users/1/recommendations?limit=2');
    expect(body).toEqual({
      items: [
        { upc: '2', score: 0.97 },
        { upc: '5', score: 0.91 },
      ],
    });
    const max = await get('/v1/users/1/recommendations?limit=50');
    expect((max.body as RecommendationsResponse).items).toHaveLength(6);
  });

  it('answers an empty list with 200 for a user it does not know', async () => {
    expect(await get('/v1/users/999/recommendations')).toEqual({ status: 200, body: { items: [] } });
  });

  it.each(['0', '51', '-1', 'abc', '2.5'])('rejects limit=%s', async (limit) => {
    expectBadInput(await get(`/v1/users/1/recommendations?limit=${limit}`));
  });

  it('has 4..8 seed picks per user "1".."6", all seed products', () => {
    expect([...SEED_RECOMMENDATIONS.users.keys()]).toEqual(['1', '2', '3', '4', '5', '6']);
    for (const list of SEED_RECOMMENDATIONS.users.values()) {
      expect(list.length).toBeGreaterThanOrEqual(4);
      expect(list.length).toBeLessThanOrEqual(8);
      expect(new Set(list.map((r) => r.upc)).size).toBe(list.length);
      for (const r of list) expect(SEED_UPCS.has(r.upc) && r.score > 0 && r.score <= 1).toBe(true);
    }
  });
});

describe('GET /v1/products/:upc/related', () => {
  it('answers related products best first, never the product itself', async () => {
    for (const upc of SEED_UPCS) {
      const { status, body } = await get(`/v1/products/${upc}/related`);
      expect(status).toBe(200);
      const items = (body as RecommendationsResponse).items;
      expect(items.length).toBeGreaterThanOrEqual(3);
      expect(items.length).toBeLessThanOrEqual(6);
      expect(items.map((i) => i.upc)).not.toContain(upc);
      for (const i of items) expect(SEED_UPCS.has(i.upc)).toBe(true);
      expect(items.map((i) => i.score)).toEqual([...items.map((i) => i.score)].sort((a, b) => b - a));
    }
  });

  it('honours limit', async () => {
    expect(await get('/v1/products/1/related?limit=1')).toEqual({
      status: 200,
      body: { items: [{ upc: '2', score: 0.92 }] },
    });
  });

  it('answers 404 NOT_FOUND for an unknown product', async () => {
    const { status, body } = await get('/v1/products/999/related');
    expect(status).toBe(404);
    expect(body).toEqual({ code: 'NOT_FOUND', message: expect.stringContaining('999') });
  });

  it('rejects a malformed upc and an out-of-range limit', async () => {
    expectBadInput(await get('/v1/products/abc/related'));
    expectBadInput(await get('/v1/products/1/related?limit=0'));
    expectBadInput(await get('/v1/products/1/related?limit=51'));
  });
});

describe('the typed client against this app', () => {
  const client = createRecommendationsClient(injectUpstream(app));

  it('reads picks and related products', async () => {
    expect(await client.forUser('1', 2)).toEqual([
      { upc: '2', score: 0.97 },
      { upc: '5', score: 0.91 },
    ]);
    expect((await client.relatedTo('3', 10)).map((r) => r.upc)).toEqual(['1', '4', '12', '2', '8']);
  });

  it('maps an unknown user and an unknown product to []', async () => {
    expect(await client.forUser('nobody', 5)).toEqual([]);
    expect(await client.relatedTo('999', 5)).toEqual([]);
  });
});
