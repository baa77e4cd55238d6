import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config/index.js';
import { AppError } from '../errors/catalog.js';
import {
  createInternalSigner,
  createInternalVerifier,
  DEVELOPMENT_SIGNING_KEY,
  INTERNAL_CREDENTIAL_HEADER,
  internalSigningKey,
} from './identity.js';

const SECRET = 'a-test-secret-that-is-long-enough-0123456789';

describe('internal credentials', () => {
  it('carry the user, or nobody for anonymous callers, to the subgraph they were signed for', async () => {
    const sign = createInternalSigner({ secret: SECRET });
    const verify = createInternalVerifier({ secret: SECRET, audience: 'orders' });
    const asUser = await sign('orders', '3');
    expect(await verify({ [INTERNAL_CREDENTIAL_HEADER]: asUser })).toEqual({ userId: '3' });
    expect(await verify({ [INTERNAL_CREDENTIAL_HEADER]: await sign('orders', undefined) })).toEqual({
      userId: undefined,
    });
  });

  it('are refused for another subgraph, after expiry, under another secret, or when absent', async () => {
    let clock = Date.now();
    const sign = createInternalSigner({ secret: SECRET, ttlSec: 60, now: () => clock });
    const verify = createInternalVerifier({ secret: SECRET, audience: 'orders', now: () => clock });
    const refused = async (headers: Record<string, string>) => {
      const error = await verify(headers).catch((e: unknown) => e);
      return error instanceof AppError && error.code === 'UNAUTHENTICATED';
    };
    expect(await refused({ [INTERNAL_CREDENTIAL_HEADER]: await sign('accounts', '1') })).toBe(true);
    const other = createInternalSigner({ secret: `${SECRET}-other` });
    expect(await refused({ [INTERNAL_CREDENTIAL_HEADER]: await other('orders', '1') })).toBe(true);
    expect(await refused({})).toBe(true);
    expect(await refused({ 'x-edgeway-user-id': '1' })).toBe(true);
    const token = await sign('orders', '1');
    clock += 66_000;
    expect(await refused({ [INTERNAL_CREDENTIAL_HEADER]: token })).toBe(true);
  });

  it('are reused for half their lifetime, per subgraph and user', async () => {
    let clock = Date.now();
    const sign = createInternalSigner({ secret: SECRET, ttlSec: 60, now: () => clock });
    const first = await sign('orders', '1');
    expect(await sign('orders', '1')).toBe(first);
    expect(await sign('orders', '2')).not.toBe(first);
    expect(await sign('accounts', '1')).not.toBe(first);
    clock += 31_000;
    expect(await sign('orders', '1')).not.toBe(first);
  });

  it('refuse a short secret', () => {
    expect(() => createInternalSigner({ secret: 'short' })).toThrow(/at least 32/);
  });
});

describe('internalSigningKey', () => {
  it('falls back to the development key outside production only', () => {
    expect(internalSigningKey({ NODE_ENV: 'development' })).toBe(DEVELOPMENT_SIGNING_KEY);
    expect(internalSigningKey({ NODE_ENV: 'production', INTERNAL_SIGNING_KEY: SECRET })).toBe(SECRET);
    expect(() => internalSigningKey({ NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => internalSigningKey({ NODE_ENV: 'production', INTERNAL_SIGNING_KEY: DEVELOPMENT_SIGNING_KEY })).toThrow(
      /INTERNAL_SIGNING_KEY/,
    );
  });
});
