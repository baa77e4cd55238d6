import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UpstreamError } from './errors.js';
import { createUpstream } from './upstream.js';

// Answers `/size/<bytes>` with a JSON string of that many bytes, with or without Content-Length.
const server = createServer((req, res) => {
  const [, kind, size] = req.url?.split('/') ?? [];
  const body = JSON.stringify({ text: 'x'.repeat(Number(size)) });
  res.writeHead(200, {
    'content-type': 'application/json',
    ...(kind === 'sized' ? { 'content-length': body.length } : {}),
  });
  if (kind === 'sized') return void res.end(body);
  // Chunked: the size is only known by reading.
  for (let at = 0; at < body.length; at += 16_384) res.write(body.slice(at, at + 16_384));
  res.end();
});
let baseUrl = '';
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

describe('an upstream answer has a size limit', () => {
  it.each(['sized', 'chunked'])(
    'fails a %s answer over the cap with UPSTREAM_ERROR, and reads one under it',
    async (kind) => {
      const upstream = createUpstream({ name: 'pricing', baseUrl, maxResponseBytes: 100_000, retries: 0 });
      try {
        const small = await upstream.json<{ text: string }>({ path: `/${kind}/1000` });
        expect(small.body.text).toHaveLength(1000);
        const error = await upstream.json({ path: `/${kind}/5000000` }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(UpstreamError);
        expect(error).toMatchObject({ dependency: 'pricing', reason: 'UPSTREAM_ERROR' });
        expect((error as Error).message).toContain('more than 100000 bytes');
        // The pool is still good for the next call.
        expect((await upstream.json<{ text: string }>({ path: `/${kind}/10` })).body.text).toHaveLength(10);
      } finally {
        await upstream.close();
      }
    },
  );
});
