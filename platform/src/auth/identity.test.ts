import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config/index.js';
import { AppError } from '../errors/catalog.js';
import {
  bodyHash,
  checkInternalRequest,
  createInternalSigner,
  createInternalVerifier,
  DEVELOPMENT_SIGNING_KEY,
  INTERNAL_CREDENTIAL_HEADER,
  internalSigningKey,
} from './identity.js';

const SECRET = 'a-test-secret-that-is-long-enough-0123456789';

const BODY = JSON.stringify({ query: '{ me { orders { id } } }' });

describe('internal credentials', () => {
  it('carry the user, or nobody for anonymous callers, to the subgraph they were signed for', async () => {
    const sign = createInternalSigner({ secret: SECRET });
    const verify = createInternalVerifier({ secret: SECRET, audience: 'orders' });
    const asUser = sign('orders', '3', BODY);
    expect(await verify({ [INTERNAL_CREDENTIAL_HEADER]: asUser })).toEqual({
      userId: '3',
      bodyHash: bodyHash(BODY),
      developmentKey: false,
    });
    expect(await verify({ [INTERNAL_CREDENTIAL_HEADER]: sign('orders', undefined, BODY) })).toMatchObject({
      userId: undefined,
    });
  });

  it('are refused for another subgraph, after expiry, under another secret, or when absent', async () => {
    let clock = Date.now();
    const sign = createInternalSigner({ secret: SECRET, now: () => clock });
    const verify = createInternalVerifier({ secret: SECRET, audience: 'orders', now: () => clock });
    const refused = async (headers: Record<string, string>) => {
      const error = await verify(headers).catch((e: unknown) => e);
      return error instanceof AppError && error.code === 'UNAUTHENTICATED';
    };
    expect(await refused({ [INTERNAL_CREDENTIAL_HEADER]: sign('accounts', '1', BODY) })).toBe(true);
    const other = createInternalSigner({ secret: `${SECRET}-other` });
    expect(await refused({ [INTERNAL_CREDENTIAL_HEADER]: other('orders', '1', BODY) })).toBe(true);
    expect(await refused({})).toBe(true);
    expect(await refused({ 'x-edgeway-user-id': '1' })).toBe(true);
    const token = sign('orders', '1', BODY);
    // Ten seconds of life and five of clock leeway: a captured credential is worthless after 16 s.
    clock += 16_000;
    expect(await refused({ [INTERNAL_CREDENTIAL_HEADER]: token })).toBe(true);
  });

  it('are refused when tampered with: another header, claims, a long life, or a re-encoded signature', async () => {
    const verify = createInternalVerifier({ secret: SECRET, audience: 'orders' });
    const refused = async (token: string) =>
      (await verify({ [INTERNAL_CREDENTIAL_HEADER]: token }).catch((e: unknown) => e)) instanceof AppError;
    const token = createInternalSigner({ secret: SECRET })('orders', '1', BODY);
    const [header = '', payload = '', signature = ''] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    expect(await refused(`${b64({ alg: 'none' })}.${payload}.`)).toBe(true);
    expect(await refused(`${b64({ alg: 'HS256' })}.${payload}.${signature}`)).toBe(true);
    expect(await refused(`${header}.${b64({ ...claims, sub: '2' })}.${signature}`)).toBe(true);
    expect(await refused(`${header}.${payload}.${signature.slice(0, -1)}`)).toBe(true);
    expect(await refused(`${header}.${payload}.${signature}=`)).toBe(true);
    // A signer with the key still cannot mint a credential longer-lived than a minute.
    const longLived = createInternalSigner({ secret: SECRET, ttlSec: 3600 })('orders', '1', BODY);
    const life = JSON.parse(Buffer.from(longLived.split('.')[1]!, 'base64url').toString());
    expect(life.exp - life.iat).toBeLessThanOrEqual(60);
  });

  it('are bound to the body they were signed for', async () => {
    const verify = createInternalVerifier({ secret: SECRET, audience: 'orders' });
    const caller = await verify({
      [INTERNAL_CREDENTIAL_HEADER]: createInternalSigner({ secret: SECRET })('orders', '1', BODY),
    });
    expect(() => checkInternalRequest(caller, Buffer.from(BODY), '10.0.0.5')).not.toThrow();
    for (const other of [JSON.stringify({ query: '{ _service { sdl } }' }), `${BODY} `, '']) {
      expect(() => checkInternalRequest(caller, Buffer.from(other), '10.0.0.5')).toThrow(AppError);
    }
    expect(() => checkInternalRequest(caller, undefined, '10.0.0.5')).toThrow(AppError);
  });

  it('signed with the development key are accepted from loopback only', async () => {
    const verify = createInternalVerifier({ secret: DEVELOPMENT_SIGNING_KEY, audience: 'orders' });
    const token = createInternalSigner({ secret: DEVELOPMENT_SIGNING_KEY })('orders', '1', BODY);
    const caller = await verify({ [INTERNAL_CREDENTIAL_HEADER]: token });
    for (const peer of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) {
      expect(() => checkInternalRequest(caller, Buffer.from(BODY), peer)).not.toThrow();
    }
    for (const peer of ['10.0.0.5', '172.18.0.3', '::ffff:192.168.1.2', 'fe80::1', undefined]) {
      expect(() => checkInternalRequest(caller, Buffer.from(BODY), peer)).toThrow(/this machine only/);
    }
  });

  it('are reused for half their lifetime, per subgraph, user and body', () => {
    let clock = Date.now();
    const sign = createInternalSigner({ secret: SECRET, ttlSec: 10, now: () => clock });
    const first = sign('orders', '1', BODY);
    expect(sign('orders', '1', BODY)).toBe(first);
    expect(sign('orders', '2', BODY)).not.toBe(first);
    expect(sign('accounts', '1', BODY)).not.toBe(first);
    expect(sign('orders', '1', `${BODY} `)).not.toBe(first);
    clock += 6_000;
    expect(sign('orders', '1', BODY)).not.toBe(first);
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
