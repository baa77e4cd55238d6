import { readFileSync } from 'node:fs';
import { type IncomingHttpHeaders, request as httpRequest } from 'node:http';
import { loadIdentityConfig, loadOrCreateSigningKey } from '@edgeway/identity';
import { type RawAnswer, rawRequest } from '@edgeway/platform/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchSystem, type RunningSystem } from '../scripts/system.js';
import { tokenFor, url } from './support/client.js';
import { CASES, EDGES, type Edge, query, type Request, useIdentity } from './support/hostile.js';
import { http1, REST_TARGETS, ROUTE_SPELLINGS, WIRE_CASES, type WireTarget } from './support/hostileWire.js';

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

// --- the wire-level corpus (test/support/hostileWire.ts) ------------------------------------

/** Budget of the production bff-mobile's anonymous callers: the forged-token flood exhausts it. */
const PRODUCTION_ANONYMOUS_MAX = 80;
let production: RunningSystem | undefined;
let productionMetricsUrl = '';
const MANIFEST = JSON.parse(
  readFileSync(new URL('../bff-mobile/persisted-operations.json', import.meta.url), 'utf8'),
) as { operations: Array<{ id: string; name: string }> };
const HOME_SCREEN = MANIFEST.operations.find((op) => op.name === 'HomeScreen')!;

/**
 * bff-mobile in production mode (persisted operations only, the operator routes on their own
 * port, a small anonymous budget), started beside the shared system and using its gateway,
 * REST services and identity.
 */
beforeAll(async () => {
  production = await launchSystem({
    ports: 'free',
    only: ['bff-mobile'],
    env: { NODE_ENV: 'production', LOG_LEVEL: 'info' },
    serviceEnv: {
      'bff-mobile': {
        JWKS_URL: `${url('identity')}/.well-known/jwks.json`,
        GATEWAY_URL: `${url('gateway')}/graphql`,
        PRICING_URL: url('pricing'),
        RECOMMENDATIONS_URL: url('recommendations'),
        // Anonymous at the shared gateway, whose API keys this launch does not know.
        GATEWAY_API_KEY: '',
        RATE_LIMIT_ANONYMOUS_MAX: String(PRODUCTION_ANONYMOUS_MAX),
        REQUEST_TIMEOUT_MS: '8000',
        HEADERS_TIMEOUT_MS: '5000',
        METRICS_PORT: '0',
        OTEL_EXPORTER_OTLP_ENDPOINT: inject('telemetry'),
        OTEL_TRACES_SAMPLER: 'parentbased_always_off',
      },
    },
    onLine: (_service, line) => {
      const found = /"metricsUrl":"([^"]+)"/.exec(line);
      if (found?.[1]) productionMetricsUrl = found[1];
    },
  });
}, 180_000);
afterAll(() => production?.stop());

function baseOf(target: WireTarget): string {
  if (target !== 'bff-mobile-production') return url(target);
  const service = production?.services.find((s) => s.name === 'bff-mobile');
  if (!service) throw new Error('the production bff-mobile did not start');
  return service.url;
}
const portOf = (target: WireTarget) => Number(new URL(baseOf(target)).port);

/** The catalog code in either shape: `{errors:[{extensions:{code}}]}` or `{code, message}`. */
function catalogCode(target: WireTarget, answer: RawAnswer): string | undefined {
  const body = JSON.parse(answer.body) as { code?: string; errors?: Array<{ extensions?: { code?: string } }> };
  return REST_TARGETS.includes(target) ? body.code : body.errors?.[0]?.extensions?.code;
}

/** A normal request each kind of service must still answer after a hostile one. */
async function healthy(target: WireTarget): Promise<void> {
  const base = baseOf(target);
  expect((await fetch(`${base}/healthz`)).status).toBe(200);
  if (target === 'bff-mobile-production') {
    const answer = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: HOME_SCREEN.id } } }),
    });
    expect(answer.status).toBe(200);
  } else if ((EDGES as string[]).includes(target)) {
    const normal = await send(target as Edge, query('{ __typename }'));
    expect(normal.status).toBe(200);
  }
}

