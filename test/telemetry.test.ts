import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { tokenFor, url } from './support/client.js';
import {
  ancestry,
  named,
  newTraceparent,
  orphans,
  parentOf,
  type ReceivedSpan,
  sharedContentTypes,
  sharedLogLines,
  sharedSpansOfRequest,
  sharedTrace,
  wholeTrace,
} from './support/telemetry.js';

const HOME = `query Home {
  home(first: 5) {
    viewer { id name openOrderCount }
    topProducts { upc name price { amount source } inStock rating }
    recommended { upc name price { amount source } }
  }
}`;
const SUBGRAPHS = ['accounts', 'products', 'reviews', 'inventory', 'orders'];
const SERVICES = ['bff-mobile', 'gateway', ...SUBGRAPHS, 'pricing', 'recommendations'];
const CLIENT = { 'apollographql-client-name': 'edgeway-ios', 'apollographql-client-version': '7.1.0' };

interface Answer {
  status: number;
  body: {
    data?: unknown;
    errors?: Array<{ extensions?: { code?: string } }>;
    extensions?: { traceId?: string; degraded?: unknown[] };
  };
}

async function home(headers: Record<string, string>): Promise<Answer> {
  const response = await fetch(`${url('bff-mobile')}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...CLIENT, ...headers },
    body: JSON.stringify({ query: HOME, operationName: 'Home' }),
  });
  return { status: response.status, body: (await response.json()) as Answer['body'] };
}

describe('one signed-in mobile home request (shared system, OTLP protobuf + JSON)', () => {
  const client = newTraceparent();
  const requestId = `telemetry-${randomUUID()}`;
  let token: string;
  let answer: Answer;
  let spans: ReceivedSpan[];

  beforeAll(async () => {
    token = await tokenFor('1');
    answer = await home({ authorization: `Bearer ${token}`, traceparent: client.header, 'x-request-id': requestId });
    spans = await sharedTrace(client.traceId, wholeTrace(client, SERVICES));
  });

  it("answers in the client's trace: extensions.traceId is the traceparent's trace id", () => {
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.extensions?.degraded).toBeUndefined();
    expect(answer.body.extensions?.traceId).toBe(client.traceId);
  });

  it('is one trace: one root (the BFF server span, child of the client span), every parent present, every service in it', async () => {
    const [root, ...others] = orphans(spans);
    expect(others).toEqual([]);
    expect(root).toMatchObject({
      service: 'bff-mobile',
      kind: 2,
      name: 'POST /graphql',
      parentSpanId: client.parentId,
    });
    expect(root!.attributes).toMatchObject({ 'edgeway.request_id': requestId, 'graphql.operation.name': 'Home' });
    expect(spans.map((s) => s.service)).toEqual(expect.arrayContaining(SERVICES));
    // Every service that served this request id tagged its server span with it, all in this trace.
    const tagged = await sharedSpansOfRequest(requestId);
    expect(new Set(tagged.map((s) => s.traceId))).toEqual(new Set([client.traceId]));
    expect(tagged.map((s) => s.service)).toEqual(expect.arrayContaining(SERVICES));
  });

  it('the receiver decoded both encodings into this one trace (pricing exports JSON, the rest protobuf)', async () => {
    expect(await sharedContentTypes()).toEqual(expect.arrayContaining(['application/x-protobuf', 'application/json']));
    const pricingServer = spans.find((s) => s.service === 'pricing' && s.kind === 2)!;
    expect(parentOf(spans, pricingServer)).toMatchObject({ service: 'bff-mobile', kind: 3 });
  });

  it('makes ONE pricing call for the whole screen, from one DataLoader batch tagged with dependency and size', () => {
    const servers = spans.filter((s) => s.service === 'pricing' && s.kind === 2);
    expect(servers).toHaveLength(1);
    const calls = named(spans, 'bff-mobile', 'upstream pricing');
    expect(calls).toHaveLength(1);
    expect(calls[0]!.attributes).toMatchObject({
      'edgeway.dependency': 'pricing',
      'circuit.state': 'closed',
      'upstream.attempts': 1,
      'upstream.outcome': 'ok',
    });
    const batch = parentOf(spans, calls[0]!)!;
    expect(batch.name).toBe('dataloader.batch pricing.prices');
    expect(batch.attributes['edgeway.dependency']).toBe('pricing');
    expect(batch.attributes['dataloader.batch.size']).toBeGreaterThanOrEqual(5);
    expect(ancestry(spans, servers[0]!).map((s) => s.name)).toEqual(
      expect.arrayContaining(['upstream pricing', 'dataloader.batch pricing.prices', 'query Home', 'POST /graphql']),
    );
  });

  it('names the GraphQL operation and its type on the operation span, never the variables', () => {
    const [operation] = named(spans, 'bff-mobile', 'query Home');
    expect(operation?.attributes).toMatchObject({
      'graphql.operation.name': 'Home',
      'graphql.operation.type': 'query',
    });
    const keys = spans.flatMap((s) => Object.keys(s.attributes));
    expect(keys.filter((k) => k.startsWith('graphql.variables'))).toEqual([]);
  });

  it("holds the gateway's request, plan and fetch spans, and each subgraph's server span under its fetch", () => {
    const requests = named(spans, 'gateway', 'gateway.request');
    expect(requests.length).toBeGreaterThanOrEqual(1);
    for (const plan of named(spans, 'gateway', 'gateway.plan')) {
      expect(parentOf(spans, plan)?.name).toBe('gateway.request');
    }
    for (const subgraph of SUBGRAPHS) {
      const servers = spans.filter((s) => s.service === subgraph && s.kind === 2);
      expect(servers.length, subgraph).toBeGreaterThanOrEqual(1);
      for (const server of servers) {
        const chain = ancestry(spans, server);
        const fetch = chain.find((s) => s.name === 'gateway.fetch');
        expect(fetch?.attributes.service, `${subgraph} under its gateway.fetch`).toBe(subgraph);
        expect(chain.map((s) => s.name)).toContain(`upstream ${subgraph}`);
        expect(chain.some((s) => s.service === 'gateway' && s.kind === 3)).toBe(true);
      }
    }
  });

  it('writes one access line per service with request id, trace id, span id, operation, client, status, duration', async () => {
    const lines = (await sharedLogLines(requestId)).map((line) => {
      const at = line.indexOf(' | ');
      return { service: line.slice(0, at), entry: JSON.parse(line.slice(at + 3)) as Record<string, unknown> };
    });
    const access = lines.filter((l) => l.entry.msg === 'request');
    expect(access.filter((l) => l.service === 'bff-mobile')).toHaveLength(1);
    expect(access.find((l) => l.service === 'bff-mobile')?.entry).toMatchObject({
      requestId,
      trace_id: client.traceId,
      span_id: expect.stringMatching(/^[0-9a-f]{16}$/),
      operationName: 'Home',
      clientName: 'edgeway-ios',
      clientVersion: '7.1.0',
      status: 200,
      durationMs: expect.any(Number),
    });
    for (const service of SERVICES) {
      const entries = access.filter((l) => l.service === service).map((l) => l.entry);
      expect(entries.length, service).toBeGreaterThanOrEqual(1);
      for (const entry of entries) expect(entry.trace_id, service).toBe(client.traceId);
    }
  });

  it('never writes the bearer token to a log line or a span attribute', async () => {
    const signature = token.split('.')[2]!;
    expect(await sharedLogLines(signature)).toEqual([]);
    expect(JSON.stringify(spans)).not.toContain(signature);
  });
});

describe('tracing edge cases (shared system)', () => {
  it("keeps a rejected token out of logs and spans, and still names the trace in the 401's extensions", async () => {
    const client = newTraceparent();
    const secret = `not-a-jwt-${randomUUID()}`;
    const answer = await home({ authorization: `Bearer ${secret}`, traceparent: client.header });
    expect(answer.status).toBe(401);
    expect(answer.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(answer.body.extensions?.traceId).toBe(client.traceId);
    const spans = await sharedTrace(client.traceId, (s) => s.some((span) => span.kind === 2));
    expect(JSON.stringify(spans)).not.toContain(secret);
    expect(await sharedLogLines(secret)).toEqual([]);
  });

  it("follows the client's sampling decision: an unsampled traceparent records nothing, yet the answer names the trace", async () => {
    const unsampled = newTraceparent(false);
    const answer = await home({ traceparent: unsampled.header });
    expect(answer.body.extensions?.traceId).toBe(unsampled.traceId);
    // Exports go out in order: once a later sampled request's trace is whole, the first had its chance.
    // Signed in, so the gateway cannot answer it from its cache (orders are never kept) as it may
    // the anonymous one: the later trace reaches the subgraphs.
    const later = newTraceparent();
    await home({ authorization: `Bearer ${await tokenFor('1')}`, traceparent: later.header });
    await sharedTrace(later.traceId, wholeTrace(later, ['bff-mobile', 'gateway', 'products']));
    expect(await sharedTrace(unsampled.traceId, () => true)).toEqual([]);
  });
});
