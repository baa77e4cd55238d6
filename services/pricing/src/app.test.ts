import { createLogger, type Upstream } from '@edgeway/platform';
import type { FastifyInstance } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp, discounted, MAX_UPCS_PER_CALL, type PricesResponse, SEED_PRICES } from './app.js';
import { createPricingClient } from './client.js';

const { app } = buildApp({ logger: createLogger({ service: 'pricing', level: 'silent' }) });
afterAll(() => app.close());

async function get(query: string) {
  const res = await app.inject({ method: 'GET', url: `/v1/prices${query}` });
  return { status: res.statusCode, body: res.json() };
}

function expectBadInput(result: { status: number; body: unknown }, mentions?: string) {
  expect(result.status).toBe(400);
  expect(result.body).toEqual({ code: 'BAD_USER_INPUT', message: expect.stringContaining(mentions ?? '') });
}

/**
 * The typed client over fastify inject: checks the wire format without a socket. Clients only
 * call `json`, so the resilience policy of a real upstream is left out.
 */
function injectUpstream(server: FastifyInstance): Upstream {
  const fake: Pick<Upstream, 'name' | 'json' | 'close'> = {
    name: 'pricing',
    async json<T>(request: Parameters<Upstream['json']>[0]) {
      const query: Record<string, string | string[]> = {};
      for (const [k, v] of Object.entries(request.query ?? {})) {
        if (v !== undefined) query[k] = Array.isArray(v) ? v.map(String) : String(v);
      }
      const res = await server.inject({ method: request.method ?? 'GET', url: request.path, query });
      return { status: res.statusCode, body: res.json() as T };
    },
    close: async () => {},
  };
  return fake as Upstream;
}

describe('GET /v1/prices', () => {
  it('prices a single upc', async () => {
    const { status, body } = await get('?upc=1');
    expect(status).toBe(200);
    expect(body).toEqual({ prices: [{ upc: '1', amount: 34900, currency: 'USD', promotion: null }] });
  });

  it('answers in the order asked, each upc once, leaving unknown upcs out', async () => {
    const { status, body } = await get('?upc=12&upc=3&upc=999&upc=12&upc=1&upc=3');
    expect(status).toBe(200);
    expect((body as PricesResponse).prices.map((p) => p.upc)).toEqual(['12', '3', '1']);
  });

  it('answers an empty list when no upc is known', async () => {
    expect(await get('?upc=404&upc=0')).toEqual({ status: 200, body: { prices: [] } });
  });

  it('applies promotions: amount = round(base * (100 - percentOff) / 100)', async () => {
    const { body } = await get('?upc=2&upc=5');
    expect(body).toEqual({
      prices: [
        { upc: '2', amount: 116910, currency: 'USD', promotion: { code: 'SPRING10', percentOff: 10 } },
        { upc: '5', amount: 34425, currency: 'USD', promotion: { code: 'CLEARANCE25', percentOff: 25 } },
      ],
    });
    expect(discounted(1299, 10)).toBe(1169);
    expect(discounted(10, 25)).toBe(8); // 7.5 rounds up
    expect(discounted(54, 0)).toBe(54);
  });

  it('prices every seed upc "1".."12", promoted ones below their base', async () => {
    const all = Array.from({ length: 12 }, (_, i) => `upc=${i + 1}`).join('&');
    const { body } = await get(`?${all}`);
    const prices = (body as PricesResponse).prices;
    expect(prices).toHaveLength(12);
    for (const price of prices) {
      const entry = SEED_PRICES.get(price.upc)!;
      if (price.promotion) expect(price.amount).toBeLessThan(entry.base);
      else expect(price.amount).toBe(entry.base);
    }
    expect(prices.filter((p) => p.promotion).length).toBeGreaterThan(0);
  });

  it(`accepts exactly ${MAX_UPCS_PER_CALL} upcs`, async () => {
    const query = Array.from({ length: MAX_UPCS_PER_CALL }, (_, i) => `upc=${i + 1}`).join('&');
    const { status, body } = await get(`?${query}`);
    expect(status).toBe(200);
    expect((body as PricesResponse).prices).toHaveLength(12);
  });

  it(`rejects more than ${MAX_UPCS_PER_CALL} upcs`, async () => {
    const query = Array.from({ length: MAX_UPCS_PER_CALL + 1 }, (_, i) => `upc=${i + 1}`).join('&');
    expectBadInput(await get(`?${query}`), String(MAX_UPCS_PER_CALL));
  });

  it('rejects a call without upc', async () => {
    expectBadInput(await get(''), 'upc');
    expectBadInput(await get('?sku=1'));
  });

  it.each(['abc', '', '-1', '1.5', '1234567890123', '%20'])('rejects the malformed upc %j', async (upc) => {
    expectBadInput(await get(`?upc=1&upc=${upc}`));
  });

  it('renders errors as {code, message} without a stack', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/prices?upc=x' });
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(Object.keys(res.json()).sort()).toEqual(['code', 'message']);
    expect(res.body).not.toMatch(/at .*\.ts/);
  });

  it('serves a price book given as a dependency', async () => {
    const custom = buildApp({
      logger: createLogger({ service: 'pricing', level: 'silent' }),
      prices: new Map([['7', { base: 10, promotion: { code: 'HALF', percentOff: 50 } }]]),
    });
    const res = await custom.app.inject({ method: 'GET', url: '/v1/prices?upc=7&upc=1' });
    expect(res.json()).toEqual({
      prices: [{ upc: '7', amount: 5, currency: 'USD', promotion: { code: 'HALF', percentOff: 50 } }],
    });
    await custom.app.close();
  });
});

describe('the typed client against this app', () => {
  const client = createPricingClient(injectUpstream(app));

  it('prices many upcs, chunking past the per-call limit, without entries for unknown upcs', async () => {
    const upcs = [...Array.from({ length: 150 }, (_, i) => String(150 - i)), '2', '2'];
    const prices = await client.getPrices(upcs);
    expect([...prices.keys()].sort((a, b) => Number(a) - Number(b))).toEqual(
      Array.from({ length: 12 }, (_, i) => String(i + 1)),
    );
    expect(prices.get('2')).toEqual({
      upc: '2',
      amount: 116910,
      currency: 'USD',
      promotion: { code: 'SPRING10', percentOff: 10 },
    });
  });
});
