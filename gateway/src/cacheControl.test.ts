import { createLogger, createTokenVerifier, defaultEdgeSecurity } from '@edgeway/platform';
import { createTestIssuer } from '@edgeway/platform/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayApp } from './app.js';
import { type RunningSubgraphs, startSubgraphs, startTestGateway } from './testing.js';

// The Cache-Control the gateway answers with over the real subgraphs: each subgraph's
// @cacheControl hints (schema.graphql) become its answer's header, and the gateway keeps the most
// restrictive across the query plan.

const logger = createLogger({ service: 'gateway-test', level: 'silent' });
const issuer = await createTestIssuer();
let subgraphs: RunningSubgraphs;
let gateway: GatewayApp;

beforeAll(async () => {
  subgraphs = await startSubgraphs(logger);
  gateway = await startTestGateway(
    { subgraphUrls: subgraphs.urls, security: { ...defaultEdgeSecurity(), RATE_LIMIT_ENABLED: false } },
    { logger, verify: createTokenVerifier({ issuer: issuer.issuer, audience: issuer.audience, keys: issuer.getKey }) },
  );
});
afterAll(async () => {
  await gateway.app.close();
  await gateway.stop();
  await subgraphs.close();
});

async function cacheControlOf(query: string, sub?: string) {
  const response = await gateway.app.inject({
    method: 'POST',
    url: '/graphql',
    headers: {
      'content-type': 'application/json',
      ...(sub ? { authorization: `Bearer ${await issuer.sign(sub)}` } : {}),
    },
    payload: { query },
  });
  const body = response.json<{ errors?: unknown[] }>();
  return { cacheControl: response.headers['cache-control'], errors: body.errors };
}

describe('Cache-Control of gateway answers', () => {
  it('lets anyone keep catalogue data for a minute', async () => {
    const answer = await cacheControlOf('{ topProducts { upc name price weight } }');
    expect(answer).toEqual({ cacheControl: 'max-age=60, public', errors: undefined });
    // The shipping estimate is computed from price and weight (inventory, @requires).
    expect((await cacheControlOf('{ topProducts { upc shippingEstimate } }')).cacheControl).toBe('max-age=60, public');
    expect((await cacheControlOf('{ product(upc: "1") { name } products(first: 2) { upc } }')).cacheControl).toBe(
      'max-age=60, public',
    );
  });

  it('lowers it to 10 s with stock, and to 30 s with reviews and ratings', async () => {
    expect((await cacheControlOf('{ topProducts { upc name price inStock } }')).cacheControl).toBe(
      'max-age=10, public',
    );
    expect((await cacheControlOf('{ topProducts { upc averageRating reviewCount } }')).cacheControl).toBe(
      'max-age=30, public',
    );
    expect(
      (await cacheControlOf('{ topProducts { reviews { body author { username name } product { name } } } }'))
        .cacheControl,
    ).toBe('max-age=30, public');
  });

  it("makes the signed-in caller's own data private, and orders uncacheable", async () => {
    expect(await cacheControlOf('{ me { name } topProducts { upc } }', '1')).toEqual({
      cacheControl: 'max-age=30, private',
      errors: undefined,
    });
    expect((await cacheControlOf('{ me { id } }')).cacheControl).toBe('max-age=30, private');
    const mine = await cacheControlOf('{ me { name orders(first: 1) { id total } } }', '1');
    expect(mine).toEqual({ cacheControl: 'no-store', errors: undefined });
    expect((await cacheControlOf('{ user(id: "1") { orders { id } } }', '1')).cacheControl).toBe('no-store');
  });

  it('never lets an answer with errors be kept', async () => {
    const rejected = await cacheControlOf('{ topProducts(first: -1) { upc } }');
    expect(rejected.errors).toHaveLength(1);
    expect(rejected.cacheControl).toBe('no-store');
    const forbidden = await cacheControlOf('{ user(id: "2") { name orders { id } } }', '1');
    expect(forbidden.errors).toHaveLength(1);
    expect(forbidden.cacheControl).toBe('no-store');
  });

  it('gives each BFF product card what its fields allow', async () => {
    const mobileCard = '{ productsByUpc(upcs: ["1", "4"]) { upc name price inStock averageRating } }';
    expect((await cacheControlOf(mobileCard)).cacheControl).toBe('max-age=10, public');
    // Signed in or not: the card holds nobody's own data.
    expect((await cacheControlOf(mobileCard, '1')).cacheControl).toBe('max-age=10, public');
  });
});
