import { readdirSync, readFileSync } from 'node:fs';
import {
  createLogger,
  createTokenVerifier,
  defaultEdgeSecurity,
  INTERNAL_CREDENTIAL_HEADER,
  operationLimits,
  parseApiKeys,
  sha256Hex,
} from '@edgeway/platform';
import { createTestIssuer } from '@edgeway/platform/testing';
import { buildSchema, parse, specifiedRules, validate } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayApp } from './app.js';
import { type RunningSubgraphs, startSubgraphs, startTestGateway } from './testing.js';

const PARTNER_KEY = 'partner-0123456789abcdef';
const ROOT = new URL('../../', import.meta.url);

/** The public federation gateway benchmark's query (graphql-hive/graphql-gateways-benchmark). */
const BENCHMARK_QUERY = /* GraphQL */ `
  fragment User on User {
    id
    username
    name
  }
  fragment Review on Review {
    id
    body
  }
  fragment Product on Product {
    inStock
    name
    price
    shippingEstimate
    upc
    weight
  }
  query TestQuery {
    users {
      ...User
      reviews {
        ...Review
        product {
          ...Product
          reviews {
            ...Review
            author {
              ...User
              reviews {
                ...Review
                product {
                  ...Product
                }
              }
            }
          }
        }
      }
    }
    topProducts {
      ...Product
      reviews {
        ...Review
        author {
          ...User
          reviews {
            ...Review
            product {
              ...Product
            }
          }
        }
      }
    }
  }
`;

const logger = createLogger({ service: 'gateway-test', level: 'silent' });
const urls: Record<string, string> = {};
const issuer = await createTestIssuer();

const gatewayWith = (production: boolean, subgraphUrls: Record<string, string>) =>
  startTestGateway(
    { production, subgraphUrls, apiKeys: parseApiKeys(`partner:${sha256Hex(PARTNER_KEY)}:7`).entries },
    { logger, verify: createTokenVerifier({ issuer: issuer.issuer, audience: issuer.audience, keys: issuer.getKey }) },
  );

let gateway: GatewayApp;
let subgraphs: RunningSubgraphs;
beforeAll(async () => {
  subgraphs = await startSubgraphs(logger);
  Object.assign(urls, subgraphs.urls);
  gateway = await gatewayWith(false, urls);
});
afterAll(async () => {
  await gateway.app.close();
  await gateway.stop();
  await subgraphs.close();
});

async function ask(app: GatewayApp, query: string, headers: Record<string, string> = {}) {
  const response = await app.app.inject({
    method: 'POST',
    url: '/graphql',
    headers: { 'content-type': 'application/json', ...headers },
    payload: { query },
  });
  return { status: response.statusCode, headers: response.headers, body: response.json(), text: response.body };
}
const as = async (sub: string) => ({ authorization: `Bearer ${await issuer.sign(sub)}` });

