import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchSystem, type RunningSystem, type ServiceName } from '../scripts/system.js';
import { tokenFor, url } from './support/client.js';
import { type OtlpReceiver, startOtlpReceiver } from './support/otlp.js';
import { ancestry, named, newTraceparent, orphans, type ReceivedSpan, wholeTrace } from './support/telemetry.js';

// The trace of a failing dependency, from a bff-mobile and a recommendations of their own (so
// killing it harms no other test) over the shared gateway, pricing and identity. They export
// OTLP JSON: with test/telemetry.test.ts (protobuf), both encodings are covered.
const HOME = `query Home {
  home(first: 5) {
    viewer { id name openOrderCount }
    topProducts { upc name price { amount source } inStock rating }
    recommended { upc name price { amount source } }
  }
}`;

describe('a BFF exporting OTLP JSON, when recommendations dies', () => {
  let system: RunningSystem;
  let receiver: OtlpReceiver;
  let token: string;
  const own = (name: ServiceName) => system.services.find((s) => s.name === name)!;

  async function ownHome(client: ReturnType<typeof newTraceparent>) {
    const response = await fetch(`${own('bff-mobile').url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, traceparent: client.header },
      body: JSON.stringify({ query: HOME }),
    });
    return (await response.json()) as {
      extensions?: { traceId?: string; degraded?: Array<{ dependency: string; reason: string; fallback: string }> };
    };
  }

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    system = await launchSystem({
      ports: 'free',
      only: ['recommendations', 'bff-mobile'],
      env: {
        NODE_ENV: 'test',
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_BSP_SCHEDULE_DELAY: '100',
        GATEWAY_URL: `${url('gateway')}/graphql`,
        PRICING_URL: url('pricing'),
        JWKS_URL: `${url('identity')}/.well-known/jwks.json`,
        RATE_LIMIT_MAX: '100000',
      },
      // The shared gateway does not know this launch's BFF key; signed-in calls need none.
      serviceEnv: { 'bff-mobile': { GATEWAY_API_KEY: '' } },
    });
    token = await tokenFor('1');
  }, 120_000);

  afterAll(async () => {
    await system?.stop();
    await receiver?.close();
  });

  it('exports JSON spans that join the two services into one trace', async () => {
    const client = newTraceparent();
    const answer = await ownHome(client);
    expect(answer.extensions?.traceId).toBe(client.traceId);
    expect(answer.extensions?.degraded).toBeUndefined();
    const spans = await receiver.waitFor((all) => {
      const trace = all.filter((s) => s.traceId === client.traceId);
      return wholeTrace(client, ['bff-mobile', 'recommendations'])(trace) ? trace : undefined;
    });
    expect(receiver.contentTypes()).toEqual(new Set(['application/json']));
    const server = spans.find((s) => s.service === 'recommendations' && s.kind === 2)!;
    expect(ancestry(spans, server).map((s) => s.name)).toEqual([
      'GET /v1/users/:id/recommendations',
      'GET',
      'upstream recommendations',
      'dataloader.batch recommendations.forUser',
      'dataloader.load recommendations.forUser',
      'query Home',
      'POST /graphql',
    ]);
    expect(orphans(spans)[0]!.parentSpanId).toBe(client.parentId);
  });

  it('shows the circuit opening on the call that failed, then the open circuit on the call it refused', async () => {
    own('recommendations').child.kill('SIGKILL');
    const clients: Array<ReturnType<typeof newTraceparent>> = [];
    let refused: ReturnType<typeof newTraceparent> | undefined;
    for (let i = 0; i < 15 && !refused; i++) {
      const client = newTraceparent();
      clients.push(client);
      const answer = await ownHome(client);
      const reason = answer.extensions?.degraded?.find((d) => d.dependency === 'recommendations')?.reason;
      expect(reason, 'recommendations is degraded').toBeDefined();
      if (reason === 'CIRCUIT_OPEN') refused = client;
    }
    expect(refused, 'the circuit opened').toBeDefined();

    const calls = (spans: ReceivedSpan[]) => spans.filter((s) => s.name === 'upstream recommendations');
    // The span where it was decided: the call whose failure opened the circuit.
    const opened = await receiver.waitFor((all) =>
      calls(all).find((s) =>
        s.events.some((e) => e.name === 'circuit.state_change' && e.attributes['circuit.state'] === 'open'),
      ),
    );
    expect(clients.map((c) => c.traceId)).toContain(opened.traceId);
    expect(opened.attributes).toMatchObject({ 'upstream.outcome': 'UPSTREAM_ERROR', 'circuit.state': 'open' });
    expect(opened.status.code).toBe(2);

    const trace = await receiver.waitFor((all) => {
      const spans = all.filter((s) => s.traceId === refused!.traceId);
      return wholeTrace(refused!)(spans) ? spans : undefined;
    });
    const [call] = calls(trace);
    expect(call!.attributes).toMatchObject({
      'edgeway.dependency': 'recommendations',
      'circuit.state': 'open',
      'upstream.outcome': 'CIRCUIT_OPEN',
      'upstream.attempts': 0,
    });
    expect(call!.status.code).toBe(2);
    expect(call!.events).toContainEqual({
      name: 'upstream.failure',
      attributes: { dependency: 'recommendations', reason: 'CIRCUIT_OPEN', 'circuit.state': 'open' },
    });
    // Nothing was sent: no HTTP span under the refused call.
    expect(trace.filter((s) => s.parentSpanId === call!.spanId)).toEqual([]);
    // The fallback is decided by the resolver, on the operation's span.
    const [operation] = named(trace, 'bff-mobile', 'query Home');
    expect(operation!.events).toContainEqual({
      name: 'degraded',
      attributes: expect.objectContaining({
        dependency: 'recommendations',
        reason: 'CIRCUIT_OPEN',
        'degraded.path': 'home.recommended',
      }),
    });
  });
});
