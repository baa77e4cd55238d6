import { once } from 'node:events';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../errors/catalog.js';
import { createLogger } from '../log/logger.js';
import { registry } from '../metrics/index.js';
import { Admission, type AdmissionOptions, installAdmission } from './admission.js';
import { createHttpServer } from './server.js';

const closers: Array<() => unknown> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

function admission(options: Partial<AdmissionOptions> & Pick<AdmissionOptions, 'limit'>) {
  // A long interval: the tests call tick() themselves.
  const a = new Admission({ intervalMs: 3_600_000, ...options });
  closers.push(() => a.close());
  return a;
}

const settled = async (promise: Promise<unknown> | undefined) => {
  let state = 'pending';
  promise?.then(
    () => (state = 'admitted'),
    (error: unknown) => (state = error instanceof AppError ? error.code : 'failed'),
  );
  await new Promise((resolve) => setImmediate(resolve));
  return state;
};

describe('Admission', () => {
  it('runs up to the limit at once and admits the rest in arrival order as turns end', async () => {
    const a = admission({ limit: 2 });
    const first = a.enter();
    const second = a.enter();
    expect(first.ready).toBeUndefined();
    expect(second.ready).toBeUndefined();
    const third = a.enter();
    const fourth = a.enter();
    expect([a.running, a.queued]).toEqual([2, 2]);
    expect(await settled(third.ready)).toBe('pending');

    first.end();
    first.end(); // twice: one turn ended
    expect(await settled(third.ready)).toBe('admitted');
    expect(await settled(fourth.ready)).toBe('pending');
    expect([a.running, a.queued]).toEqual([2, 1]);
    second.end();
    expect(await settled(fourth.ready)).toBe('admitted');
    third.end();
    fourth.end();
    expect([a.running, a.queued]).toEqual([0, 0]);
  });

  it('a request that leaves the queue gives its place up, and never takes a turn', async () => {
    const a = admission({ limit: 1 });
    const running = a.enter();
    const gone = a.enter();
    const next = a.enter();
    gone.end();
    expect(await settled(gone.ready)).toBe('OVERLOADED');
    expect(a.queued).toBe(1);
    running.end();
    expect(await settled(next.ready)).toBe('admitted');
    expect(a.running).toBe(1);
  });

  it('refuses with OVERLOADED when the queue is full, and after waiting too long', async () => {
    const a = admission({ limit: 1, queueMax: 1, queueTimeoutMs: 0 });
    a.enter();
    const waiting = a.enter();
    expect(() => a.enter()).toThrow(expect.objectContaining({ code: 'OVERLOADED' }));
    await new Promise((resolve) => setTimeout(resolve, 5));
    a.tick();
    expect(await settled(waiting.ready)).toBe('OVERLOADED');
    expect(a.queued).toBe(0);
  });

  it('auto: starts at the floor, raises the limit while requests wait and the CPU has room, lowers it while the CPU is saturated', async () => {
    // Slow upstreams: operations wait on I/O, the event loop idles, requests queue.
    let busy = 0.2;
    const a = admission({ limit: 'auto', minLimit: 4, maxLimit: 40, utilization: () => busy });
    expect(a.limit).toBe(4);
    const tickets = Array.from({ length: 60 }, () => a.enter());
    expect(a.running).toBe(4);
    for (let i = 0; i < 50; i++) a.tick();
    expect(a.limit).toBe(40);
    expect(a.running).toBe(40);
    await Promise.all(tickets.slice(0, 40).map((t) => t.ready));

    // Saturated with every turn taken: back down to the floor, and no new turn starts meanwhile.
    busy = 1;
    for (let i = 0; i < 50; i++) a.tick();
    expect(a.limit).toBe(4);
    for (const t of tickets.slice(0, 10)) t.end();
    expect(a.running).toBe(30);

    // Room but nothing waiting: the limit stays where it is.
    for (const t of tickets) t.end();
    a.tick();
    const idle = a.limit;
    a.tick();
    expect(a.limit).toBe(idle);
  });
});

describe('installAdmission', () => {
  async function serve(options: Partial<AdmissionOptions>) {
    const { app } = createHttpServer({
      logger: createLogger({ service: 'admission-test', level: 'silent' }),
      errorShape: 'graphql',
    });
    installAdmission(app, { limit: 1, retryAfterSec: 7, ...options }, (req) => req.routeOptions.url === '/graphql');
    const release: Array<() => void> = [];
    let started = 0;
    app.post('/graphql', async () => {
      started += 1;
      await new Promise<void>((resolve) => release.push(resolve));
      return { data: { ok: true } };
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    closers.push(() => app.close());
    const port = (app.server.address() as AddressInfo).port;
    return { app, port, release, started: () => started };
  }

  function post(port: number) {
    const req = request({
      port,
      host: '127.0.0.1',
      method: 'POST',
      path: '/graphql',
      headers: { 'content-type': 'application/json' },
    });
    req.end('{"query":"{ok}"}');
    const answer = once(req, 'response').then(async ([res]) => {
      let body = '';
      for await (const chunk of res) body += chunk;
      return { status: res.statusCode as number, retryAfter: res.headers['retry-after'], body };
    });
    return { req, answer };
  }
  const until = async (check: () => boolean) => {
    while (!check()) await new Promise((resolve) => setTimeout(resolve, 5));
  };

  it('holds a request past the limit before its body is read, and runs it when a turn ends', async () => {
    const server = await serve({ limit: 1 });
    const first = post(server.port);
    await until(() => server.started() === 1);
    const second = post(server.port);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.started()).toBe(1);
    // Other routes are not held.
    const probe = await fetch(`http://127.0.0.1:${server.port}/healthz`);
    expect(probe.status).toBe(200);

    server.release.shift()?.();
    expect((await first.answer).status).toBe(200);
    await until(() => server.started() === 2);
    server.release.shift()?.();
    expect(await second.answer).toMatchObject({ status: 200, body: '{"data":{"ok":true}}' });
  });

  it('a client that hangs up while waiting frees its place; a full queue answers 503 OVERLOADED with Retry-After', async () => {
    const server = await serve({ limit: 1, queueMax: 1 });
    const first = post(server.port);
    await until(() => server.started() === 1);
    const quitter = post(server.port);
    quitter.req.on('error', () => undefined);
    quitter.answer.catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 30));
    const refused = await post(server.port).answer;
    expect(refused.status).toBe(503);
    expect(refused.retryAfter).toBe('7');
    expect(JSON.parse(refused.body).errors[0].extensions.code).toBe('OVERLOADED');
    expect(refused.body).not.toMatch(/stack|at \//);

    quitter.req.destroy();
    await new Promise((resolve) => setTimeout(resolve, 30));
    const third = post(server.port);
    server.release.shift()?.();
    await first.answer;
    await until(() => server.started() === 2);
    server.release.shift()?.();
    expect((await third.answer).status).toBe(200);
    const metrics = await registry.metrics();
    expect(metrics).toMatch(/edgeway_concurrency_rejections_total\{reason="queue_full"[^}]*\} [1-9]/);
    expect(metrics).toMatch(/edgeway_concurrency_limit\{[^}]*\} 1/);
  });

  it('off installs nothing', async () => {
    const { app } = createHttpServer({
      logger: createLogger({ service: 'admission-test', level: 'silent' }),
      errorShape: 'graphql',
    });
    closers.push(() => app.close());
    expect(installAdmission(app, { limit: 'off' }, () => true)).toBeUndefined();
  });
});
