import { context, propagation, ROOT_CONTEXT, TraceFlags, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { createDependencyPolicy } from '@edgeway/platform';
import { MockAgent } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { createSubgraphFetcher } from './fetcher.js';

context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
propagation.setGlobalPropagator(new W3CTraceContextPropagator());
afterAll(() => {
  context.disable();
  propagation.disable();
});

describe('subgraph fetcher in a trace that records nothing', () => {
  it('sends the trace id itself (no HTTP client span is made to send it)', async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    const seen: Array<string | undefined> = [];
    agent
      .get('http://subgraph.test')
      .intercept({ path: '/graphql', method: 'POST' })
      .reply(200, (options) => {
        seen.push((options.headers as Record<string, string>).traceparent);
        return { data: {} };
      })
      .persist();
    const fetcher = createSubgraphFetcher(createDependencyPolicy({ name: 'reviews' }), agent, { dedupe: false });
    const caller = { 'content-type': 'application/json' };
    const send = () =>
      fetcher('http://subgraph.test/graphql', { method: 'POST', headers: caller, body: '{"query":"{ n }"}' });
    const unsampled = trace.setSpanContext(ROOT_CONTEXT, {
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      traceFlags: TraceFlags.NONE,
      isRemote: true,
    });
    await context.with(unsampled, send);
    await send();
    expect(seen).toEqual(['00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00', undefined]);
    // The caller's headers are its own.
    expect(caller).toEqual({ 'content-type': 'application/json' });
    await agent.close();
  });
});
