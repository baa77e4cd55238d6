import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../log/logger.js';
import { createHttpServer } from './server.js';
import { installLoadShedding } from './shed.js';

const servers: Array<{ close(): Promise<unknown> }> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(maxEventLoopDelayMs: number) {
  const { app } = createHttpServer({
    logger: createLogger({ service: 'shed-test', level: 'silent' }),
    errorShape: 'graphql',
  });
  await installLoadShedding(app, { maxEventLoopDelayMs, sampleIntervalMs: 100, retryAfterSec: 3 });
  let handled = 0;
  app.post('/graphql', async () => {
    handled += 1;
    return { data: { ok: true } };
  });
  await app.ready();
  servers.push(app);
  return { app, handled: () => handled };
}

/** Holds the event loop the way a heavy synchronous execution does. */
function stall(ms: number) {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // busy
  }
}
const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

describe('load shedding', () => {
  it('refuses new work with 503 OVERLOADED and Retry-After while the event loop lags, probes still answer', async () => {
    const { app, handled } = await start(20);
    stall(400);
    // The sampler was due during the stall: it runs first, then this.
    await tick();
    const shed = await app.inject({ method: 'POST', url: '/graphql', payload: {} });
    expect(shed.statusCode).toBe(503);
    expect(shed.headers['retry-after']).toBe('3');
    expect(shed.headers['x-request-id']).toEqual(expect.any(String));
    expect(shed.json()).toEqual({
      errors: [{ message: expect.any(String), extensions: { code: 'OVERLOADED' } }],
    });
    expect(handled()).toBe(0);
    for (const url of ['/healthz', '/readyz', '/metrics']) {
      expect((await app.inject({ method: 'GET', url })).statusCode, url).toBe(200);
    }
    // Odd spellings of the route are the route: shed too.
    expect((await app.inject({ method: 'POST', url: '/%67raphql', payload: {} })).statusCode).toBe(503);
  });

  it('serves again once the loop has caught up', async () => {
    const { app, handled } = await start(20);
    stall(400);
    await tick();
    expect((await app.inject({ method: 'POST', url: '/graphql', payload: {} })).statusCode).toBe(503);
    // Two quiet samples later the lag is gone (a generous wait: the machine may be busy).
    let status = 503;
    for (let i = 0; i < 40 && status === 503; i++) {
      await tick(100);
      status = (await app.inject({ method: 'POST', url: '/graphql', payload: {} })).statusCode;
    }
    expect(status).toBe(200);
    expect(handled()).toBe(1);
  });

  it('is off at 0', async () => {
    const { app } = await start(0);
    stall(300);
    await tick();
    expect((await app.inject({ method: 'POST', url: '/graphql', payload: {} })).statusCode).toBe(200);
  });
});
