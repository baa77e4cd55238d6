import {
  type Attributes,
  context,
  propagation,
  type Span,
  SpanStatusCode,
  TraceFlags,
  trace,
} from '@opentelemetry/api';

/** The trace id of the request being handled, when tracing runs. */
export function currentTraceId(): string | undefined {
  const span = trace.getSpan(context.active());
  const id = span?.spanContext().traceId;
  return id && !/^0+$/.test(id) ? id : undefined;
}

/** Adds an event (circuit open, degradation, cache hit...) to the active span. */
export function spanEvent(name: string, attributes: Attributes = {}): void {
  trace.getSpan(context.active())?.addEvent(name, attributes);
}

export function setSpanAttributes(attributes: Attributes): void {
  trace.getSpan(context.active())?.setAttributes(attributes);
}

const tracer = trace.getTracer('edgeway');

/** Whether a span records nothing and its trace is not sampled. */
export const isUnrecorded = (span: Span): boolean =>
  !span.isRecording() && !(span.spanContext().traceFlags & TraceFlags.SAMPLED);

/**
 * Whether the active span is in a trace that records nothing (no exporter, a ratio sampler's
 * "no", an unsampled `traceparent`). None of its children would be recorded either, since every
 * sampler decides a child as its parent (by the parent, or by the same trace id), so on the hot
 * paths they are not made: each costs ids, a context and an async scope.
 */
export function inUnrecordedTrace(): boolean {
  const active = trace.getSpan(context.active());
  return active !== undefined && isUnrecorded(active);
}

/** The W3C trace headers (`traceparent`, `tracestate`) of the active context, for a request sent without a client span. */
export function traceHeaders(): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier;
}

/**
 * Runs `fn` in a child span that ends with it, recording a failure as the span's status. Inside a
 * trace that records nothing the services' tracer provider makes no child (`unrecorded.ts`): `fn`
 * gets the parent as a span that records nothing, and the trace id (the logs', the one sent
 * upstream) stays the parent's.
 */
export async function withSpan<T>(name: string, attributes: Attributes, fn: (span: Span) => Promise<T>): Promise<T> {
  return tracer.startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  });
}
