import { once } from 'node:events';
import { Agent, request } from 'node:http';
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
    const http = createHttpServer({
      logger: createLogger({ service: 'admission-test', level: 'silent' }),
      errorShape: 'graphql',
    });
    const { app } = http;
    const admission = installAdmission(
      app,
      { limit: 1, retryAfterSec: 7, ...options },
      (req) => req.routeOptions.url === '/graphql',
    );
    const release: Array<() => void> = [];
    let started = 0;
    const seen: string[] = [];
    app.post('/graphql', async (req) => {
      started += 1;
      seen.push((req.body as { query: string }).query);
      await new Promise<void>((resolve) => release.push(resolve));
      return { data: { ok: true } };
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    closers.push(() => app.close());
    const port = (app.server.address() as AddressInfo).port;
    return { app, http, admission: admission as Admission, port, release, started: () => started, seen };
  }

  /** One keep-alive connection: every request through it goes over the same socket. */
  function connection() {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    closers.push(() => agent.destroy());
    return agent;
  }

  function post(port: number, agent?: Agent, query = '{ok}') {
    const req = request({
      port,
      host: '127.0.0.1',
      method: 'POST',
      path: '/graphql',
      headers: { 'content-type': 'application/json' },
      ...(agent ? { agent } : {}),
    });
    req.end(JSON.stringify({ query }));
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

  it('while every turn is taken, a connection just answered is not read again until a turn is free, in the order held', async () => {
    const server = await serve({ limit: 1 });
    const [a, b] = [connection(), connection()];
    const a1 = post(server.port, a, 'a1');
    await until(() => server.started() === 1);
    const b1 = post(server.port, b, 'b1');
    await until(() => server.admission.queued === 1);

    // a1 answered: b1 takes the turn, and a's connection is held.
    server.release.shift()?.();
    expect((await a1.answer).status).toBe(200);
    await until(() => server.started() === 2);
    expect(server.admission.held).toBe(1);
    const a2 = post(server.port, a, 'a2');
    await new Promise((resolve) => setTimeout(resolve, 50));
    // a2 waits unread: not queued, not started.
    expect([server.started(), server.admission.queued, server.admission.held]).toEqual([2, 0, 1]);
    expect(await registry.metrics()).toMatch(/edgeway_concurrency_held_connections\{[^}]*\} 1/);

    // b1 answered: a is read (a2 runs) and b is held in its place.
    server.release.shift()?.();
    expect((await b1.answer).status).toBe(200);
    await until(() => server.started() === 3);
    const b2 = post(server.port, b, 'b2');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect([server.started(), server.admission.held]).toEqual([3, 1]);
    server.release.shift()?.();
    expect((await a2.answer).status).toBe(200);
    await until(() => server.started() === 4);
    server.release.shift()?.();
    expect(await b2.answer).toMatchObject({ status: 200, body: '{"data":{"ok":true}}' });
    expect(server.seen).toEqual(['a1', 'b1', 'a2', 'b2']);
    // Nothing waits: nothing is held.
    await until(() => server.admission.held === 0);
    expect(server.admission.running).toBe(0);
  });

  it('reads a connection held longer than holdMaxMs, and queues its request like any other', async () => {
    const server = await serve({ limit: 1, holdMaxMs: 40, intervalMs: 10 });
    const [a, b] = [connection(), connection()];
    const a1 = post(server.port, a, 'a1');
    await until(() => server.started() === 1);
    const b1 = post(server.port, b, 'b1');
    await until(() => server.admission.queued === 1);
    server.release.shift()?.();
    await a1.answer;
    await until(() => server.admission.held === 1);
    const a2 = post(server.port, a, 'a2');
    // b1 still runs: once read, a2 waits in the queue.
    await until(() => server.admission.held === 0 && server.admission.queued === 1);
    server.release.shift()?.();
    expect((await b1.answer).status).toBe(200);
    await until(() => server.started() === 3);
    server.release.shift()?.();
    expect((await a2.answer).status).toBe(200);
  });

  /** a1 runs, b1 waits in the queue, a is held once a1 is answered, and a2 is sent on it (unread). */
  async function heldWithRequest(server: Awaited<ReturnType<typeof serve>>) {
    const [a, b] = [connection(), connection()];
    const a1 = post(server.port, a, 'a1');
    await until(() => server.started() === 1);
    const b1 = post(server.port, b, 'b1');
    await until(() => server.admission.queued === 1);
    server.release.shift()?.();
    await a1.answer;
    await until(() => server.admission.held === 1);
    const a2 = post(server.port, a, 'a2');
    await new Promise((resolve) => setTimeout(resolve, 30));
    return { b1, a2 };
  }

  it('when the server drains, a held connection is read and its request served', async () => {
    const server = await serve({ limit: 1 });
    const { b1, a2 } = await heldWithRequest(server);
    await server.http.startDraining();
    expect([server.admission.held, server.admission.queued]).toEqual([0, 1]);
    server.release.shift()?.();
    expect((await b1.answer).status).toBe(200);
    await until(() => server.started() === 3);
    server.release.shift()?.();
    expect(await a2.answer).toMatchObject({ status: 200, body: '{"data":{"ok":true}}' });
  });

  it('auto: a held connection counts as waiting, and a raised limit reads it', async () => {
    const server = await serve({ limit: 'auto', minLimit: 1, utilization: () => 0.2, intervalMs: 3_600_000 });
    const { b1, a2 } = await heldWithRequest(server);
    expect([server.admission.limit, server.admission.queued, server.admission.held]).toEqual([1, 0, 1]);
    server.admission.tick(); // the CPU has room and a connection waits: one more turn
    expect(server.admission.limit).toBe(2);
    await until(() => server.started() === 3);
    expect(server.admission.held).toBe(0);
    for (const release of server.release.splice(0)) release();
    expect((await b1.answer).status).toBe(200);
    expect((await a2.answer).status).toBe(200);
  });

  it('closed without draining, a held connection is read and its request refused 503, not dropped', async () => {
    const server = await serve({ limit: 1 });
    const { b1, a2 } = await heldWithRequest(server);
    const closed = server.app.close();
    expect((await a2.answer).status).toBe(503);
    server.release.shift()?.();
    expect((await b1.answer).status).toBe(200);
    await closed;
    expect(server.started()).toBe(2);
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
