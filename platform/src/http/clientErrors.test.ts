import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../errors/catalog.js';
import { createLogger } from '../log/logger.js';
import { rawRequest } from '../testing/rawHttp.js';
import { createHttpServer, type HttpServerOptions } from './server.js';

// What Node's HTTP parser refuses before fastify sees a request, and Expect: 100-continue: over
// plain sockets on port 0, since `inject` never goes through the parser.

const logger = createLogger({ service: 'client-errors-test', level: 'silent' });
const closers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function listen(options: Partial<HttpServerOptions> = {}) {
  const server = createHttpServer({ logger, errorShape: 'graphql', ...options });
  server.app.addHook('onRequest', async (req) => {
    if (req.headers.authorization === 'Bearer bad') throw new AppError('UNAUTHENTICATED', 'bad token');
  });
  server.app.post('/graphql', async (req) => ({ data: { echo: req.body } }));
  await server.app.listen({ port: 0, host: '127.0.0.1' });
  closers.push(() => server.app.close());
  return (server.app.server.address() as AddressInfo).port;
}

const head = (lines: string[]) => `${lines.join('\r\n')}\r\n\r\n`;
const graphqlCode = (body: string) =>
  (JSON.parse(body) as { errors: Array<{ extensions: { code: string } }> }).errors[0]?.extensions.code;

describe('answers the HTTP parser refuses with the catalog', () => {
  it('headers too large (a 100 KB token): 431 REQUEST_HEADER_FIELDS_TOO_LARGE with a request id', async () => {
    const port = await listen();
    const answer = await rawRequest(
      port,
      head(['POST /graphql HTTP/1.1', 'host: t', `authorization: Bearer ${'x'.repeat(100_000)}`, 'content-length: 2']),
    );
    expect(answer.status).toBe(431);
    expect(answer.headers['content-type']).toMatch(/application\/json/);
    expect(answer.headers['x-request-id']).toMatch(/^[\w-]{8,}$/);
    expect(graphqlCode(answer.body)).toBe('REQUEST_HEADER_FIELDS_TOO_LARGE');
  });

  it.each([
    ['a request line that is not HTTP', 'GARBAGE\r\n\r\n'],
    ['two content lengths', head(['POST /graphql HTTP/1.1', 'host: t', 'content-length: 2', 'content-length: 5'])],
    [
      'a bad chunk size',
      `${head(['POST /graphql HTTP/1.1', 'host: t', 'transfer-encoding: chunked'])}zz\r\n{}\r\n0\r\n\r\n`,
    ],
    ['a space in the target', head(['GET /gra phql HTTP/1.1', 'host: t'])],
  ])('%s: 400 BAD_USER_INPUT', async (_name, bytes) => {
    const port = await listen();
    const answer = await rawRequest(port, bytes);
    expect(answer.status, answer.raw).toBe(400);
    expect(graphqlCode(answer.body)).toBe('BAD_USER_INPUT');
    expect(answer.headers['x-request-id']).toBeTruthy();
  });

  it('REST services answer the same refusals as {code, message}', async () => {
    const port = await listen({ errorShape: 'rest' });
    const answer = await rawRequest(port, head(['GET /x HTTP/1.1', 'host: t', `cookie: ${'c'.repeat(70_000)}`]));
    expect(answer.status).toBe(431);
    expect(JSON.parse(answer.body)).toEqual({
      code: 'REQUEST_HEADER_FIELDS_TOO_LARGE',
      message: expect.any(String),
    });
  });

  it('a body trickled in is cut off with 408 REQUEST_TIMEOUT, carrying the request id', async () => {
    const port = await listen({ requestTimeoutMs: 1000 });
    const body = '{"query":"{ __typename }"}';
    const answer = await rawRequest(
      port,
      head([
        'POST /graphql HTTP/1.1',
        'host: t',
        'content-type: application/json',
        `content-length: ${body.length}`,
        'x-request-id: slow-1',
      ]),
      { trickle: { pieces: body.split(''), everyMs: 300 } },
    );
    expect(answer.status, answer.raw).toBe(408);
    expect(graphqlCode(answer.body)).toBe('REQUEST_TIMEOUT');
    expect(answer.headers['x-request-id']).toBe('slow-1');
  });

  it('headers trickled in are cut off with 408 too', async () => {
    const port = await listen({ requestTimeoutMs: 5000, headersTimeoutMs: 1000 });
    const answer = await rawRequest(port, 'POST /graphql HTTP/1.1\r\n', {
      trickle: { pieces: Array.from({ length: 20 }, (_, i) => `x-h${i}: v\r\n`), everyMs: 300 },
    });
    expect(answer.status, answer.raw).toBe(408);
    expect(graphqlCode(answer.body)).toBe('REQUEST_TIMEOUT');
  });
});

describe('Expect: 100-continue', () => {
  const expecting = (authorization?: string) =>
    head([
      'POST /graphql HTTP/1.1',
      'host: t',
      'content-type: application/json',
      'content-length: 2',
      'expect: 100-continue',
      ...(authorization ? [`authorization: ${authorization}`] : []),
      'connection: close',
    ]);

  it('is refused with the final answer, never a 100, when a guard refuses the request', async () => {
    const port = await listen();
    const answer = await rawRequest(port, expecting('Bearer bad'), { timeoutMs: 5000 });
    expect(answer.raw).not.toMatch(/^HTTP\/1\.1 100/);
    expect(answer.status).toBe(401);
    expect(graphqlCode(answer.body)).toBe('UNAUTHENTICATED');
  });

  it('gets 100 once the guards passed, then the answer to the body', async () => {
    const port = await listen();
    const answer = await rawRequest(port, expecting(), { afterContinue: '{}' });
    expect(answer.raw).toMatch(/^HTTP\/1\.1 100 Continue/);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ data: { echo: {} } });
  });
});
