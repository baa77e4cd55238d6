// PROPAGATE_HEADERS: the client headers a BFF passes on to the gateway and the REST services, and
// what it keeps across requests kept apart by their values.
import { createFakeUpstreams, REPO_ROOT, startHarness } from '@edgeway/bff-kit/testing';
import { createCache, propagateHeadersEnv } from '@edgeway/platform';
import { afterEach, describe, expect, it } from 'vitest';
import { bff } from './app.js';
import { WHOLE_CARD } from './features/common/product.js';
import { createProductLoader } from './loaders/products.js';

const HOME = '{ home(first: 2) { topProducts { upc name price { amount source } } } }';
const CLIENT_HEADERS = {
  'accept-language': 'fr-CH',
  'x-tenant-id': 'acme',
  'x-not-listed': 'no',
  'keep-alive': 'timeout=5',
  te: 'trailers',
};

let close: (() => Promise<unknown>) | undefined;
afterEach(() => close?.());

describe('PROPAGATE_HEADERS in a BFF', () => {
  it('passes the named client headers to the gateway and the REST services, and nothing else', async () => {
    const harness = await startHarness(
      bff,
      {},
      { PROPAGATE_HEADERS: propagateHeadersEnv.parse('accept-language,x-tenant-id') },
    );
    close = harness.close;
    const { status, headers } = await harness.graphql(HOME, { headers: CLIENT_HEADERS });
    expect(status).toBe(200);
    const requestId = headers['x-request-id'];
    for (const call of [harness.calls.gateway[0], harness.calls.pricing[0]]) {
      expect(call?.headers).toMatchObject({
        'accept-language': 'fr-CH',
        'x-tenant-id': 'acme',
        'x-request-id': requestId,
      });
      for (const never of ['x-not-listed', 'keep-alive', 'te']) expect(call?.headers[never]).toBeUndefined();
    }
  });

  it('passes none when unset', async () => {
    const harness = await startHarness(bff);
    close = harness.close;
    const { headers } = await harness.graphql(HOME, { headers: CLIENT_HEADERS });
    expect(harness.calls.pricing[0]?.headers).toEqual({ 'x-request-id': headers['x-request-id'] });
    expect(harness.calls.gateway[0]?.headers['accept-language']).toBeUndefined();
  });

  it('keeps products the gateway allows to be shared apart per propagated values', async () => {
    const { upstreams, calls } = createFakeUpstreams(REPO_ROOT, { cacheHint: { scope: 'PUBLIC', maxAge: 60 } });
    const cache = createCache({ namespace: 'test-mobile-propagation' });
    const as = (tenant: string) =>
      createProductLoader(
        upstreams.gateway,
        { headers: { 'x-tenant-id': tenant }, vary: JSON.stringify({ 'x-tenant-id': tenant }) },
        cache,
      );
    await as('acme').load({ upc: '1', shape: WHOLE_CARD });
    await as('globex').load({ upc: '1', shape: WHOLE_CARD });
    expect(calls.gateway).toHaveLength(2);
    await as('acme').load({ upc: '1', shape: WHOLE_CARD });
    expect(calls.gateway).toHaveLength(2);
  });
});
