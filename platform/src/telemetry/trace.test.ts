import { propagation, TraceFlags, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { recordSpans, remoteParent, underParent } from '../testing/spans.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentTraceId, inUnrecordedTrace, traceHeaders, withSpan } from './trace.js';

// The SDK's default sampler (parent-based, always on for a root), as the services install it.
const exporter = recordSpans();
beforeAll(() => propagation.setGlobalPropagator(new W3CTraceContextPropagator()));
afterAll(() => propagation.disable());

describe('withSpan', () => {
  it('records a child of a sampled parent, active while it runs, with its failure', async () => {
    await underParent(remoteParent(TraceFlags.SAMPLED), async () => {
      await withSpan('upstream ok', { 'edgeway.dependency': 'ok' }, async (span) => {
        span.setAttribute('upstream.attempts', 1);
        expect(trace.getActiveSpan()?.spanContext().spanId).toBe(span.spanContext().spanId);
      });
      await expect(
        withSpan('upstream down', {}, async () => {
          throw new Error('refused');
        }),
      ).rejects.toThrow('refused');
    });
    const [ok, down] = exporter.getFinishedSpans();
    expect(ok?.name).toBe('upstream ok');
    expect(ok?.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
    expect(ok?.attributes).toMatchObject({ 'edgeway.dependency': 'ok', 'upstream.attempts': 1 });
    expect(down?.status).toMatchObject({ message: 'refused' });
  });

  it('makes no child inside a trace that is not sampled, and keeps its trace id', async () => {
    await underParent(remoteParent(TraceFlags.NONE), async () => {
      const answer = await withSpan('upstream x', {}, async (span) => {
        expect(span.isRecording()).toBe(false);
        // No child: what runs inside still sees the parent as the active span.
        expect(trace.getActiveSpan()?.spanContext().spanId).toBe('00f067aa0ba902b7');
        span.setAttribute('upstream.attempts', 1);
        return currentTraceId();
      });
      expect(answer).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
      await expect(
        withSpan('upstream y', {}, async () => {
          throw new Error('refused');
        }),
      ).rejects.toThrow('refused');
    });
    expect(exporter.getFinishedSpans()).toEqual([]);
  });

  it('starts a trace of its own where none is active', async () => {
    await withSpan('upstream root', {}, async () => undefined);
    expect(exporter.getFinishedSpans().map((span) => span.name)).toEqual(['upstream root']);
  });
});

describe('inUnrecordedTrace and traceHeaders', () => {
  it('tell a trace that records nothing, and give its trace headers to send', async () => {
    expect(inUnrecordedTrace()).toBe(false);
    expect(traceHeaders()).toEqual({});
    await underParent(remoteParent(TraceFlags.NONE), async () => {
      expect(inUnrecordedTrace()).toBe(true);
      expect(traceHeaders()).toEqual({ traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00' });
    });
    await underParent(remoteParent(TraceFlags.SAMPLED), async () => {
      expect(inUnrecordedTrace()).toBe(false);
    });
  });
});
