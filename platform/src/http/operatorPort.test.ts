import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../log/logger.js';
import { DependencyRegistry } from '../resilience/registry.js';
import { installDependencyRoutes } from './dependencies.js';
import { createHttpServer } from './server.js';

async function build() {
  const server = createHttpServer({
    logger: createLogger({ service: 'ops-test', level: 'silent' }),
    errorShape: 'graphql',
  });
  installDependencyRoutes(server.app, new DependencyRegistry());
  server.app.post('/graphql', { config: { graphql: true } }, async () => ({ data: { ok: true } }));
  return server;
}

const get = async (base: string, path: string) => {
  const response = await fetch(`${base}${path}`);
  return { status: response.status, text: await response.text() };
};

describe('the operator port (METRICS_PORT)', () => {
  it('without one, /metrics and /health/dependencies are on the public port', async () => {
    const server = await build();
    expect((await server.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(200);
    expect((await server.app.inject({ method: 'GET', url: '/health/dependencies' })).statusCode).toBe(200);
    await server.app.close();
  });

  it('with one, they answer only there; it serves nothing else but the probes', async () => {
    const server = await build();
    const internal = await server.operatorPort.listen(0, '127.0.0.1');
    await server.app.listen({ port: 0, host: '127.0.0.1' });
    const external = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
    try {
      for (const path of ['/metrics', '/health/dependencies', '/%6detrics']) {
        const refused = await get(external, path);
        expect(refused.status, path).toBe(404);
        expect(JSON.parse(refused.text).errors[0].extensions.code).toBe('NOT_FOUND');
      }
      const metrics = await get(internal, '/metrics');
      expect(metrics.status).toBe(200);
      expect(metrics.text).toContain('edgeway_requests_total');
      expect((await get(internal, '/health/dependencies')).status).toBe(200);
      for (const probe of ['/healthz', '/readyz']) {
        expect((await get(internal, probe)).status).toBe(200);
        expect((await get(external, probe)).status).toBe(200);
      }
      const graphql = await fetch(`${internal}/graphql`, {
        method: 'POST',
        body: '{}',
        headers: { 'content-type': 'application/json' },
      });
      expect(graphql.status).toBe(404);
      const publicGraphql = await fetch(`${external}/graphql`, {
        method: 'POST',
        body: '{}',
        headers: { 'content-type': 'application/json' },
      });
      expect(publicGraphql.status).toBe(200);
    } finally {
      await server.app.close();
      await server.operatorPort.close();
    }
  });
});