describe('gateway', () => {
  it("tells subgraphs who calls only through its signed credential: the caller's own orders", async () => {
    const mine = await ask(gateway, '{ me { username orders(first: 1) { id } } }', await as('1'));
    expect(mine.body.errors).toBeUndefined();
    expect(mine.body.data.me.username).toBe('ada');
    expect(mine.body.data.me.orders).toHaveLength(1);
    const theirs = await ask(gateway, '{ user(id: "2") { orders { id } } }', await as('1'));
    expect(theirs.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const anonymous = await ask(gateway, '{ me { id } topProducts(first: 1) { upc inStock } }');
    expect(anonymous.body.data.me).toBeNull();
    expect(anonymous.body.data.topProducts[0].inStock).toEqual(expect.any(Boolean));
    const forged = await ask(gateway, '{ me { id } }', { 'x-edgeway-user-id': '1', [INTERNAL_CREDENTIAL_HEADER]: 'x' });
    expect(forged.body.data.me).toBeNull();
  });

  it('is the only one a subgraph answers: a direct request with a forged header gets 401 and no data', async () => {
    const response = await fetch(urls.orders!, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-edgeway-user-id': '1' },
      body: JSON.stringify({
        query: '{ _entities(representations: [{__typename: "User", id: "1"}]) { ... on User { orders { id } } } }',
      }),
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      errors: [{ message: expect.any(String), extensions: { code: 'UNAUTHENTICATED' } }],
    });
  });

  it('serves the federation benchmark query within the default operation limits', async () => {
    const answer = await ask(gateway, BENCHMARK_QUERY);
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data.topProducts.length).toBeGreaterThan(0);
  });

  it("lets every BFF's gateway operation through the default limits", () => {
    const schema = buildSchema(readFileSync(new URL('../api-schema.graphql', import.meta.url), 'utf8'));
    const security = defaultEdgeSecurity();
    const { validationRules } = operationLimits({
      maxDepth: security.MAX_DEPTH,
      maxAliases: security.MAX_ALIASES,
      maxTokens: security.MAX_TOKENS,
      maxDirectives: security.MAX_DIRECTIVES,
      maxCost: security.MAX_COST,
      production: true,
    });
    const documents: string[] = [];
    for (const bff of ['bff-web', 'bff-mobile']) {
      const features = new URL(`${bff}/src/features/`, ROOT);
      for (const feature of readdirSync(features, { withFileTypes: true }).filter((d) => d.isDirectory())) {
        const dir = new URL(`${feature.name}/`, features);
        for (const file of readdirSync(dir).filter((f) => f.endsWith('.gateway.graphql'))) {
          documents.push(readFileSync(new URL(file, dir), 'utf8'));
        }
      }
      expect(documents.length, bff).toBeGreaterThan(1);
      // Each BFF's operations may share its fragments across files: validate them together.
      const source = documents.splice(0).join('\n');
      const limitErrors = validate(schema, parse(source, { maxTokens: 100_000 }), [
        ...specifiedRules.filter((rule) => rule.name === 'KnownFragmentNamesRule'),
        ...validationRules,
      ]);
      expect(limitErrors.map((e) => e.message)).toEqual([]);
    }
  });

  it('gives an API key its own budget and refuses an unknown key with 401', async () => {
    const keyed = await ask(gateway, '{ __typename }', { 'x-api-key': PARTNER_KEY });
    expect(keyed.status).toBe(200);
    expect(keyed.headers['ratelimit-limit']).toBe('7');
    const anonymous = await ask(gateway, '{ __typename }');
    expect(anonymous.headers['ratelimit-limit']).toBe(String(defaultEdgeSecurity().RATE_LIMIT_ANONYMOUS_MAX));
    const bad = await ask(gateway, '{ __typename }', { 'x-api-key': 'guessed-0123456789' });
    expect(bad.status).toBe(401);
    expect(bad.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('in production names no internal host, URL or stack, and has no introspection', async () => {
    const down = await gatewayWith(true, { ...urls, reviews: 'http://127.0.0.1:9/graphql' });
    try {
      const answer = await ask(down, '{ topProducts(first: 2) { upc reviews { id } } }');
      expect(answer.status).toBe(200);
      expect(answer.body.errors?.length).toBeGreaterThan(0);
      expect(answer.text).not.toMatch(/127\.0\.0\.1|localhost|https?:\/\/|:9\b|stacktrace|\bat .+\.[jt]s/);
      const introspection = await ask(down, '{ __schema { queryType { name } } }');
      expect(introspection.status).toBe(400);
      const typo = await ask(down, '{ topProduct { upc } }');
      expect(typo.text).not.toMatch(/Did you mean/);
      // No IDE: a browser asking for the page gets no HTML (and no IDE assets are served).
      const page = await down.app.inject({ method: 'GET', url: '/graphql', headers: { accept: 'text/html' } });
      expect(page.headers['content-type'] ?? '').not.toMatch(/html/);
      expect(page.payload).not.toMatch(/graphiql/i);
      const asset = { method: 'GET', url: '/graphql/ide/graphiql.js' } as const;
      expect((await gateway.app.inject(asset)).statusCode).toBe(200);
      expect((await down.app.inject(asset)).statusCode).toBe(404);
    } finally {
      await down.app.close();
      await down.stop();
    }
  });
});
