import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeServices } from '@apollo/composition';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { createLogger, createTokenVerifier, defaultEdgeSecurity } from '@edgeway/platform';
import { createTestIssuer } from '@edgeway/platform/testing';
import { execute, parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayApp } from './app.js';
import { startTestGateway } from './testing.js';

// The whole-response cache against two real (small) subgraphs whose answers carry Cache-Control,
// as Apollo subgraphs do from their @cacheControl hints.

interface FakeSubgraph {
  name: string;
  sdl: string;
  /** The Cache-Control each answer carries. */
  cacheControl: string;
  resolvers: Record<string, Record<string, () => unknown>>;
  hits: number;
  server?: Server;
  url?: string;
}

const SUBGRAPHS: FakeSubgraph[] = [
  {
    name: 'catalog',
    sdl: `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
          type Query { banner: String mine: String broken: String }
          type Mutation { bump: Int }`,
    cacheControl: 'max-age=60, public',
    resolvers: {
      Mutation: { bump: () => 1 },
      Query: {
        banner: () => 'sale',
        mine: () => 'private things',
        broken: () => {
          throw new Error('no');
        },
      },
    },
    hits: 0,
  },
  {
    name: 'stock',
    sdl: `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
          type Query { level: Int }`,
    cacheControl: 'max-age=10, public',
    resolvers: { Query: { level: () => 7 } },
    hits: 0,
  },
];

async function serve(subgraph: FakeSubgraph): Promise<void> {
  const schema = buildSubgraphSchema({ typeDefs: parse(subgraph.sdl), resolvers: subgraph.resolvers as never });
  subgraph.server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      subgraph.hits += 1;
      const { query, variables } = JSON.parse(Buffer.concat(chunks).toString()) as { query: string; variables?: never };
      const result = await execute({ schema, document: parse(query), variableValues: variables });
      // "mine" is private data: an Apollo subgraph would say so from its hint.
      const cacheControl = query.includes('mine') ? 'max-age=60, private' : subgraph.cacheControl;
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': cacheControl });
      res.end(JSON.stringify(result));
    });
  });
  await new Promise<void>((resolve) => subgraph.server?.listen(0, '127.0.0.1', resolve));
  subgraph.url = `http://127.0.0.1:${(subgraph.server.address() as AddressInfo).port}/graphql`;
}

const issuer = await createTestIssuer();
let gateway: GatewayApp;
let supergraphPath: string;

function compose(extraStockField = ''): string {
  const composed = composeServices(
    SUBGRAPHS.map((s) => ({
      name: s.name,
      url: s.url ?? '',
      typeDefs: parse(s.name === 'stock' ? s.sdl.replace('level: Int', `level: Int ${extraStockField}`) : s.sdl),
    })),
  );
  if (composed.errors) throw new Error(composed.errors.map((e) => e.message).join('\n'));
  return composed.supergraphSdl;
}

beforeAll(async () => {
  await Promise.all(SUBGRAPHS.map(serve));
  supergraphPath = join(mkdtempSync(join(tmpdir(), 'edgeway-cache-')), 'supergraph.graphql');
  writeFileSync(supergraphPath, compose());
  gateway = await startTestGateway(
    {
      supergraphPath,
      chaosEnabled: true,
      security: { ...defaultEdgeSecurity(), RATE_LIMIT_ENABLED: false },
      responseCache: true,
    },
    {
      logger: createLogger({ service: 'gateway-test', level: 'silent' }),
      verify: createTokenVerifier({ issuer: issuer.issuer, audience: issuer.audience, keys: issuer.getKey }),
    },
  );
});
afterAll(async () => {
  await gateway.app.close();
  await gateway.stop();
  for (const s of SUBGRAPHS) s.server?.close();
});

async function ask(query: string, headers: Record<string, string> = {}, rawBody?: string) {
  const response = await gateway.app.inject({
    method: 'POST',
    url: '/graphql',
    headers: { 'content-type': 'application/json', ...headers },
    payload: rawBody ?? { query },
  });
  return {
    headers: response.headers,
    raw: response.payload,
    body: response.json() as { data?: unknown; errors?: unknown[] },
  };
}
const hits = () => SUBGRAPHS.reduce((sum, s) => sum + s.hits, 0);
const as = async (sub: string) => ({ authorization: `Bearer ${await issuer.sign(sub)}` });

