import { readFileSync } from 'node:fs';
import { createFakeUpstreams, REPO_ROOT } from '@edgeway/bff-kit/testing';
import { createLogger, createTokenVerifier } from '@edgeway/platform';
import { createTestIssuer } from '@edgeway/platform/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { MANIFEST_FILE, manifestFromOperations, manifestText } from '../scripts/manifest.js';
import { buildApp } from './app.js';

const manifest = manifestFromOperations();
const closers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function start(config: { NODE_ENV: 'test' | 'production'; PERSISTED_ONLY?: boolean }) {
  const issuer = await createTestIssuer();
  const server = await buildApp(config, {
    ...createFakeUpstreams(REPO_ROOT).upstreams,
    verifier: createTokenVerifier({ issuer: issuer.issuer, audience: issuer.audience, keys: issuer.getKey }),
    logger: createLogger({ service: 'bff-mobile', level: 'silent' }),
  });
  closers.push(() => server.app.close());
  return async (body: object) => {
    const response = await server.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify(body),
    });
    return { status: response.statusCode, body: response.json() };
  };
}

const byId = (name: string, variables: object = {}) => ({
  variables,
  extensions: { persistedQuery: { version: 1, sha256Hash: manifest.operations.find((op) => op.name === name)!.id } },
});

describe('bff-mobile persisted operations', () => {
  it('has a committed manifest that matches operations/ (run npm run persisted -w bff-mobile)', () => {
    expect(readFileSync(MANIFEST_FILE, 'utf8'), 'bff-mobile/persisted-operations.json is stale').toBe(
      manifestText(manifest),
    );
    expect(manifest.operations.map((op) => op.name)).toEqual(['HomeScreen', 'ProductScreen']);
  });

  it('runs every app operation by id, within the default operation limits', async () => {
    const post = await start({ NODE_ENV: 'test', PERSISTED_ONLY: true });
    const home = await post(byId('HomeScreen', { first: 3 }));
    expect(home.status).toBe(200);
    expect(home.body.errors).toBeUndefined();
    expect(home.body.data.home.topProducts).toHaveLength(3);
    const product = await post(byId('ProductScreen', { upc: '1' }));
    expect(product.body.errors).toBeUndefined();
    expect(product.body.data.product.topReviews.length).toBeGreaterThan(0);
  });

  it.each([
    ['PERSISTED_ONLY=true', { NODE_ENV: 'test', PERSISTED_ONLY: true }],
    ['production', { NODE_ENV: 'production' }],
  ] as const)('with %s refuses any other operation with PERSISTED_QUERY_NOT_ALLOWED', async (_mode, config) => {
    const post = await start(config);
    for (const body of [
      { query: '{ home { topProducts { upc } } }' },
      { extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } } },
    ]) {
      const answer = await post(body);
      expect(answer.status).toBe(400);
      expect(answer.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_ALLOWED');
    }
    expect((await post({ query: manifest.operations[0]!.body })).status).toBe(200);
  });

  it('runs ad hoc operations too outside production', async () => {
    const post = await start({ NODE_ENV: 'test' });
    expect((await post({ query: '{ home { topProducts { upc } } }' })).body.errors).toBeUndefined();
    expect((await post(byId('HomeScreen'))).body.data.home.topProducts).toHaveLength(5);
  });
});
