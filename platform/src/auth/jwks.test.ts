import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRemoteKeys } from './jwks.js';
import { createTokenVerifier } from './verify.js';

const ISSUER = 'https://issuer.test';
const AUDIENCE = 'edgeway';

async function signingKey(kid: string) {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  const sign = (sub: string) =>
    new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid })
      .setSubject(sub)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(privateKey);
  return { jwk, sign };
}

/** A JWKS endpoint on port 0 whose keys and health the test controls, counting its requests. */
const endpoint = { keys: [] as JWK[], status: 200, requests: 0 };
let server: Server;
let url: URL;
beforeAll(async () => {
  server = createServer((req, res) => {
    endpoint.requests++;
    // Elsewhere: a redirect to this very endpoint's keys.
    if (req.url === '/moved') {
      res.writeHead(302, { location: '/jwks.json' }).end();
      return;
    }
    res.writeHead(endpoint.status, { 'content-type': 'application/json' });
    res.end(endpoint.status === 200 ? JSON.stringify({ keys: endpoint.keys }) : '{"error":"down"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`);
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function setup() {
  let clock = 1_000_000;
  const statuses: boolean[] = [];
  const keys = createRemoteKeys(url, {
    maxAgeMs: 60_000,
    cooldownMs: 10_000,
    now: () => clock,
    onStatus: ({ ok }) => statuses.push(ok),
  });
  const verify = createTokenVerifier({ issuer: ISSUER, audience: AUDIENCE, keys });
  endpoint.requests = 0;
  endpoint.status = 200;
  return {
    keys,
    statuses,
    advance: (ms: number) => (clock += ms),
    accepts: async (token: string) => (await verify(`Bearer ${token}`).catch(() => undefined))?.sub !== undefined,
  };
}

describe('createRemoteKeys', () => {
  it('does not follow a redirect: an endpoint that moves is a failure, not a key set from elsewhere', async () => {
    const { jwk } = await signingKey('moved');
    endpoint.keys = [jwk];
    endpoint.status = 200;
    const statuses: Array<{ ok: boolean; error?: string }> = [];
    const keys = createRemoteKeys(new URL('/moved', url), { onStatus: (status) => statuses.push(status) });
    expect(await keys.refresh()).toBe(false);
    expect(statuses).toEqual([{ ok: false, error: 'JWKS endpoint answered 302' }]);
  });

  it('fetches the set once and serves every token from memory', async () => {
    const a = await signingKey('a');
    endpoint.keys = [a.jwk];
    const { accepts } = setup();
    const tokens = await Promise.all(['1', '2', '3'].map((sub) => a.sign(sub)));
    expect(await Promise.all(tokens.map(accepts))).toEqual([true, true, true]);
    expect(await accepts(await a.sign('4'))).toBe(true);
    expect(endpoint.requests).toBe(1);
  });

  it('picks up a rotated key at once on its unknown kid, then cools down for forged kids', async () => {
    const a = await signingKey('a');
    const b = await signingKey('b');
    endpoint.keys = [a.jwk];
    const { accepts, advance } = setup();
    expect(await accepts(await a.sign('1'))).toBe(true);
    advance(10_000);
    endpoint.keys = [a.jwk, b.jwk];
    expect(await accepts(await b.sign('1'))).toBe(true);
    expect(endpoint.requests).toBe(2);

    const forged = await signingKey('forged');
    expect(await accepts(await forged.sign('1'))).toBe(false);
    expect(await accepts(await forged.sign('2'))).toBe(false);
    expect(endpoint.requests).toBe(2);
    advance(10_000);
    expect(await accepts(await forged.sign('3'))).toBe(false);
    expect(endpoint.requests).toBe(3);
  });

  it('keeps serving the last good keys while the endpoint is down, long past their age', async () => {
    const a = await signingKey('a');
    endpoint.keys = [a.jwk];
    const { accepts, advance, statuses, keys } = setup();
    expect(await accepts(await a.sign('1'))).toBe(true);

    endpoint.status = 503;
    advance(3_600_000);
    expect(await accepts(await a.sign('1'))).toBe(true);
    await keys.refresh();
    expect(await accepts(await a.sign('2'))).toBe(true);
    expect(statuses).toEqual([false]);
    expect(endpoint.requests).toBeGreaterThan(1);

    endpoint.status = 200;
    advance(10_000);
    expect(await keys.refresh()).toBe(true);
    expect(statuses).toEqual([false, true]);
  });

  it('refreshes an old set in the background and drops a key the provider withdrew', async () => {
    const a = await signingKey('a');
    const b = await signingKey('b');
    endpoint.keys = [a.jwk];
    const { accepts, advance, keys } = setup();
    expect(await accepts(await a.sign('1'))).toBe(true);
    endpoint.keys = [b.jwk];
    advance(60_000);
    await keys.refresh();
    expect(await accepts(await a.sign('1'))).toBe(false);
    expect(await accepts(await b.sign('1'))).toBe(true);
  });

  it('refuses tokens when no key set was ever fetched, and fetches one request for a burst', async () => {
    const a = await signingKey('a');
    endpoint.keys = [a.jwk];
    const { accepts, advance } = setup();
    endpoint.status = 500;
    expect(await accepts(await a.sign('1'))).toBe(false);
    expect(await accepts(await a.sign('2'))).toBe(false);
    expect(endpoint.requests).toBe(1);
    // Without any key every token fails, so the first fetch is retried after a second, not 10.
    endpoint.status = 200;
    advance(1000);
    expect(await accepts(await a.sign('3'))).toBe(true);
    expect(endpoint.requests).toBe(2);

    const { accepts: fresh } = setup();
    const tokens = await Promise.all(['1', '2', '3', '4'].map((sub) => a.sign(sub)));
    expect(await Promise.all(tokens.map(fresh))).toEqual([true, true, true, true]);
    expect(endpoint.requests).toBe(1);
  });

  it('treats an answer that is not a key set as a failure', async () => {
    const a = await signingKey('a');
    endpoint.keys = [a.jwk];
    const { accepts, statuses } = setup();
    endpoint.keys = 'nonsense' as never;
    expect(await accepts(await a.sign('1'))).toBe(false);
    expect(statuses).toEqual([false]);
  });
});
