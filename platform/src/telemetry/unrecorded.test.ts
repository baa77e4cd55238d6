import { context, TraceFlags, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  AlwaysOffSampler,
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { remoteParent, underParent } from '../testing/spans.js';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { skippingUnrecorded } from './unrecorded.js';

const exporter = new InMemorySpanExporter();
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const recording = skippingUnrecorded(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
const tracer = recording.getTracer('some-library', '1.0.0');
afterAll(() => context.disable());
beforeEach(() => exporter.reset());

describe('skippingUnrecorded', () => {
  it('inside a trace that records nothing: no child span, the parent stays active, its trace id travels on', async () => {
    const seen = await underParent(remoteParent(TraceFlags.NONE), () =>
      tracer.startActiveSpan('gateway.fetch', { attributes: { a: 1 } }, async (span) => {
        span.setAttribute('b', 2);
        const inner = tracer.startSpan('graphql.parse');
        inner.end();
        span.end();
        return {
          span: span.spanContext(),
          inner: inner.spanContext(),
          active: trace.getActiveSpan()?.spanContext(),
          recording: span.isRecording(),
        };
      }),
    );
    expect(seen.recording).toBe(false);
    expect(seen.span).toMatchObject({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7' });
    expect(seen.inner.spanId).toBe('00f067aa0ba902b7');
    expect(seen.active?.spanId).toBe('00f067aa0ba902b7');
    expect(exporter.getFinishedSpans()).toEqual([]);
  });

  it('inside a sampled trace, and at a root: the spans the SDK makes, recorded, each overload', async () => {
    await underParent(remoteParent(TraceFlags.SAMPLED), async () => {
      await tracer.startActiveSpan('a', async (span) => {
        expect(trace.getActiveSpan()).toBe(span);
        tracer.startSpan('b').end();
        span.end();
      });
      tracer.startActiveSpan('c', {}, (span) => span.end());
      tracer.startActiveSpan('d', {}, context.active(), (span) => span.end());
    });
    tracer.startActiveSpan('root', (span) => span.end());
    // A span asked to be a root is never skipped, even inside a trace that records nothing.
    underParent(remoteParent(TraceFlags.NONE), () => tracer.startSpan('new root', { root: true }).end());
    const spans = exporter.getFinishedSpans();
    expect(spans.map((s) => s.name).sort()).toEqual(['a', 'b', 'c', 'd', 'new root', 'root']);
    const byName = Object.fromEntries(spans.map((s) => [s.name, s]));
    expect(byName.b?.parentSpanContext?.spanId).toBe(byName.a?.spanContext().spanId);
    expect(byName.a?.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
    expect(byName['new root']?.spanContext().traceId).not.toBe('4bf92f3577b34da6a3ce929d0e0e4736');
  });

  it('with tracing off (no exporter: never sampled), only the root span is made', () => {
    let made = 0;
    const provider = new BasicTracerProvider({ sampler: new AlwaysOffSampler() });
    const off = skippingUnrecorded({
      getTracer: (...args) => {
        const real = provider.getTracer(...args);
        return {
          startSpan: (...a: Parameters<typeof real.startSpan>) => (made++, real.startSpan(...a)),
          startActiveSpan: ((...a: Parameters<typeof real.startActiveSpan>) => (
            made++,
            (real.startActiveSpan as (...x: unknown[]) => unknown)(...a)
          )) as typeof real.startActiveSpan,
        };
      },
    }).getTracer('x');
    off.startActiveSpan('request', (root) => {
      off.startActiveSpan('child', (child) => {
        expect(child.spanContext().spanId).toBe(root.spanContext().spanId);
        off.startSpan('grandchild').end();
        child.end();
      });
      root.end();
    });
    expect(made).toBe(1);
  });
});
