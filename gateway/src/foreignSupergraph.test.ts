// A supergraph of subgraphs Edgeway has never heard of, served with a configuration file:
// per-subgraph deadlines, header rules both ways and a subgraph that must not get the internal
// credential, each asserted at the subgraphs themselves.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, INTERNAL_CREDENTIAL_HEADER } from '@edgeway/platform';
import { createTestCredentials, createTestIssuer } from '@edgeway/platform/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { GatewayApp } from './app.js';
import { loadGatewayFile } from './config/file.js';
import { startForeignGateway, stopForeignGateway } from './testing.js';
import { type ForeignSupergraph, startForeignSupergraph } from './testingForeign.js';

const CONFIG = `
subgraphs:
  '*':
    timeoutMs: 2000
    headers:
      request:
        - propagate: { named: accept-language }
  ledger:
    timeoutMs: 300
    headers:
      request:
        - propagate: { named: authorization }
        - propagate: { matching: '^x-tenant-' }
        - propagate: { named: x-client-locale, rename: x-locale, default: en-US }
        - insert: { name: x-source, value: edgeway }
        - remove: { named: x-tenant-debug }
  warehouse:
    timeoutMs: 3000
    credential: false
    headers:
      request:
        - propagate: { matching: '.*' }
      response:
        - propagate: { named: set-cookie }
`;

const logger = createLogger({ service: 'gateway-foreign', level: 'silent' });
const issuer = await createTestIssuer();
let foreign: ForeignSupergraph;
let gateway: GatewayApp;

beforeAll(async () => {
  foreign = await startForeignSupergraph([
    {
      name: 'ledger',
      sdl: 'type Query { balance: String @shareable cached: String @shareable }',
      resolvers: {
        Query: {
          balance: (_p, _a, { headers }) => `balance of ${headers['x-tenant-id'] ?? 'nobody'}`,
          cached: (_p, _a, { headers }) => `cached for ${headers['x-tenant-id'] ?? 'nobody'}`,
        },
      },
    },
    { name: 'warehouse', sdl: 'type Query { stock: Int }', resolvers: { Query: { stock: () => 42 } } },
  ]);
  const configPath = join(mkdtempSync(join(tmpdir(), 'edgeway-config-')), 'gateway.config.yaml');
  writeFileSync(configPath, CONFIG);
  gateway = await startForeignGateway(foreign, issuer, logger, {
    subgraphs: loadGatewayFile(configPath, foreign.supergraphPath).subgraphs,
    responseCache: true,
  });
});

afterAll(() => stopForeignGateway(gateway, foreign));

beforeEach(() => foreign.reset());

const ask = (query: string, headers: Record<string, string> = {}) =>
  gateway.app.inject({
    method: 'POST',
    url: '/graphql',
    headers: { 'content-type': 'application/json', ...headers },
    payload: { query },
  });

