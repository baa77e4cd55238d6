import { type Attributes, context, type Span, SpanStatusCode, TraceFlags, trace } from '@opentelemetry/api';

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

/**
 * Runs `fn` in a child span that ends with it, recording a failure as the span's status.
 *
 * Inside a trace that is not sampled (no exporter, a ratio sampler's "no", an unsampled
 * `traceparent`) no child is made: none would be recorded, since every sampler decides a child
 * as its parent (by the parent, or by the same trace id), and on the gateway's hot path (one call
 * per subgraph fetch) making them cost ids, a context and an async scope each. `fn` gets a span
 * that records nothing; the trace id, the logs' and the one sent upstream, stays the parent's.
 */
export async function withSpan<T>(name: string, attributes: Attributes, fn: (span: Span) => Promise<T>): Promise<T> {
  const parent = trace.getSpan(context.active());
  if (parent && !parent.isRecording() && !(parent.spanContext().traceFlags & TraceFlags.SAMPLED)) {
    return fn(trace.wrapSpanContext(parent.spanContext()));
  }
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