async function checkWire(target: WireTarget, c: (typeof WIRE_CASES)[number]): Promise<void> {
  const answer = await rawRequest(portOf(target), c.bytes(), c.options);
  expect(answer.status, answer.raw.slice(0, 300)).toBe(c.status);
  expect(answer.body).not.toMatch(INTERNAL_DETAIL);
  expect(answer.headers['x-request-id']).toMatch(/^[\w.:-]{1,128}$/);
  if (c.noContinue) expect(answer.raw).not.toMatch(/^HTTP\/1\.1 100/);
  if (c.code) expect(catalogCode(target, answer), answer.body.slice(0, 300)).toBe(c.code);
  else expect(answer.body).not.toMatch(/"errors"/);
  await healthy(target);
}

describe('hostile input on the wire', () => {
  const cases = WIRE_CASES.flatMap((c) => c.targets.map((target) => ({ ...c, target })));
  const slow = (c: (typeof cases)[number]) => c.options?.trickle !== undefined;

  it('has at least 120 cases over every kind of service', () => {
    expect(cases.length).toBeGreaterThanOrEqual(120);
    expect(new Set(cases.map((c) => c.target)).size).toBe(12);
  });

  it.each(cases.filter((c) => !slow(c)))('$target: $name -> $status $code', async (c) => checkWire(c.target, c));
  // Each waits out a request timeout: run side by side.
  it.concurrent.each(cases.filter(slow))(
    '$target: $name -> $status $code',
    async (c) => checkWire(c.target, c),
    60_000,
  );
});

describe('a caller with refused credentials runs out of budget (production bff-mobile)', () => {
  it('answers forged tokens 401 until the anonymous budget is spent, then 429; signed-in users go on', async () => {
    const port = portOf('bff-mobile-production');
    const forged = `${(await tokenFor('1')).slice(0, -6)}AAAAAA`;
    const statuses: number[] = [];
    for (let i = 0; i <= PRODUCTION_ANONYMOUS_MAX && !statuses.includes(429); i++) {
      const target = ROUTE_SPELLINGS[i % ROUTE_SPELLINGS.length]!;
      const answer = await rawRequest(
        port,
        http1({ target, headers: { authorization: `Bearer ${forged}` }, body: '{"query":"{ __typename }"}' }),
      );
      expect(answer.body).not.toMatch(INTERNAL_DETAIL);
      statuses.push(answer.status);
    }
    expect(new Set(statuses.slice(0, -1))).toEqual(new Set([401]));
    expect(statuses.at(-1)).toBe(429);
    const token = await tokenFor('2');
    const signedIn = await fetch(`${baseOf('bff-mobile-production')}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: HOME_SCREEN.id } } }),
    });
    expect(signedIn.status).toBe(200);
  });
});

describe('metrics cannot be flooded', () => {
  const junk = async (edge: Edge, i: number) =>
    send(edge, {
      ...query(`query Junk${i} { __typename }`, { operationName: `Junk${i}` }),
      headers: { 'content-type': 'application/json', 'apollographql-client-name': `junk-client-${i}` },
    });

  it.each(['gateway', 'bff-web'] as Edge[])('%s: made-up client and operation names label nothing', async (edge) => {
    for (let i = 0; i < 40; i++) await junk(edge, i);
    for (let i = 0; i < 20; i++) {
      await send(edge, {
        ...query('{ __typename }', { operationName: `Claimed${i}` }),
        headers: { 'content-type': 'application/json', 'apollographql-client-name': 'bff-web' },
      });
    }
    const text = await (await fetch(`${url(edge)}/metrics`)).text();
    expect(text).not.toMatch(/junk-client-/);
    expect(text).not.toMatch(/operation="Claimed/);
    await healthy(edge);
  });

  it('the production bff-mobile serves /metrics and /health/dependencies on METRICS_PORT only', async () => {
    const base = baseOf('bff-mobile-production');
    for (const path of ['/metrics', '/health/dependencies', '/%6detrics']) {
      const answer = await fetch(`${base}${path}`);
      expect(answer.status, path).toBe(404);
    }
    expect(productionMetricsUrl).toMatch(/^http:\/\//);
    const metrics = await fetch(`${productionMetricsUrl}/metrics`);
    expect(metrics.status).toBe(200);
    const text = await metrics.text();
    expect(text).toMatch(/operation="HomeScreen"/);
    expect(text).not.toMatch(/operation="(Junk|Claimed)/);
    expect((await fetch(`${productionMetricsUrl}/health/dependencies`)).status).toBe(200);
    expect((await fetch(`${productionMetricsUrl}/graphql`, { method: 'POST' })).status).toBe(404);
  });
});
