import { readFileSync } from 'node:fs';
import { createFakeUpstreams, REPO_ROOT } from '@edgeway/bff-kit/testing';
import { createLogger, createTokenVerifier } from '@edgeway/platform';
import { createTestIssuer } from '@edgeway/platform/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { MANIFEST_FILE, manifestFromOperations, manifestText, withSharedFragments } from '../scripts/manifest.js';
import { buildApp } from './app.js';

const manifest = manifestFromOperations();
const closers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

const byId = (name: string, variables: object = {}) => ({
  variables,
  extensions: { persistedQuery: { version: 1, sha256Hash: manifest.operations.find((op) => op.name === name)!.id } },
});

/**
 * bff-mobile over fake upstreams in `config`'s mode: `post(body, { as })` sends a request body,
 * signed in as user `as` when given; `run(name, variables, { as })` sends a manifest operation by id.
 */
async function start(config: { NODE_ENV: 'test' | 'production'; PERSISTED_ONLY?: boolean }) {
  const issuer = await createTestIssuer();
  const server = await buildApp(config, {
    ...createFakeUpstreams(REPO_ROOT).upstreams,
    verifier: createTokenVerifier({ issuer: issuer.issuer, audience: issuer.audience, keys: issuer.getKey }),
    logger: createLogger({ service: 'bff-mobile', level: 'silent' }),
  });
  closers.push(() => server.app.close());
  const post = async (body: object, options: { as?: string } = {}) => {
    const authorization = options.as ? { authorization: `Bearer ${await issuer.sign(options.as)}` } : {};
    const response = await server.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json', ...authorization },
      payload: JSON.stringify(body),
    });
    return { status: response.statusCode, body: response.json() };
  };
  const run = (name: string, variables: object = {}, options: { as?: string } = {}) =>
    post(byId(name, variables), options);
  return Object.assign(post, { run });
}

describe('bff-mobile persisted operations', () => {
  it('adds the shared fragments an operation spreads (operations/fragments/), and leaves one that defines its own as it is', () => {
    const byName = (name: string) => manifest.operations.find((op) => op.name === name)!.body;
    expect(byName('OrderDetailScreen')).toMatch(/fragment ProductCard on ProductCard/);
    expect(byName('HomeScreen').match(/fragment ProductCard/g)).toHaveLength(1);
    expect(() => withSharedFragments('query Q { home { topProducts { ...Unknown } } }', new Map())).toThrow(
      'Unknown fragment Unknown',
    );
  });

  it('has a committed manifest that matches operations/ (run npm run persisted -w bff-mobile)', () => {
    expect(readFileSync(MANIFEST_FILE, 'utf8'), 'bff-mobile/persisted-operations.json is stale').toBe(
      manifestText(manifest),
    );
    expect(manifest.operations.map((op) => op.name)).toEqual(['HomeScreen', 'OrderDetailScreen', 'ProductScreen']);
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
    // An operation for a signed-in user: one line, with `as`.
    const order = await post.run('OrderDetailScreen', { id: 'o4' }, { as: '1' });
    expect(order.body.errors).toBeUndefined();
    expect(order.body.data.orderDetail.items[0].product).toMatchObject({ upc: '4', price: { source: 'LIVE' } });
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
