import { createDependencyPolicy } from '@edgeway/platform';
import { MockAgent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { CHAOS_DIRECTIVE_HEADER, createSubgraphFetcher } from './fetcher.js';

const ORIGIN = 'http://subgraph.test';
const agents: MockAgent[] = [];

function setup() {
  const agent = new MockAgent();
  agent.disableNetConnect();
  agents.push(agent);
  const pool = agent.get(ORIGIN);
  const policy = createDependencyPolicy({ name: 'reviews', retries: 1, consecutiveFailures: 50 });
  return { agent, pool, fetcher: createSubgraphFetcher(policy, agent, { freshConnection: () => agent }), policy };
}

const post = (query: string) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ query }),
});

afterEach(async () => {
  await Promise.all(agents.splice(0).map((a) => a.close()));
});

describe('subgraph fetcher', () => {
  it('retries a query once after a 5xx and answers the second reply', async () => {
    const { pool, fetcher } = setup();
    pool.intercept({ path: '/graphql', method: 'POST' }).reply(503, 'busy');
    pool.intercept({ path: '/graphql', method: 'POST' }).reply(200, { data: { ok: true } });
    const response = await fetcher(`${ORIGIN}/graphql`, post('query { ok }'));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { ok: true } });
  });

  it('never retries a mutation', async () => {
    const { agent, pool, fetcher } = setup();
    pool.intercept({ path: '/graphql', method: 'POST' }).reply(503, 'busy');
    pool.intercept({ path: '/graphql', method: 'POST' }).reply(200, { data: { ok: true } });
    await expect(fetcher(`${ORIGIN}/graphql`, post('mutation { buy }'))).rejects.toMatchObject({
      dependency: 'reviews',
      reason: 'UPSTREAM_ERROR',
    });
    // The second reply was never asked for.
    expect(agent.pendingInterceptors()).toHaveLength(1);
  });

  it('tells a mutation by its operation, wherever the body puts it', async () => {
    const { agent, pool, fetcher } = setup();
    // A query whose variables merely contain the words is a query: retried after a 5xx.
    const query = JSON.stringify({ query: 'query($v: In) { ok(v: $v) }', variables: { v: { query: 'mutation x' } } });
    pool.intercept({ path: '/graphql', method: 'POST' }).reply(503, 'busy');
    pool.intercept({ path: '/graphql', method: 'POST' }).reply(200, { data: { ok: true } });
    expect((await fetcher(`${ORIGIN}/graphql`, { method: 'POST', body: query })).status).toBe(200);
    // A mutation, in a body that does not start with it, or after white space: never sent twice.
    for (const body of ['{"operationName":"B","query":"mutation B { buy }"}', '{"query":"  mutation { buy }"}']) {
      pool.intercept({ path: '/graphql', method: 'POST' }).reply(503, 'busy');
      pool.intercept({ path: '/graphql', method: 'POST' }).reply(200, { data: { ok: true } });
      await expect(fetcher(`${ORIGIN}/graphql`, { method: 'POST', body })).rejects.toMatchObject({
        reason: 'UPSTREAM_ERROR',
      });
      expect(agent.pendingInterceptors()).toHaveLength(1);
      pool.intercept({ path: '/graphql', method: 'POST' }).reply(200, {});
      await fetcher(`${ORIGIN}/graphql`, post('query { drain }'));
      await fetcher(`${ORIGIN}/graphql`, post('query { drain }'));
    }
  });

  it("reads the answer's headers case-insensitively, joined as fetch joins them", async () => {
    const { pool, fetcher } = setup();
    pool
      .intercept({ path: '/graphql', method: 'POST' })
      .reply(
        200,
        { data: {} },
        { headers: { 'Cache-Control': 'max-age=5', 'x-many': ['a', 'b'], 'set-cookie': ['a=1', 'b=2'] } },
      );
    const response = await fetcher(`${ORIGIN}/graphql`, post('query { ok }'));
    expect(response.headers.get('cache-control')).toBe('max-age=5');
    expect(response.headers.get('CACHE-CONTROL')).toBe('max-age=5');
    expect(response.headers.get('x-many')).toBe('a, b');
    expect(response.headers.get('x-absent')).toBeNull();
    expect(response.headers.has('x-absent')).toBe(false);
    // Set-Cookie values stay apart, as undici's Headers gives them.
    expect((response.headers as unknown as { getSetCookie(): string[] }).getSetCookie()).toEqual(['a=1', 'b=2']);
    response.headers.append('x-many', 'c');
    response.headers.delete('cache-control');
    expect(response.headers.get('x-many')).toBe('a, b, c');
    expect(response.headers.has('cache-control')).toBe(false);
    expect([...response.headers].find(([name]) => name === 'x-many')).toEqual(['x-many', 'a, b, c']);
  });

  it('applies an injected fault without sending anything, and strips the internal header', async () => {
    const { pool, fetcher } = setup();
    await expect(
      fetcher(`${ORIGIN}/graphql`, { ...post('query { ok }'), headers: { [CHAOS_DIRECTIVE_HEADER]: 'down' } }),
    ).rejects.toMatchObject({ reason: 'UPSTREAM_ERROR' });
    let seen: Record<string, string> = {};
    pool.intercept({ path: '/graphql', method: 'POST' }).reply(200, (options) => {
      seen = options.headers as Record<string, string>;
      return { data: {} };
    });
    await fetcher(`${ORIGIN}/graphql`, { ...post('query { ok }'), headers: { [CHAOS_DIRECTIVE_HEADER]: 'slow:1' } });
    expect(Object.keys(seen).map((k) => k.toLowerCase())).not.toContain(CHAOS_DIRECTIVE_HEADER);
  });

  describe('in-flight deduplication', () => {
    /** Replies after `gate` opens, counting the requests that reached the subgraph. */
    function gated() {
      const { pool, fetcher, agent } = setup();
      let open!: () => void;
      const gate = new Promise<void>((resolve) => (open = resolve));
      const seen: Array<Record<string, string>> = [];
      pool
        .intercept({ path: '/graphql', method: 'POST' })
        .reply(200, async (options) => {
          seen.push(options.headers as Record<string, string>);
          await gate;
          return { data: { n: seen.length } };
        })
        .persist();
      return { fetcher, agent, open, seen };
    }
    const withHeaders = (query: string, headers: Record<string, string>) => ({
      ...post(query),
      headers: { 'content-type': 'application/json', ...headers },
    });

    it('sends identical concurrent queries once; each caller parses its own copy', async () => {
      const { fetcher, open, seen } = gated();
      const calls = [1, 2, 3].map((i) =>
        fetcher(
          `${ORIGIN}/graphql`,
          withHeaders('query { n }', { 'x-edgeway-credential': 'anon', 'x-request-id': `r${i}` }),
        ),
      );
      open();
      const answers = await Promise.all(calls.map(async (c) => (await c).json()));
      expect(seen).toHaveLength(1);
      expect(answers).toEqual([{ data: { n: 1 } }, { data: { n: 1 } }, { data: { n: 1 } }]);
      expect(answers[0]).not.toBe(answers[1]);
    });

    it('never shares an answer between two callers (different credentials)', async () => {
      const { fetcher, open, seen } = gated();
      const a = fetcher(`${ORIGIN}/graphql`, withHeaders('query { n }', { 'x-edgeway-credential': 'user-1' }));
      const b = fetcher(`${ORIGIN}/graphql`, withHeaders('query { n }', { 'x-edgeway-credential': 'user-2' }));
      open();
      await Promise.all([a, b]);
      expect(seen.map((h) => h['x-edgeway-credential'])).toEqual(['user-1', 'user-2']);
    });

    it('never shares a mutation, and shares nothing once the answer is in (no caching)', async () => {
      const { fetcher, open, seen } = gated();
      open();
      await Promise.all([
        fetcher(`${ORIGIN}/graphql`, post('mutation { buy }')),
        fetcher(`${ORIGIN}/graphql`, post('mutation { buy }')),
      ]);
      expect(seen).toHaveLength(2);
      await fetcher(`${ORIGIN}/graphql`, post('query { n }'));
      await fetcher(`${ORIGIN}/graphql`, post('query { n }'));
      expect(seen).toHaveLength(4);
    });
  });
});
