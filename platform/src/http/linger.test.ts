import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../log/logger.js';
import { createHttpServer } from './server.js';

// A body refused before it is read must still reach the client as a coded 413, not as a reset
// connection (the lingering close in linger.ts).

const server = createHttpServer({
  logger: createLogger({ service: 'linger-test', level: 'silent' }),
  errorShape: 'graphql',
  bodyLimit: 1024,
});
server.app.post('/echo', async (req) => req.body);
let base = '';

beforeAll(async () => {
  await server.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
});
afterAll(() => server.app.close());

type Outcome = { status: number; text: string } | { error: string };

function post(body: Buffer, headers: Record<string, string | number> = {}): Promise<Outcome> {
  return new Promise((resolve) => {
    const req = httpRequest(`${base}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': body.length, ...headers },
    });
    let answered = false;
    req.on('response', (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (!answered) resolve({ error: error.code ?? error.message });
    });
    // Written in pieces, as a slow client would, so the answer comes while it is still sending.
    const piece = 64 * 1024;
    let offset = 0;
    const writeMore = () => {
      while (offset < body.length) {
        const ok = req.write(body.subarray(offset, offset + piece));
        offset += piece;
        if (!ok) return void req.once('drain', writeMore);
      }
      req.end();
    };
    writeMore();
  });
}

describe('lingering close', () => {
  it('answers 413 PAYLOAD_TOO_LARGE to every oversized body, never a reset connection', async () => {
    const body = Buffer.alloc(2 * 1024 * 1024, 'x');
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => post(body)));
    for (const outcome of outcomes) {
      expect(outcome).toMatchObject({ status: 413 });
      if ('text' in outcome) expect(JSON.parse(outcome.text).errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
    }
  });

  it('serves the next request on the same server after draining', async () => {
    await post(Buffer.alloc(200_000, 'x'));
    const ok = await post(Buffer.from('{"a":1}'));
    expect(ok).toEqual({ status: 200, text: '{"a":1}' });
  });

  it('does not drain a body declared larger than the drain bound: the connection is cut', async () => {
    const outcome = await new Promise<Outcome>((resolve) => {
      const req = httpRequest(`${base}/echo`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': 1024 * 1024 * 1024 },
      });
      req.on('response', (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, text: String(res.headers.connection) });
        req.destroy();
      });
      req.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
      req.write(Buffer.alloc(1024, 'x'));
    });
    // Either the 413 with `Connection: close` arrived, or the connection was cut; never a hang.
    if ('status' in outcome) expect(outcome).toEqual({ status: 413, text: 'close' });
    else expect(outcome.error).toMatch(/ECONNRESET|EPIPE/);
  });
});
