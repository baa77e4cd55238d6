// A gateway whose subgraphs misbehave: one answers without end, one answers error pages full of
// secrets. The gateway answers the rest of the query, stays up, and passes none of it on.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger, createTokenVerifier } from '@edgeway/platform';
import { createTestIssuer } from '@edgeway/platform/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayApp } from './app.js';
import { type RunningSubgraphs, startSubgraphs, startTestGateway } from './testing.js';

const SECRETS = [
  'postgres://orders:hunter2@db-primary.internal:5432/orders',
  'at Object.query (/srv/inventory/src/db.ts:41:13)',
  'inventory-7d9f8.svc.cluster.local',
  '10.42.7.3:8080',
];
const ERROR_PAGE = `<html><body><h1>Bad Gateway</h1><pre>${SECRETS.join('\n')}</pre></body></html>`;
const MAX_BYTES = 256 * 1024;

type Behaviour = 'huge' | 'huge-chunked' | 'error-page-400' | 'error-page-200' | 'error-page-503' | 'json-4xx';

/** One fake subgraph whose behaviour the test switches; it counts the bytes it managed to send. */
function fakeSubgraph() {
  const state = { behaviour: 'huge' as Behaviour, sent: 0 };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    req.on('end', () => {
      const { behaviour } = state;
      if (behaviour === 'huge' || behaviour === 'huge-chunked') {
        const chunk = Buffer.alloc(64 * 1024, 'x');
        const total = 64 * 1024 * 1024;
        res.writeHead(200, {
          'content-type': 'application/json',
          ...(behaviour === 'huge' ? { 'content-length': String(total + 20) } : {}),
        });
        res.write('{"data":{"_entities":"');
        const pump = () => {
          while (state.sent < total) {
            state.sent += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          res.end('"}}');
        };
        res.on('close', () => res.removeAllListeners('drain'));
        pump();
        return;
      }
      if (behaviour === 'json-4xx') {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ errors: [{ message: SECRETS.join(' '), extensions: { code: 'X' } }] }));
        return;
      }
      const status = behaviour === 'error-page-400' ? 400 : behaviour === 'error-page-503' ? 503 : 200;
      res.writeHead(status, { 'content-type': 'text/html', server: 'nginx/1.25 (inventory-7d9f8)' });
      res.end(ERROR_PAGE);
    });
  });
  return { server, state };
}

const logger = createLogger({ service: 'gateway-hostile-subgraphs', level: 'silent' });
const issuer = await createTestIssuer();
const fake = fakeSubgraph();
let subgraphs: RunningSubgraphs;
const gateways: Record<'production' | 'development', GatewayApp> = {} as never;

beforeAll(async () => {
  subgraphs = await startSubgraphs(logger);
  await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
  const fakeUrl = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}/graphql`;
  const verify = createTokenVerifier({ issuer: issuer.issuer, audience: issuer.audience, keys: issuer.getKey });
  for (const mode of ['production', 'development'] as const) {
    gateways[mode] = await startTestGateway(
      {
        production: mode === 'production',
        // Reviews and inventory are the fake; products and accounts are real.
        subgraphUrls: { ...subgraphs.urls, reviews: fakeUrl, inventory: fakeUrl },
        subgraphMaxResponseBytes: MAX_BYTES,
        // Every case fails these two subgraphs; an open circuit would hide the later cases.
        halfOpenAfterMs: 1,
      },
      { logger, verify },
    );
  }
});
afterAll(async () => {
  for (const gateway of Object.values(gateways)) {
    await gateway.app.close();
    await gateway.stop();
  }
  fake.server.closeAllConnections();
  await new Promise((resolve) => fake.server.close(resolve));
  await subgraphs.close();
});

async function ask(gateway: GatewayApp, query: string) {
  const response = await gateway.app.inject({
    method: 'POST',
    url: '/graphql',
    headers: { 'content-type': 'application/json' },
    payload: { query },
  });
  return { status: response.statusCode, body: response.json(), text: response.body };
}

const QUERY = '{ topProducts(first: 2) { upc name inStock reviews { body } } }';

describe.each(['production', 'development'] as const)('a gateway in %s over hostile subgraphs', (mode) => {
  it.each(['huge', 'huge-chunked'] as const)(
    'reads no more than its cap of a %s answer, fails only those fields, and stays up',
    async (behaviour) => {
      fake.state.behaviour = behaviour;
      fake.state.sent = 0;
      const heapBefore = process.memoryUsage().heapUsed;
      const { status, body, text } = await ask(gateways[mode], QUERY);
      expect(status).toBe(200);
      // Partial data: what the healthy subgraphs serve is there.
      expect(body.data.topProducts).toHaveLength(2);
      expect(body.data.topProducts[0]).toMatchObject({ upc: expect.any(String), name: expect.any(String) });
      expect(body.data.topProducts[0].reviews).toBeNull();
      const codes = new Set(body.errors.map((e: { extensions: { code: string } }) => e.extensions.code));
      expect([...codes]).toEqual(['DEPENDENCY_UNAVAILABLE']);
      expect(text.length).toBeLessThan(10_000);
      // The fake could push only a fraction of its 64 MB before the gateway hung up.
      expect(fake.state.sent).toBeLessThan(32 * 1024 * 1024);
      expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(48 * 1024 * 1024);
    },
  );

  it.each(['error-page-400', 'error-page-200', 'error-page-503', 'json-4xx'] as const)(
    'passes nothing of an upstream %s on: no body, no address, no stack',
    async (behaviour) => {
      fake.state.behaviour = behaviour;
      const { status, body, text } = await ask(gateways[mode], QUERY);
      expect(status).toBe(200);
      expect(body.data.topProducts[0].name).toEqual(expect.any(String));
      for (const secret of [...SECRETS, 'hunter2', 'nginx', '<html', 'Bad Gateway']) expect(text).not.toContain(secret);
      for (const error of body.errors) {
        expect(error.extensions.code).toBe('DEPENDENCY_UNAVAILABLE');
        expect(error.extensions).not.toHaveProperty('response');
        if (mode === 'production')
          expect(Object.keys(error.extensions).sort()).toEqual(['code', 'dependency', 'reason']);
      }
    },
  );

  it('is still healthy, answers a healthy query, and shows no address in /health/dependencies', async () => {
    const gateway = gateways[mode];
    expect((await gateway.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    expect((await gateway.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    const healthy = await ask(gateway, '{ topProducts(first: 1) { upc name } }');
    expect(healthy.body.errors).toBeUndefined();
    const dependencies = await gateway.app.inject({ method: 'GET', url: '/health/dependencies' });
    expect(dependencies.body).toContain('"reviews"');
    expect(dependencies.body).not.toMatch(/127\.0\.0\.1|localhost|http:\/\//);
  });
});
