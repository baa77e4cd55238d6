import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../log/logger.js';
import { createHttpServer } from './server.js';

// A drain (SIGTERM: startDraining, then close) stops new connections and closes idle ones. A
// connection that is busy at that moment may still carry one more request: its client sent it
// while the previous answer, started before the drain, was still arriving. That request is served
// and its answer closes the connection, like every answer during the drain: it is never refused
// with a body outside the error catalog.

describe('a request that arrives on a busy connection during the drain', () => {
  it('is served, and its answer closes the connection', async () => {
    const server = createHttpServer({
      logger: createLogger({ service: 'drain-test', level: 'silent' }),
      errorShape: 'graphql',
    });
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    // An answer whose headers (keep-alive) leave before the drain and whose body ends after it.
    server.app.get('/slow', (_req, reply) => {
      reply.hijack();
      reply.raw.writeHead(200, { 'content-type': 'text/plain', 'content-length': '10' });
      reply.raw.write('12345');
      void released.then(() => reply.raw.end('67890'));
    });
    server.app.get('/next', async () => ({ served: true }));
    await server.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = server.app.server.address() as AddressInfo;

    const socket = connect(port, '127.0.0.1');
    let received = '';
    const ended = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    const arrived = (text: string) =>
      new Promise<void>((resolve) => {
        const check = () => {
          if (!received.includes(text)) return;
          socket.off('data', check);
          resolve();
        };
        socket.on('data', check);
        check();
      });
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.write('GET /slow HTTP/1.1\r\nHost: edgeway.test\r\n\r\n');
    await arrived('12345');

    server.startDraining();
    const closed = server.app.close();
    // The next request, pipelined on the busy connection once the drain has begun.
    const dispatched = new Promise<void>((resolve) => server.app.server.once('request', () => resolve()));
    socket.write('GET /next HTTP/1.1\r\nHost: edgeway.test\r\n\r\n');
    await dispatched;
    release();
    await ended;
    await closed;

    const [first, second] = received.split(/(?=HTTP\/1\.1 )/);
    expect(first).toMatch(/^HTTP\/1\.1 200 /);
    expect(first).toMatch(/\r\n\r\n1234567890$/);
    expect(second).toMatch(/^HTTP\/1\.1 200 /);
    expect(second).toMatch(/\r\nconnection: close\r\n/i);
    expect(second?.split('\r\n\r\n')[1]).toBe('{"served":true}');
  });
});
