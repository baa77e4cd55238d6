import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { createCache } from '../cache/index.js';
import { installRateLimit } from '../http/rateLimit.js';
import { createLogger } from '../log/logger.js';
import { createDependencyPolicy } from '../resilience/policy.js';
import { registry } from './index.js';

/** The value of one series in the registry's text exposition, undefined when it is absent. */
async function sample(name: string, labels: Record<string, string>): Promise<number | undefined> {
  const text = await registry.metrics();
  const line = text
    .split('\n')
    .find((l) => l.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

// A counter series that appears with its first value gives rate() nothing to rise from: the first
// burst is invisible. These series exist at 0 as soon as what counts them is set up.
describe('labelled counters start at zero', () => {
  it('upstream failures, for every reason, once a dependency policy exists', async () => {
    createDependencyPolicy({ name: 'zero-test-dependency', timeoutMs: 100 });
    for (const reason of ['TIMEOUT', 'UPSTREAM_ERROR', 'CIRCUIT_OPEN']) {
      expect(await sample('edgeway_upstream_errors_total', { dependency: 'zero-test-dependency', reason })).toBe(0);
    }
    expect(await sample('edgeway_circuit_state', { dependency: 'zero-test-dependency' })).toBe(0);
  });

  it('429s, for every kind of client, once rate limiting is installed', async () => {
    const app = Fastify();
    installRateLimit(app, {
      service: 'zero-test',
      max: 10,
      anonymousMax: 5,
      windowSec: 60,
      logger: createLogger({ service: 'zero-test', level: 'silent' }),
    });
    for (const kind of ['user', 'api_key', 'ip']) {
      expect(await sample('edgeway_rate_limit_rejections_total', { client_kind: kind })).toBe(0);
    }
    await app.close();
  });

  it('cache hits and misses, once a cache exists', async () => {
    createCache({ namespace: 'zero-test-cache' });
    for (const result of ['hit', 'miss']) {
      expect(await sample('edgeway_cache_requests_total', { cache: 'zero-test-cache', result })).toBe(0);
    }
  });
});
