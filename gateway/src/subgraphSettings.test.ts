// Each per-subgraph setting of the configuration file, shown by what the subgraph sees: one small
// subgraph per setting, all in one foreign supergraph behind one gateway.
import { createLogger } from '@edgeway/platform';
import { createTestIssuer } from '@edgeway/platform/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { GatewayApp } from './app.js';
import { parseGatewayFile, subgraphNamesOf } from './config/file.js';
import { askGateway, startForeignGateway, stopForeignGateway } from './testing.js';
import { type ForeignSupergraph, startForeignSupergraph } from './testingForeign.js';

const NOWHERE = 'http://127.0.0.1:9/graphql';
const NAMES = ['no-retry', 'retrying', 'breaking', 'narrow', 'capped', 'moved', 'relocated'] as const;
const fieldOf = (name: string) => name.replace(/-(.)/g, (_, c: string) => c.toUpperCase());

const logger = createLogger({ service: 'gateway-subgraph-settings', level: 'silent' });
const issuer = await createTestIssuer();
let foreign: ForeignSupergraph;
let gateway: GatewayApp;

beforeAll(async () => {
  foreign = await startForeignSupergraph(
    NAMES.map((name) => ({
      name,
      sdl: `type Query { ${fieldOf(name)}: String }`,
      resolvers: { Query: { [fieldOf(name)]: () => `from ${name}` } },
      ...((name === 'moved' || name === 'relocated') && { supergraphUrl: NOWHERE }),
    })),
  );
  const file = parseGatewayFile(
    `
subgraphs:
  '*': { retry: { attempts: 0 } }
  no-retry: {}
  retrying: { retry: { attempts: 2, backoffMs: 20 } }
  breaking: { breaker: { consecutiveFailures: 2, halfOpenAfterMs: 60000 } }
  narrow: { bulkhead: { maxConcurrent: 1, maxQueued: 0 } }
  capped: { maxResponseBytes: 65536 }
  moved: { url: ${NOWHERE} }
  relocated: { url: ${foreign.subgraphs.relocated!.url} }
`,
    subgraphNamesOf(foreign.supergraphSdl),
  );
  gateway = await startForeignGateway(foreign, issuer, logger, {
    subgraphs: file.subgraphs,
    // The environment's URL wins over the file's, for a name with a character a variable cannot hold.
    subgraphUrlEnvs: { SUBGRAPH_MOVED_URL: foreign.subgraphs.moved!.url },
    responseCache: false,
  });
});

afterAll(() => stopForeignGateway(gateway, foreign));

beforeEach(() => foreign.reset());

const ask = (query: string) => askGateway(gateway, query);

describe('per-subgraph settings from the configuration file', () => {
  it('retry: a subgraph set to 0 attempts is asked once; one set to 2 rides over two failures', async () => {
    foreign.subgraphs['no-retry']!.behaviour.failNext = 1;
    const once = await ask('{ noRetry }');
    expect(once.data.noRetry).toBeNull();
    expect(once.errors?.[0]?.path).toEqual(['noRetry']);
    expect(foreign.subgraphs['no-retry']!.requests).toHaveLength(1);

    foreign.subgraphs.retrying!.behaviour.failNext = 2;
    expect((await ask('{ retrying }')).data.retrying).toBe('from retrying');
    expect(foreign.subgraphs.retrying!.requests).toHaveLength(3);
  });

  it('breaker: opens after its own number of failures in a row, then spares the subgraph', async () => {
    const breaking = foreign.subgraphs.breaking!;
    breaking.behaviour.failNext = 100;
    for (let i = 0; i < 3; i++) expect((await ask('{ breaking }')).data.breaking).toBeNull();
    expect(breaking.requests).toHaveLength(2);
    const status = (await gateway.app.inject({ url: '/health/dependencies' })).json() as {
      dependencies: Array<{ name: string; circuit: string }>;
    };
    expect(status.dependencies.find((d) => d.name === 'breaking')?.circuit).toBe('open');
    expect(status.dependencies.find((d) => d.name === 'narrow')?.circuit).toBe('closed');
  });

  it('bulkhead: no more requests in flight at once than its maxConcurrent, the rest refused', async () => {
    const narrow = foreign.subgraphs.narrow!;
    narrow.behaviour.delayMs = 1000;
    // Different texts, so in-flight sharing cannot merge them.
    const answers = await Promise.all(['a', 'b', 'c'].map((alias) => ask(`{ ${alias}: narrow }`)));
    const served = answers.filter((answer) => Object.values(answer.data)[0] === 'from narrow');
    expect(served).toHaveLength(1);
    expect(narrow.inFlight.max).toBe(1);
    expect(narrow.requests).toHaveLength(1);
  });

  it('maxResponseBytes: a larger answer fails that subgraph only', async () => {
    foreign.subgraphs.capped!.behaviour.padBytes = 200_000;
    foreign.subgraphs.retrying!.behaviour.padBytes = 200_000;
    const answer = await ask('{ capped retrying }');
    expect(answer.data).toEqual({ capped: null, retrying: 'from retrying' });
    expect(answer.errors?.map((e) => e.path)).toEqual([['capped']]);
  });

  it('url: the environment wins over the file, the file over the supergraph', async () => {
    expect((await ask('{ moved relocated }')).data).toEqual({ moved: 'from moved', relocated: 'from relocated' });
  });
});
