import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { capturedLogger } from '../testing/logs.js';
import { createHttpServer, type HttpServer } from '../http/server.js';

let server: HttpServer | undefined;
afterEach(async () => {
  await server?.app.close();
  server = undefined;
});

/** A service at `level`, on a real port, whose routes write what the request asks for. */
async function start(level: string) {
  const { logger, lines } = capturedLogger('log-test', level);
  server = createHttpServer({ logger, errorShape: 'rest' });
  // Counted from here: Fastify makes one child of its own as the server is built.
  const children = vi.spyOn(logger, 'child');
  const { app } = server;
  app.get('/quiet', async () => ({ ok: true }));
  app.get('/warns', async (req) => {
    req.log.warn({ headers: { authorization: 'Bearer secret-token' } }, 'careful');
    return { ok: true };
  });
  app.get('/nested', async (req) => {
    req.log.child({ step: 'lookup' }).warn('from a child');
    return { ok: true };
  });
  app.get('/louder', async (req) => {
    req.log.level = 'debug';
    req.log.debug('debug for this request only');
    return { level: req.log.level };
  });
  app.get('/route-level', { logLevel: 'debug' }, async (req) => {
    req.log.debug('debug by the route');
    return { ok: true };
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  const get = async (path: string, requestId: string) => {
    const response = await fetch(`http://127.0.0.1:${port}${path}`, { headers: { 'x-request-id': requestId } });
    return (await response.json()) as Record<string, unknown>;
  };
  return { get, lines, children, logger };
}

describe("a request's logger", () => {
  it('makes no child logger for a request that writes nothing at the service level', async () => {
    const { get, lines, children } = await start('warn');
    await get('/quiet', 'req-1');
    await get('/quiet', 'req-2');
    expect(children).not.toHaveBeenCalled();
    expect(lines).toEqual([]);
  });

  it('writes every line of a request with its request id, redacted as any line', async () => {
    const { get, lines } = await start('warn');
    await get('/warns', 'req-3');
    await get('/nested', 'req-4');
    expect(lines).toEqual([
      expect.objectContaining({ level: 'warn', requestId: 'req-3', msg: 'careful' }),
      expect.objectContaining({ level: 'warn', requestId: 'req-4', step: 'lookup', msg: 'from a child' }),
    ]);
    expect(JSON.stringify(lines)).not.toContain('secret-token');
  });

  it("writes the access-log line at info with the request's id", async () => {
    const { get, lines } = await start('info');
    await get('/quiet', 'req-5');
    expect(lines.filter((l) => l.msg === 'request')).toEqual([
      expect.objectContaining({ requestId: 'req-5', url: '/quiet', status: 200 }),
    ]);
  });

  it("changes one request's level, not the service's; a route's own level applies to its requests", async () => {
    const { get, lines, logger } = await start('warn');
    expect(await get('/louder', 'req-6')).toEqual({ level: 'debug' });
    expect(logger.level).toBe('warn');
    await get('/route-level', 'req-7');
    await get('/warns', 'req-8');
    expect(lines.map((l) => [l.requestId, l.msg])).toEqual([
      ['req-6', 'debug for this request only'],
      // Its access-log line too: the request's level applies to all its lines.
      ['req-6', 'request'],
      ['req-7', 'debug by the route'],
      ['req-7', 'request'],
      ['req-8', 'careful'],
    ]);
  });
});
