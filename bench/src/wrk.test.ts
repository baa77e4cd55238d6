import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { available } from '../../test/support/prerequisites.js';
import { childrenCpu, runWrk } from './wrk.js';

const hasWrk = available({ command: 'wrk', aptPackage: 'wrk', what: "the worker benchmark's load generator (wrk)" });

const EXPECTED = JSON.stringify({ users: [{ id: '1', name: 'Ada "the first" Lovelace', bio: 'naïve → café' }] });

let server: Server | undefined;
afterEach(async () => {
  const open = server;
  server = undefined;
  if (open?.listening) await new Promise((resolve) => open.close(resolve));
});

/** A gateway stand-in: every request counted, answered by `answer(n)` for the n-th. */
async function serve(answer: (n: number) => { status: number; body: string }) {
  const seen = { requests: 0, wrongServed: 0, failedServed: 0, headers: [] as string[], bodies: new Set<string>() };
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      seen.requests += 1;
      seen.headers.push(String(req.headers['x-caller']));
      seen.bodies.add(Buffer.concat(chunks).toString('utf8'));
      const { status, body } = answer(seen.requests);
      res.writeHead(status, { 'content-type': 'application/json' }).end(body);
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server?.address() as AddressInfo).port}/graphql`, seen };
}

describe.skipIf(!hasWrk)('runWrk', () => {
  it('sends the request as given and counts every answer: right, wrong, not 200', async () => {
    const right = `{"data":${EXPECTED},"extensions":{"traceId":"0af7651916cd43dd8448eb211c80319c"}}\n`;
    const answers = [
      right,
      `{"data":${EXPECTED}}`,
      `{"data":${EXPECTED.replace('Ada', 'Bob')},"extensions":{"traceId":"0af7651916cd43dd8448eb211c80319c"}}`,
      `{"data":${EXPECTED},"errors":[{"message":"boom"}]}`,
      `{"data":${EXPECTED},"extensions":{"traceId":"not hex"}}`,
    ];
    const { url, seen } = await serve((n) => {
      if (n % 10 === 0) {
        seen.failedServed += 1;
        return { status: 503, body: '{"errors":[]}' };
      }
      const body = answers[n % answers.length]!;
      if (n % answers.length >= 2) seen.wrongServed += 1;
      return { status: 200, body };
    });
    const body = JSON.stringify({ query: '{ users { id name bio } }', variables: { note: 'café "quoted" \\ back' } });
    const slice = await runWrk({
      url,
      connections: 2,
      seconds: 1,
      body,
      headers: { 'x-caller': 'a "b" \\c' },
      expected: EXPECTED,
    });

    expect(seen.bodies).toEqual(new Set([body]));
    expect(new Set(seen.headers)).toEqual(new Set(['a "b" \\c']));
    expect(slice.requests).toBeGreaterThan(20);
    // wrk stops with at most one request in flight per connection: the server may have answered it unread.
    expect(slice.requests).toBeGreaterThanOrEqual(seen.requests - 2);
    expect(slice.requests).toBeLessThanOrEqual(seen.requests);
    expect(slice.mismatches).toBeGreaterThanOrEqual(seen.wrongServed - 2);
    expect(slice.mismatches).toBeLessThanOrEqual(seen.wrongServed);
    expect(slice.non2xx).toBeGreaterThanOrEqual(seen.failedServed - 2);
    expect(slice.non2xx).toBeLessThanOrEqual(seen.failedServed);
    expect(slice.errors).toBe(0);
    expect(slice.firstWrong).toMatch(/^\{"data":/);
    expect(slice.p99).toBeGreaterThanOrEqual(slice.p50);
    expect(slice.cpuSeconds).toBeGreaterThanOrEqual(0);
    expect(slice.seconds).toBeGreaterThan(0.9);
  });

  it('reports no wrong answer when every answer is right', async () => {
    const { url, seen } = await serve(() => ({ status: 200, body: `{"data":${EXPECTED}}\n` }));
    // A header beyond ASCII goes out as its UTF-8 bytes (Node reads header bytes as latin1).
    const slice = await runWrk({
      url,
      connections: 1,
      seconds: 1,
      body: '{}',
      headers: { 'x-caller': 'café' },
      expected: EXPECTED,
    });
    expect(new Set(seen.headers)).toEqual(new Set([Buffer.from('café', 'utf8').toString('latin1')]));
    expect(slice.requests).toBeGreaterThan(10);
    expect(slice.mismatches).toBe(0);
    expect(slice.firstWrong).toBeUndefined();
  });

  it('fails loudly when nothing listens', async () => {
    const { url } = await serve(() => ({ status: 200, body: '{}' }));
    await new Promise((resolve) => server?.close(resolve));
    await expect(
      runWrk({ url, connections: 1, seconds: 1, body: '{}', headers: {}, expected: EXPECTED }),
    ).rejects.toThrow(/wrk failed .*unable to connect/);
  });
});

describe('childrenCpu', () => {
  it("reads the children's user and system time from `times`", () => {
    expect(childrenCpu('Running 6s test\nEDGEWAY_WRK {}\n0m0.010s 0m0.000s\n0m0.280s 0m0.050s\n')).toBeCloseTo(0.33);
    expect(childrenCpu('1m2.500000s 0m0.500000s\n')).toBeCloseTo(63);
    expect(childrenCpu('no times here')).toBeNaN();
  });
});
