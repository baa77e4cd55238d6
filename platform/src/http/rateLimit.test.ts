import { describe, expect, it } from 'vitest';
import { createLogger } from '../log/logger.js';
import { rateLimitRejections, registry } from '../metrics/index.js';
import { installRateLimit, type RateLimitOptions } from './rateLimit.js';
import { createHttpServer } from './server.js';

/** A server whose "authentication" reads the caller from test headers, then the limiter. */
function serverWith(options: Partial<RateLimitOptions> = {}) {
  const { app } = createHttpServer({ logger: createLogger({ service: 't', level: 'silent' }), errorShape: 'graphql' });
  app.addHook('onRequest', async (req) => {
    const user = req.headers['x-test-user'];
    const key = req.headers['x-test-key'];
    if (typeof user === 'string') req.principal = { sub: user, scopes: [], token: 't' };
    if (typeof key === 'string') req.apiClient = { name: key, max: key === 'big' ? 5 : undefined };
  });
  installRateLimit(app, {
    service: `t-${Math.random()}`,
    max: 3,
    windowSec: 60,
    anonymousMax: 2,
    logger: createLogger({ service: 't', level: 'silent' }),
    ...options,
  });
  app.post('/graphql', { config: { graphql: true } }, async () => ({ data: { ok: true } }));
  const post = (headers: Record<string, string> = {}) =>
    app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json', ...headers },
      payload: '{}',
    });
  return { app, post };
}

const rejected = async (kind: string) =>
  (await rateLimitRejections.get()).values.find((v) => v.labels.client_kind === kind)?.value ?? 0;

describe('installRateLimit', () => {
  it('puts RateLimit headers on every answer and refuses the request over budget with 429 and Retry-After', async () => {
    const { app, post } = serverWith();
    const before = await rejected('user');
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await post({ 'x-test-user': 'ada' }));
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200, 429]);
    expect(answers.map((a) => a.headers['ratelimit-remaining'])).toEqual(['2', '1', '0', '0']);
    for (const answer of answers) {
      expect(answer.headers['ratelimit-limit']).toBe('3');
      expect(Number(answer.headers['ratelimit-reset'])).toBeGreaterThan(0);
      expect(Number(answer.headers['ratelimit-reset'])).toBeLessThanOrEqual(60);
    }
    const over = answers[3]!;
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
    expect(over.json()).toEqual({
      errors: [
        {
          message: expect.stringMatching(/Too many requests/),
          extensions: { code: 'RATE_LIMITED', retryAfter: expect.any(Number) },
        },
      ],
    });
    expect(await rejected('user')).toBe(before + 1);
    await app.close();
  });

  it('counts each client on its own: users by sub, API keys by name with their budget, the anonymous by IP with less', async () => {
    const { app, post } = serverWith();
    const statuses = async (headers: Record<string, string>, n: number) => {
      const out = [];
      for (let i = 0; i < n; i++) out.push((await post(headers)).statusCode);
      return out;
    };
    expect(await statuses({ 'x-test-user': 'ada' }, 4)).toEqual([200, 200, 200, 429]);
    expect(await statuses({ 'x-test-user': 'alan' }, 1)).toEqual([200]);
    expect(await statuses({}, 3)).toEqual([200, 200, 429]);
    expect(await statuses({ 'x-test-key': 'small' }, 4)).toEqual([200, 200, 200, 429]);
    expect(await statuses({ 'x-test-key': 'big' }, 6)).toEqual([200, 200, 200, 200, 200, 429]);
    // A token counts as the user even when an API key comes with it.
    expect(await statuses({ 'x-test-user': 'grace', 'x-test-key': 'small' }, 1)).toEqual([200]);
    await app.close();
  });

  it('never limits probes, metrics or CORS preflights', async () => {
    const { app, post } = serverWith({ anonymousMax: 1 });
    await post();
    expect((await post()).statusCode).toBe(429);
    for (const url of ['/healthz', '/readyz', '/metrics']) {
      const answer = await app.inject({ method: 'GET', url });
      expect(answer.statusCode).toBe(200);
      expect(answer.headers['ratelimit-limit']).toBeUndefined();
    }
    const preflight = await app.inject({ method: 'OPTIONS', url: '/graphql' });
    expect(preflight.statusCode).not.toBe(429);
    await app.close();
  });

  it('counts locally, without failing a request, when Redis cannot be reached, and says so in metrics', async () => {
    const fallbacks = async () =>
      (await registry.getSingleMetric('edgeway_rate_limit_fallback_total')?.get())?.values[0]?.value ?? 0;
    const before = await fallbacks();
    // Nothing listens on port 1: every Redis call fails at once, and the local counters decide.
    const { app, post } = serverWith({ redisUrl: 'redis://127.0.0.1:1', redisTimeoutMs: 100 });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await post({ 'x-test-user': 'ada' })).statusCode);
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(await fallbacks()).toBe(before + 4);
    await app.close();
  });
});
