import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tokenFor, url } from './support/client.js';
import { METRICS_TEST_CLIENT, scrape, valueOf } from './support/metrics.js';

const MOBILE_VERSION = (
  JSON.parse(readFileSync(new URL('../bff-mobile/package.json', import.meta.url), 'utf8')) as { version: string }
).version;

const HOME = `query Home { home(first: 3) { topProducts { upc price { amount } } recommended { upc } } }`;

async function post(body: object, headers: Record<string, string>) {
  const response = await fetch(`${url('bff-mobile')}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as { extensions?: { degraded?: unknown[] } } };
}

describe('metrics on /metrics after known traffic (shared system)', () => {
  it('count requests, latency and errors by operation and client, degraded answers, upstream calls and circuits', async () => {
    // A client name of its own (allowed by METRICS_CLIENT_NAMES in the system test setup): other
    // tests' traffic cannot move these series.
    const client = {
      'apollographql-client-name': METRICS_TEST_CLIENT,
      'apollographql-client-version': '3.2.1',
    };
    const token = await tokenFor('2');
    const headers = { ...client, authorization: `Bearer ${token}` };
    const [before, gatewayBefore] = await Promise.all([scrape(url('bff-mobile')), scrape(url('gateway'))]);

    for (let i = 0; i < 3; i++) expect((await post({ query: HOME }, headers)).status).toBe(200);
    const degraded = await post({ query: HOME }, { ...headers, 'x-chaos': 'recommendations=down' });
    expect(degraded.body.extensions?.degraded).toEqual([
      expect.objectContaining({ dependency: 'recommendations', reason: 'UPSTREAM_ERROR' }),
    ]);
    expect((await post({ query: 'query Broken { nope }', operationName: 'Broken' }, headers)).status).toBe(400);

    const [after, gatewayAfter] = await Promise.all([scrape(url('bff-mobile')), scrape(url('gateway'))]);
    // The BFF names itself to the gateway: its traffic is labelled there as bff-mobile's.
    const fromBff = {
      operation: 'MobileHome',
      client_name: 'bff-mobile',
      client_version: MOBILE_VERSION,
      status: '200',
    };
    expect(
      valueOf(gatewayAfter, 'edgeway_requests_total', fromBff) -
        valueOf(gatewayBefore, 'edgeway_requests_total', fromBff),
    ).toBeGreaterThanOrEqual(4);
    const delta = (name: string, labels: Record<string, string>) =>
      valueOf(after, name, labels) - valueOf(before, name, labels);
    const name = client['apollographql-client-name'];

    // The operation's name comes from the document when the client sends no operationName.
    expect(
      valueOf(after, 'edgeway_requests_total', {
        operation: 'Home',
        client_name: name,
        client_version: '3.2.1',
        status: '200',
      }),
    ).toBe(4);
    expect(valueOf(after, 'edgeway_request_duration_seconds_count', { operation: 'Home', client_name: name })).toBe(4);
    expect(
      valueOf(after, 'edgeway_request_duration_seconds_sum', { operation: 'Home', client_name: name }),
    ).toBeGreaterThan(0);
    // A document that does not validate names nothing the server knows: counted as "unknown".
    expect(delta('edgeway_requests_total', { operation: 'unknown', client_name: name, status: '400' })).toBe(1);
    expect(valueOf(after, 'edgeway_requests_total', { operation: 'Broken' })).toBe(0);
    expect(
      delta('edgeway_request_errors_total', { operation: 'unknown', code: 'GRAPHQL_VALIDATION_FAILED' }),
    ).toBeGreaterThanOrEqual(1);

    expect(
      delta('edgeway_degraded_total', { dependency: 'recommendations', reason: 'UPSTREAM_ERROR' }),
    ).toBeGreaterThanOrEqual(1);
    expect(delta('edgeway_degraded_responses_total', {})).toBeGreaterThanOrEqual(1);
    expect(
      delta('edgeway_upstream_duration_seconds_count', { dependency: 'pricing', outcome: 'ok' }),
    ).toBeGreaterThanOrEqual(4);
    expect(
      delta('edgeway_upstream_duration_seconds_count', { dependency: 'gateway', outcome: 'ok' }),
    ).toBeGreaterThanOrEqual(4);
    expect(valueOf(after, 'edgeway_circuit_state', { dependency: 'recommendations' })).toBe(0);

    // Process metrics, labelled with the service's name like every other series.
    expect(valueOf(after, 'process_cpu_seconds_total', { service: 'bff-mobile' })).toBeGreaterThan(0);
    expect(after.some((s) => s.name === 'nodejs_eventloop_lag_p99_seconds')).toBe(true);
  });

  it('label the gateway and subgraphs too: every service has its own request and upstream series', async () => {
    const gateway = await scrape(url('gateway'));
    expect(valueOf(gateway, 'edgeway_requests_total', { service: 'gateway' })).toBeGreaterThan(0);
    for (const subgraph of ['accounts', 'products', 'reviews', 'inventory', 'orders']) {
      expect(
        gateway.some((s) => s.name === 'edgeway_circuit_state' && s.labels.dependency === subgraph),
        subgraph,
      ).toBe(true);
    }
    // Every patch of Apollo internals installed on the versions it was written for, and serving.
    for (const patch of ['cached-operations', 'compiled-shaping', 'plan-executor', 'gateway-request-context']) {
      expect(valueOf(gateway, 'edgeway_gateway_patch_active', { patch }), patch).toBe(1);
    }
    for (const patch of ['compiled-shaping', 'plan-executor', 'gateway-request-context']) {
      expect(valueOf(gateway, 'edgeway_gateway_patch_used_total', { patch }), patch).toBeGreaterThan(0);
    }
    const products = await scrape(url('products'));
    expect(valueOf(products, 'edgeway_requests_total', { service: 'products', status: '200' })).toBeGreaterThan(0);
  });
});
