// The gateway's per-request budget: an operation makes at most MAX_SUBGRAPH_FETCHES subgraph
// requests; the fetches past it are refused with a code, and the rest of the answer stands.
import { createLogger, createTokenVerifier } from '@edgeway/platform';
import { createTestIssuer } from '@edgeway/platform/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayApp } from './app.js';
import { askGateway, type RunningSubgraphs, type TestAnswer, startSubgraphs, startTestGateway } from './testing.js';

const logger = createLogger({ service: 'gateway-fetch-budget', level: 'silent' });
const issuer = await createTestIssuer();
let subgraphs: RunningSubgraphs;
let gateway: GatewayApp;

beforeAll(async () => {
  subgraphs = await startSubgraphs(logger);
  gateway = await startTestGateway(
    { subgraphUrls: subgraphs.urls, maxSubgraphFetches: 2, responseCache: false },
    { logger, verify: createTokenVerifier({ issuer: issuer.issuer, audience: issuer.audience, keys: issuer.getKey }) },
  );
});
afterAll(async () => {
  await gateway.app.close();
  await gateway.stop();
  await subgraphs.close();
});

type ProductsAnswer = Omit<TestAnswer, 'data'> & { data: { topProducts: Array<Record<string, unknown>> } };
const ask = (query: string) => askGateway<ProductsAnswer>(gateway, query);

describe('the subgraph fetch budget', () => {
  it('lets a plan within it through', async () => {
    const answer = await ask('{ topProducts(first: 2) { upc name reviews { body } } }');
    expect(answer.errors).toBeUndefined();
    expect(answer.data.topProducts[0]?.reviews).toEqual(expect.any(Array));
  });

  it('refuses the fetches past it with OPERATION_LIMIT_EXCEEDED and keeps what came before', async () => {
    // products, then reviews, then accounts for the authors, then inventory: four fetches.
    const answer = await ask('{ topProducts(first: 2) { upc name inStock reviews { body author { username } } } }');
    expect(answer.data.topProducts[0]).toMatchObject({ upc: expect.any(String), name: expect.any(String) });
    const codes = new Set((answer.errors ?? []).map((e) => e.extensions.code));
    expect([...codes]).toEqual(['OPERATION_LIMIT_EXCEEDED']);
    // Each request has its own budget: the next one is served the same way, not refused outright.
    const again = await ask('{ topProducts(first: 1) { upc reviews { body } } }');
    expect(again.errors).toBeUndefined();
  });
});
