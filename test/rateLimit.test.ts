import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { buildGateway, type GatewayApp } from '@edgeway/gateway';
import { createCache, createLogger, createTokenVerifier, defaultEdgeSecurity, metrics } from '@edgeway/platform';
import { createTestIssuer, TEST_SIGNING_KEY } from '@edgeway/platform/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { available } from './support/prerequisites.js';

/**
 * Rate limits shared through a real Redis (started here on a free port): two gateway replicas
 * count one budget exactly, and when Redis goes away they keep serving on local counters.
 */
const MAX = 10;
const ANONYMOUS_MAX = 4;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Resolves once Redis answers PING on `port`. */
async function redisAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.setTimeout(500);
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
  });
}

const hasRedis = available({
  command: 'redis-server',
  aptPackage: 'redis-server',
  what: 'Rate limits and the cache shared through Redis (test/rateLimit.test.ts)',
});
let redis: ChildProcess;
let redisPort: number;
const issuer = await createTestIssuer();
const gateways: GatewayApp[] = [];

async function startGateway(): Promise<GatewayApp> {
  const gateway = await buildGateway(
    {
      production: false,
      supergraphPath: fileURLToPath(new URL('../gateway/supergraph.graphql', import.meta.url)),
      subgraphUrls: {},
      upstreamTimeoutMs: 2000,
      halfOpenAfterMs: 10_000,
      chaosEnabled: false,
      security: { ...defaultEdgeSecurity(), RATE_LIMIT_MAX: MAX, RATE_LIMIT_ANONYMOUS_MAX: ANONYMOUS_MAX },
      apiKeys: [],
      redisUrl: `redis://127.0.0.1:${redisPort}`,
      internalSigningKey: TEST_SIGNING_KEY,
    },
    {
      logger: createLogger({ service: 'gateway', level: 'silent' }),
      verify: createTokenVerifier({ issuer: issuer.issuer, audience: issuer.audience, keys: issuer.getKey }),
    },
  );
  await gateway.app.ready();
  gateways.push(gateway);
  return gateway;
}

beforeAll(async () => {
  if (!hasRedis) return;
  redisPort = await freePort();
  redis = spawn(
    'redis-server',
    ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  for (let i = 0; i < 100 && !(await redisAnswers(redisPort)); i++) await new Promise((r) => setTimeout(r, 100));
  expect(await redisAnswers(redisPort), 'redis-server did not start (apt-get install redis-server)').toBe(true);
});

afterAll(async () => {
  if (!hasRedis) return;
  for (const gateway of gateways) {
    await gateway.app.close();
    await gateway.stop();
  }
  if (redis.exitCode === null && redis.signalCode === null) redis.kill('SIGKILL');
});

async function ask(gateway: GatewayApp, token?: string) {
  const response = await gateway.app.inject({
    method: 'POST',
    url: '/graphql',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    payload: { query: '{ __typename }' },
  });
  return {
    status: response.statusCode,
    remaining: response.headers['ratelimit-remaining'],
    limit: response.headers['ratelimit-limit'],
    retryAfter: response.headers['retry-after'],
    code: response.statusCode === 429 ? response.json().errors[0].extensions.code : undefined,
  };
}

const fallbacks = async () =>
  (await metrics.registry.getSingleMetric('edgeway_rate_limit_fallback_total')?.get())?.values[0]?.value ?? 0;

describe.skipIf(!hasRedis)('the shared cache in Redis', () => {
  it('keeps what the response cache stores (bytes inside an object) for another replica, byte for byte', async () => {
    const url = `redis://127.0.0.1:${redisPort}`;
    const [writer, reader] = [1, 2].map(() => createCache({ namespace: 'response', redisUrl: url, byReference: true }));
    const data = Buffer.from(JSON.stringify({ topProducts: [{ upc: '1', name: 'Table \u00e9' }] }));
    await writer?.set('k', { data, contentType: 'application/json', maxAge: 60, scope: 'PUBLIC', storedAt: 1 });
    const read = await reader?.get<{ data: Buffer; maxAge: number; scope: string }>('k');
    expect(Buffer.isBuffer(read?.data)).toBe(true);
    expect(read?.data.equals(data)).toBe(true);
    expect(read).toMatchObject({ maxAge: 60, scope: 'PUBLIC' });
    await Promise.all([writer?.disconnect(), reader?.disconnect()]);
  });
});

describe.skipIf(!hasRedis)('rate limits in Redis', () => {
  it('two gateway replicas share one budget per user exactly', async () => {
    const [a, b] = [await startGateway(), await startGateway()];
    const token = await issuer.sign('shared-user');
    const answers = [];
    for (let i = 0; i < MAX + 2; i++) answers.push(await ask(i % 2 === 0 ? a! : b!, token));
    expect(answers.map((x) => x.status)).toEqual([...Array(MAX).fill(200), 429, 429]);
    expect(answers.map((x) => x.remaining)).toEqual([
      ...Array.from({ length: MAX }, (_, i) => String(MAX - 1 - i)),
      '0',
      '0',
    ]);
    expect(answers[MAX]).toMatchObject({ limit: String(MAX), code: 'RATE_LIMITED' });
    expect(Number(answers[MAX]!.retryAfter)).toBeGreaterThan(0);

    // Anonymous callers share their (smaller) budget across replicas too, counted by IP.
    const anonymous = [];
    for (let i = 0; i < ANONYMOUS_MAX + 1; i++) anonymous.push((await ask(i % 2 === 0 ? a! : b!)).status);
    expect(anonymous).toEqual([...Array(ANONYMOUS_MAX).fill(200), 429]);
    // Another user still has a full budget.
    expect(await ask(b!, await issuer.sign('someone-else'))).toMatchObject({ status: 200, remaining: String(MAX - 1) });
  });

  it('keeps serving on local limits when Redis goes away, and says so in metrics', async () => {
    const [a, b] = gateways.length >= 2 ? gateways : [await startGateway(), await startGateway()];
    const token = await issuer.sign('during-outage');
    expect((await ask(a!, token)).status).toBe(200);

    redis.kill('SIGKILL');
    await new Promise<void>((resolve) =>
      redis.exitCode !== null || redis.signalCode !== null ? resolve() : redis.once('exit', () => resolve()),
    );
    const before = await fallbacks();
    const onA = [];
    for (let i = 0; i < MAX + 1; i++) onA.push((await ask(a!, token)).status);
    // Each replica now counts alone: A allows a full local budget, then refuses.
    expect(onA).toEqual([...Array(MAX).fill(200), 429]);
    expect((await ask(b!, token)).status).toBe(200);
    expect(await fallbacks()).toBeGreaterThanOrEqual(before + MAX + 2);
  });
});
