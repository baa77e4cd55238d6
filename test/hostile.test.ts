import { type IncomingHttpHeaders, request as httpRequest } from 'node:http';
import { loadIdentityConfig, loadOrCreateSigningKey } from '@edgeway/identity';
import { beforeAll, describe, expect, it } from 'vitest';
import { url } from './support/client.js';
import { CASES, EDGES, type Edge, query, type Request, useIdentity } from './support/hostile.js';

// What a hostile or careless client can send to the public edge (test/support/hostile.ts). Every
// case gets a clear, coded error, the answer names no internal host, URL, file or stack, and the
// service answers a normal request right after.

/** No answer may name an internal address, a file, or a stack frame. */
const INTERNAL_DETAIL =
  /https?:\/\/|127\.0\.0\.1|localhost|\[::1?\]|node_modules|\.ts:\d+|\.js:\d+|\n\s+at |stacktrace/i;

/**
 * One request over node:http rather than fetch: when a server refuses a body before reading it
 * (413), it may close the connection while the client still writes; node:http still reports the
 * answer that arrived, where fetch reports only the broken write.
 */
function send(edge: Edge, request: Request): Promise<{ status: number; headers: IncomingHttpHeaders; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${url(edge)}/graphql${request.search ?? ''}`, {
      method: request.method ?? 'POST',
      headers: {
        ...request.headers,
        ...(request.body === undefined ? {} : { 'content-length': Buffer.byteLength(request.body) }),
      },
    });
    let answered = false;
    req.on('response', (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    req.end(request.body);
  });
}

beforeAll(async () => {
  const jwks = (await (await fetch(`${url('identity')}/.well-known/jwks.json`)).json()) as {
    keys: Array<{ kid: string }>;
  };
  // The identity service's own configuration tells where its key is kept and whom it names.
  const identity = loadIdentityConfig({ ...process.env, NODE_ENV: 'test' });
  const key = await loadOrCreateSigningKey(identity.IDENTITY_KEYS_DIR);
  expect(jwks.keys.map((k) => k.kid)).toContain(key.kid);
  useIdentity(key, identity.JWT_ISSUER);
});

describe('hostile input at the edge', () => {
  const cases = CASES.flatMap((c) => (c.only ?? EDGES).map((edge) => ({ ...c, edge })));

  it('has at least 60 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(60);
  });

  it.each(cases)('$edge: $name -> $status $code', async ({ edge, request, status, code }) => {
    const answer = await send(edge, await request(edge));
    expect(answer.text).not.toMatch(INTERNAL_DETAIL);
    expect(answer.headers['x-request-id']).toMatch(/^[\w.:-]{1,128}$/);
    expect(answer.status, answer.text.slice(0, 300)).toBe(status);
    const body = JSON.parse(answer.text) as { errors?: Array<{ extensions?: { code?: string } }> };
    if (code) expect(body.errors?.[0]?.extensions?.code, answer.text.slice(0, 300)).toBe(code);
    else expect(body.errors).toBeUndefined();

    const health = await fetch(`${url(edge)}/healthz`);
    expect(health.status).toBe(200);
    const normal = await send(edge, query('{ __typename }'));
    expect(normal.status).toBe(200);
    expect(JSON.parse(normal.text)).toMatchObject({ data: { __typename: 'Query' } });
  });
});
