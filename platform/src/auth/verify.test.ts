import { createPublicKey } from 'node:crypto';
import { base64url, createLocalJWKSet, generateKeyPair, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../errors/catalog.js';
import { createTestIssuer, type TestIssuer } from '../testing/tokens.js';
import { createTokenVerifier, type TokenVerifier } from './verify.js';

let issuer: TestIssuer;
let verify: TokenVerifier;
beforeAll(async () => {
  issuer = await createTestIssuer();
  verify = createTokenVerifier({ issuer: issuer.issuer, audience: issuer.audience, keys: issuer.getKey });
});

const now = () => Math.floor(Date.now() / 1000);
const base = () => ({ issuer: issuer.issuer, audience: issuer.audience, keys: issuer.getKey });
const encode = (value: object) => base64url.encode(JSON.stringify(value));
const claims = (sub: string) => ({ sub, iss: issuer.issuer, aud: issuer.audience, iat: now(), exp: now() + 600 });

async function rejection(authorization: string): Promise<string> {
  const error = await verify(authorization).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe('UNAUTHENTICATED');
  return (error as AppError).message;
}

describe('createTokenVerifier', () => {
  it('accepts a valid token and reads sub and scopes; no header is anonymous', async () => {
    const token = await issuer.sign('7', { scope: 'orders:read profile' });
    expect(await verify(`Bearer ${token}`)).toEqual({ sub: '7', scopes: ['orders:read', 'profile'], token });
    expect(await verify(undefined)).toBeUndefined();
    expect(await verify('')).toBeUndefined();
  });

  it.each([
    ['Basic dXNlcjpwYXNz', 'a Basic header'],
    ['Bearer', 'a bare Bearer'],
    ['Bearer not-a-jwt', 'a token that is not a JWT'],
    [`Bearer ${'a'.repeat(9000)}.b.c`, 'an oversized token'],
  ])('refuses %s', async (header) => {
    await rejection(header);
  });

  it('refuses an expired token, and one that is not valid yet beyond the clock tolerance', async () => {
    expect(await rejection(`Bearer ${await issuer.sign('1', { expiresIn: now() - 120 })}`)).toMatch(/expired/);
    const future = await issuer.signClaims({ ...claims('1'), nbf: now() + 300 });
    expect(await rejection(`Bearer ${future}`)).toMatch(/not valid yet/);
    const nearlyValid = await issuer.signClaims({ ...claims('1'), nbf: now() + 5 });
    expect((await verify(`Bearer ${nearlyValid}`))?.sub).toBe('1');
  });

  it('tolerates a small clock skew on exp', async () => {
    const justExpired = await issuer.sign('1', { expiresIn: now() - 5 });
    expect((await verify(`Bearer ${justExpired}`))?.sub).toBe('1');
  });

  it('refuses a token whose lifetime is longer than the maximum, whatever its age', async () => {
    const bounded = createTokenVerifier({ ...base(), maxLifetimeSec: 3600 });
    const refused = (token: string) =>
      bounded(`Bearer ${token}`).then(
        () => 'accepted',
        (e: Error) => e.message,
      );
    const year = await issuer.signClaims({ ...claims('1'), exp: now() + 365 * 86_400 });
    expect(await refused(year)).toMatch(/lifetime/);
    const hour = await issuer.signClaims({ ...claims('1'), exp: now() + 3600 });
    expect(await refused(hour)).toBe('accepted');
    // Issued long ago with a short claimed life that has not run out yet: too old all the same.
    const old = await issuer.signClaims({ ...claims('1'), iat: now() - 7200, exp: now() + 60 });
    expect(await refused(old)).toMatch(/lifetime|expired|iat/);
  });

  it('refuses a token without iat, or issued in the future beyond the clock skew', async () => {
    const { iat: _iat, ...noIat } = claims('1');
    expect(await rejection(`Bearer ${await issuer.signClaims(noIat)}`)).toMatch(/iat/);
    const skewed = createTokenVerifier({ ...base(), clockToleranceSec: 10 });
    const ahead = (sec: number) => issuer.signClaims({ ...claims('1'), iat: now() + sec, exp: now() + sec + 600 });
    await expect(skewed(`Bearer ${await ahead(300)}`)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect((await skewed(`Bearer ${await ahead(5)}`))?.sub).toBe('1');
  });

  it('refuses a wrong audience or issuer', async () => {
    expect(await rejection(`Bearer ${await issuer.sign('1', { audience: 'someone-else' })}`)).toMatch(/aud/);
    expect(await rejection(`Bearer ${await issuer.sign('1', { issuer: 'https://evil.test' })}`)).toMatch(/iss/);
  });

  it('refuses alg none', async () => {
    const header = encode({ alg: 'none', typ: 'JWT' });
    const payload = encode({ sub: '1', iss: issuer.issuer, aud: issuer.audience, exp: now() + 600 });
    expect(await rejection(`Bearer ${header}.${payload}.`)).toMatch(/algorithm/);
  });

  it('refuses HS256 signed with the public key as the secret (algorithm confusion)', async () => {
    const publicJwk = issuer.jwks.keys[0]!;
    const pem = createPublicKey({ key: publicJwk as never, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
    const forged = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', kid: 'test-key' })
      .setSubject('1')
      .setIssuer(issuer.issuer)
      .setAudience(issuer.audience)
      .setExpirationTime(now() + 600)
      .sign(new TextEncoder().encode(String(pem)));
    expect(await rejection(`Bearer ${forged}`)).toMatch(/algorithm/);
  });

  it('refuses a token signed by another key under the same kid, and an unknown kid', async () => {
    const other = await createTestIssuer(issuer.issuer, issuer.audience);
    expect(await rejection(`Bearer ${await other.sign('1')}`)).toMatch(/signature/);
    const { privateKey } = await generateKeyPair('ES256');
    const unknownKid = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: 'who-knows' })
      .setSubject('1')
      .setIssuer(issuer.issuer)
      .setAudience(issuer.audience)
      .setExpirationTime(now() + 600)
      .sign(privateKey);
    expect(await rejection(`Bearer ${unknownKid}`)).toMatch(/unknown key/);
  });

  it('refuses a token without sub', async () => {
    const { sub: _sub, ...noSub } = claims('1');
    await rejection(`Bearer ${await issuer.signClaims(noSub)}`);
    const { exp: _exp, ...noExp } = claims('1');
    await rejection(`Bearer ${await issuer.signClaims(noExp)}`);
    await rejection(`Bearer ${await issuer.signClaims({ ...claims('1'), sub: 'x'.repeat(200) })}`);
    await rejection(`Bearer ${await issuer.signClaims({ ...claims('1'), sub: 42 as never })}`);
  });

  it('cannot be configured to accept HMAC or none', () => {
    const keys = createLocalJWKSet({ keys: [] });
    for (const alg of ['HS256', 'none']) {
      expect(() => createTokenVerifier({ issuer: 'i', audience: 'a', keys, algorithms: [alg as never] })).toThrow(
        /algorithms/,
      );
    }
  });

  describe('verified-token cache', () => {
    it('checks a token once, then takes it from the cache until the cache time runs out', async () => {
      let clock = Date.now();
      let lookups = 0;
      const cached = createTokenVerifier({
        issuer: issuer.issuer,
        audience: issuer.audience,
        keys: (...args) => {
          lookups += 1;
          return issuer.getKey(...args);
        },
        cacheMs: 60_000,
        now: () => clock,
      });
      const token = await issuer.sign('7');
      await cached(`Bearer ${token}`);
      await cached(`Bearer ${token}`);
      expect(lookups).toBe(1);
      clock += 61_000;
      await cached(`Bearer ${token}`);
      expect(lookups).toBe(2);
    });

    it('never serves a token from the cache past its expiry (plus the clock tolerance)', async () => {
      let clock = Date.now();
      const cached = createTokenVerifier({
        issuer: issuer.issuer,
        audience: issuer.audience,
        keys: issuer.getKey,
        cacheMs: 3_600_000,
        clockToleranceSec: 0,
        now: () => clock,
      });
      const token = await issuer.signClaims({ ...claims('7'), exp: now() + 2 });
      expect(await cached(`Bearer ${token}`)).toMatchObject({ sub: '7' });
      clock += 3_000;
      await new Promise((resolve) => setTimeout(resolve, 2_100));
      await expect(cached(`Bearer ${token}`)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    });

    it('does not cache a refusal: a forged token is checked (and refused) every time', async () => {
      const token = await issuer.sign('7');
      const forged = `${token.slice(0, -4)}AAAA`;
      await rejection(`Bearer ${forged}`);
      await rejection(`Bearer ${forged}`);
    });
  });
});