describe('response cache', () => {
  it('serves a public answer from the cache, with the smallest max-age across the plan', async () => {
    const before = hits();
    const first = await ask('{ banner level }');
    expect(first.body).toEqual({ data: { banner: 'sale', level: 7 } });
    expect(first.headers['cache-control']).toBe('max-age=10, public');
    expect(hits() - before).toBe(2);
    const second = await ask('{ banner level }');
    expect(second.body).toEqual(first.body);
    expect(second.headers['cache-control']).toBe('max-age=10, public');
    expect(second.headers.age).toBeDefined();
    expect(hits() - before).toBe(2);
    // Signed-in callers share public answers among themselves (Apollo keeps them apart from
    // anonymous ones, whose answers may differ).
    await ask('{ banner level }', await as('1'));
    expect(hits() - before).toBe(4);
    const other = await ask('{ banner level }', await as('2'));
    expect(other.headers.age).toBeDefined();
    expect(hits() - before).toBe(4);
  });

  it('keeps a private answer per caller, and never for an anonymous one', async () => {
    const before = hits();
    await ask('{ mine }');
    await ask('{ mine }');
    expect(hits() - before).toBe(2);
    const alice = await as('alice');
    const first = await ask('{ mine }', alice);
    expect(first.headers['cache-control']).toBe('max-age=60, private');
    await ask('{ mine }', alice);
    expect(hits() - before).toBe(3);
    await ask('{ mine }', await as('bob'));
    expect(hits() - before).toBe(4);
  });

  it('never stores an answer with errors', async () => {
    const before = hits();
    const first = await ask('{ broken }');
    expect(first.body.errors).toHaveLength(1);
    expect(first.headers['cache-control']).toBe('no-store');
    await ask('{ broken }');
    expect(hits() - before).toBe(2);
  });

  it('does not cache under variables too deep or too large to key, and still answers', async () => {
    const deep = `{"query":"{ banner }","variables":{"v":${'['.repeat(20_000)}${']'.repeat(20_000)}}}`;
    const before = hits();
    const first = await ask('', {}, deep);
    expect(first.body).toEqual({ data: { banner: 'sale' } });
    await ask('', {}, deep);
    expect(hits() - before).toBe(2);
  });

  it('answers a hit with the very bytes and headers of the answer it stored', async () => {
    const accept = { accept: 'application/graphql-response+json' };
    const before = hits();
    const first = await ask('query Banner { banner }', accept);
    const second = await ask('query Banner { banner }', accept);
    expect(hits() - before).toBe(1);
    expect(second.raw).toBe(first.raw);
    expect(second.headers['content-type']).toBe(first.headers['content-type']);
    expect(second.headers['content-type']).toContain('application/graphql-response+json');
    // Another accept header is another answer (its content type differs).
    const plain = await ask('query Banner { banner }');
    expect(plain.headers['content-type']).toContain('application/json');
    expect(hits() - before).toBe(2);
  });

  it('never stores a mutation, and never answers a request injecting faults from the cache', async () => {
    const before = hits();
    await ask('mutation { bump }');
    await ask('mutation { bump }');
    expect(hits() - before).toBe(2);
    await ask('{ level }');
    await ask('{ level }');
    expect(hits() - before).toBe(3);
    await ask('{ level }', { 'x-chaos': 'catalog=slow:1' });
    expect(hits() - before).toBe(4);
  });

  it('never answers from another schema: a supergraph reload starts afresh', async () => {
    await ask('{ level }');
    const before = hits();
    await ask('{ level }');
    expect(hits() - before).toBe(0);
    writeFileSync(supergraphPath, compose('spare: Int'));
    await expect
      .poll(async () => (await ask('{ spare }')).body.errors, { timeout: 10_000, interval: 200 })
      .toBeUndefined();
    const after = hits();
    await ask('{ level }');
    expect(hits() - after).toBe(1);
  });
});
