import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, createTokenVerifier } from '@edgeway/platform';
import { createLocalJWKSet, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type Jwks, loadOrCreateSigningKey, type TokenResponse } from './app.js';

const issuer = 'http://identity.test';
const audience = 'edgeway';
const logger = createLogger({ service: 'identity', level: 'silent' });
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'identity-app-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function start(now?: () => number) {
  const key = await loadOrCreateSigningKey(dir);
  return buildApp({ logger, key, issuer, audience, now }).app;
}

async function jwksOf(app: Awaited<ReturnType<typeof start>>): Promise<Jwks> {
  const res = await app.inject({ method: 'GET', url: '/.well-known/jwks.json' });
  expect(res.statusCode).toBe(200);
  return res.json();
}

async function postToken(app: Awaited<ReturnType<typeof start>>, payload: unknown) {
  const res = await app.inject({ method: 'POST', url: '/token', payload: payload as object });
  return { status: res.statusCode, body: res.json(), headers: res.headers };
}

describe('GET /.well-known/jwks.json', () => {
  it('serves one public signing key with kid, alg and use', async () => {
    const jwks = await jwksOf(await start());
    expect(jwks.keys).toHaveLength(1);
    const [jwk] = jwks.keys;
    expect(jwk).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig', kid: expect.any(String) });
    expect(jwk).not.toHaveProperty('d');
  });
});

describe('POST /token', () => {
  it('mints a token that verifies against the served JWKS', async () => {
    const app = await start();
    const { status, body, headers } = await postToken(app, { sub: '1', scope: 'orders:read profile' });
    expect(status).toBe(200);
    expect(headers['cache-control']).toBe('no-store');
    const token = body as TokenResponse;
    expect(token).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 3600 });

    const jwks = await jwksOf(app);
    expect(decodeProtectedHeader(token.access_token)).toMatchObject({ alg: 'ES256', kid: jwks.keys[0]!.kid });
    const verify = createTokenVerifier({ issuer, audience, keys: createLocalJWKSet(jwks) });
    expect(await verify(`Bearer ${token.access_token}`)).toEqual({
      sub: '1',
      scopes: ['orders:read', 'profile'],
      token: token.access_token,
    });
  });

  it('sets iat and exp from expiresIn', async () => {
    const app = await start(() => 1_700_000_000_000);
    const { body } = await postToken(app, { sub: '6', expiresIn: 60 });
    expect((body as TokenResponse).expires_in).toBe(60);
    const claims = JSON.parse(Buffer.from((body as TokenResponse).access_token.split('.')[1]!, 'base64url').toString());
    expect(claims).toMatchObject({ sub: '6', iss: issuer, aud: audience, iat: 1_700_000_000, exp: 1_700_000_060 });
    // Long expired by now: verification must refuse it.
    const verify = createTokenVerifier({ issuer, audience, keys: createLocalJWKSet(await jwksOf(app)) });
    await expect(verify(`Bearer ${(body as TokenResponse).access_token}`)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
  });

  it.each([
    ['an unknown sub', { sub: '7' }, 'sub must be one of'],
    ['a missing sub', {}, 'sub'],
    ['an empty sub', { sub: '' }, 'sub'],
    ['a numeric-object sub', { sub: { id: 1 } }, 'sub'],
    ['expiresIn below 60', { sub: '1', expiresIn: 59 }, 'expiresIn'],
    ['expiresIn above 86400', { sub: '1', expiresIn: 86_401 }, 'expiresIn'],
    ['a fractional expiresIn', { sub: '1', expiresIn: 90.5 }, 'expiresIn'],
  ])('rejects %s with 400 BAD_USER_INPUT', async (_name, payload, mentions) => {
    const { status, body } = await postToken(await start(), payload);
    expect(status).toBe(400);
    expect(body).toEqual({ code: 'BAD_USER_INPUT', message: expect.stringContaining(mentions) });
  });

  it('rejects a body that is not JSON', async () => {
    const res = await (
      await start()
    ).inject({
      method: 'POST',
      url: '/token',
      headers: { 'content-type': 'application/json' },
      payload: '{"sub":',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ code: 'BAD_USER_INPUT', message: expect.any(String) });
    expect(res.body).not.toMatch(/\bat \S+:\d+/);
  });
});

describe('keys across restarts', () => {
  it('two apps on the same key folder serve the same kid and accept each other’s tokens', async () => {
    const first = await start();
    const second = await start();
    const [a, b] = [await jwksOf(first), await jwksOf(second)];
    expect(b.keys[0]!.kid).toBe(a.keys[0]!.kid);
    const { body } = await postToken(first, { sub: '3' });
    const verify = createTokenVerifier({ issuer, audience, keys: createLocalJWKSet(b) });
    expect((await verify(`Bearer ${(body as TokenResponse).access_token}`))?.sub).toBe('3');
  });
});