describe('a foreign supergraph served with a configuration file', () => {
  it('gives each subgraph its own deadline: the slow one with a short deadline fails at its fields, the other answers', async () => {
    // Both equally slow: only their deadlines differ (300 ms and 3 s).
    foreign.subgraphs.ledger!.behaviour.delayMs = 1000;
    foreign.subgraphs.warehouse!.behaviour.delayMs = 1000;
    const response = await ask('{ balance stock }');
    const body = response.json();
    expect(body.data).toEqual({ balance: null, stock: 42 });
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0].path).toEqual(['balance']);
    expect(body.errors[0].extensions.code).toBe('DEPENDENCY_UNAVAILABLE');
  });

  it('passes client headers to each subgraph as its rules say, and never hop-by-hop ones or unnamed credentials', async () => {
    const token = await issuer.sign('7');
    const response = await ask('{ balance stock }', {
      authorization: `Bearer ${token}`,
      cookie: 'session=secret',
      'accept-language': 'fr-CH',
      'x-tenant-id': 'acme',
      'x-tenant-debug': 'on',
      'x-other': 'kept-by-pattern',
      'keep-alive': 'timeout=5',
      'proxy-authorization': 'Basic eA==',
      te: 'trailers',
      upgrade: 'h2c',
      [INTERNAL_CREDENTIAL_HEADER]: 'forged',
      'x-edgeway-chaos': 'down',
    });
    expect(response.json().data).toEqual({ balance: 'balance of acme', stock: 42 });
    const ledger = foreign.subgraphs.ledger!.requests[0]!.headers;
    expect(ledger.authorization).toBe(`Bearer ${token}`);
    expect(ledger['accept-language']).toBe('fr-CH');
    expect(ledger['x-tenant-id']).toBe('acme');
    expect(ledger['x-tenant-debug']).toBeUndefined();
    expect(ledger['x-locale']).toBe('en-US');
    expect(ledger['x-source']).toBe('edgeway');
    expect(ledger['x-other']).toBeUndefined();
    expect(ledger.cookie).toBeUndefined();

    const warehouse = foreign.subgraphs.warehouse!.requests[0]!.headers;
    // '.*' matches every header but the caller's credentials, hop-by-hop headers and the gateway's own.
    expect(warehouse['x-other']).toBe('kept-by-pattern');
    expect(warehouse['x-tenant-debug']).toBe('on');
    expect(warehouse['accept-language']).toBe('fr-CH');
    for (const never of ['authorization', 'cookie', 'keep-alive', 'proxy-authorization', 'te', 'upgrade']) {
      expect(warehouse[never], never).toBeUndefined();
    }
    expect(warehouse['content-length']).toBe(String(Buffer.byteLength(foreign.subgraphs.warehouse!.requests[0]!.body)));
  });

  it('sends the internal credential only to subgraphs configured for it, never a client-forged one', async () => {
    await ask('{ balance stock }', { [INTERNAL_CREDENTIAL_HEADER]: 'forged' });
    const ledger = foreign.subgraphs.ledger!.requests[0]!.headers;
    const warehouse = foreign.subgraphs.warehouse!.requests[0]!.headers;
    // Signed by the gateway for this subgraph: the ledger's verifier accepts it.
    await expect(createTestCredentials('ledger').verifier(ledger)).resolves.toBeDefined();
    expect(warehouse[INTERNAL_CREDENTIAL_HEADER]).toBeUndefined();
    expect(ledger['x-request-id']).toBeTruthy();
    expect(warehouse['x-request-id']).toBe(ledger['x-request-id']);
  });

  it('passes the named subgraph answer headers to the client, and never caches such an answer', async () => {
    const warehouse = foreign.subgraphs.warehouse!;
    warehouse.behaviour.headers = {
      'set-cookie': ['a=1; Path=/; Expires=Wed, 21 Oct 2037 07:28:00 GMT', 'b=2; Path=/; HttpOnly'],
      'x-not-propagated': 'no',
      'cache-control': 'max-age=60, public',
    };
    const first = await ask('{ stock }');
    expect(first.json().data).toEqual({ stock: 42 });
    expect(first.headers['set-cookie']).toEqual([
      'a=1; Path=/; Expires=Wed, 21 Oct 2037 07:28:00 GMT',
      'b=2; Path=/; HttpOnly',
    ]);
    expect(first.headers['x-not-propagated']).toBeUndefined();
    expect(first.headers['cache-control']).toBe('no-store');
    const second = await ask('{ stock }');
    expect(second.headers.age).toBeUndefined();
    expect(second.headers['set-cookie']).toHaveLength(2);
    expect(warehouse.requests).toHaveLength(2);
    // The ledger's headers are not propagated: its Set-Cookie stays with the gateway.
    foreign.subgraphs.ledger!.behaviour.headers = { 'set-cookie': 'ledger=1' };
    expect((await ask('{ balance }')).headers['set-cookie']).toBeUndefined();
  });
});

describe('callers whose propagated headers differ never share an answer', () => {
  it('in flight: identical queries at once are shared only between callers with the same propagated headers', async () => {
    const ledger = foreign.subgraphs.ledger!;
    ledger.behaviour.delayMs = 200; // under its 300 ms deadline
    const [acme, globex] = await Promise.all([
      ask('{ balance }', { 'x-tenant-id': 'acme' }),
      ask('{ balance }', { 'x-tenant-id': 'globex' }),
    ]);
    expect(acme.json().data.balance).toBe('balance of acme');
    expect(globex.json().data.balance).toBe('balance of globex');
    expect(ledger.requests).toHaveLength(2);
    // The same headers are shared, so the test above could have failed.
    await Promise.all([ask('{ balance }', { 'x-tenant-id': 'acme' }), ask('{ balance }', { 'x-tenant-id': 'acme' })]);
    expect(ledger.requests).toHaveLength(3);
  });

  it('in flight, never for a subgraph whose answer headers reach the client: each caller gets its own Set-Cookie', async () => {
    const warehouse = foreign.subgraphs.warehouse!;
    warehouse.behaviour.delayMs = 150;
    let issued = 0;
    warehouse.behaviour.headers = {
      get 'set-cookie'() {
        return `session=${++issued}`;
      },
    };
    const answers = await Promise.all([ask('{ stock }'), ask('{ stock }')]);
    expect(warehouse.requests).toHaveLength(2);
    expect(answers.map((a) => a.headers['set-cookie']).sort()).toEqual(['session=1', 'session=2']);
  });

  it('in the whole-response cache: an answer stored for one caller is served only to callers with the same propagated headers', async () => {
    const ledger = foreign.subgraphs.ledger!;
    ledger.behaviour.headers = { 'cache-control': 'max-age=60, public' };
    const acme = await ask('{ cached }', { 'x-tenant-id': 'acme-cache' });
    const globex = await ask('{ cached }', { 'x-tenant-id': 'globex-cache' });
    expect(acme.json().data.cached).toBe('cached for acme-cache');
    expect(globex.json().data.cached).toBe('cached for globex-cache');
    expect(ledger.requests).toHaveLength(2);
    const again = await ask('{ cached }', { 'x-tenant-id': 'acme-cache' });
    expect(again.json().data.cached).toBe('cached for acme-cache');
    expect(again.headers.age).toBeDefined();
    expect(ledger.requests).toHaveLength(2);
  });
});
