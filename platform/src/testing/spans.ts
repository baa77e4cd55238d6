import { context, ROOT_CONTEXT, type SpanContext, type TraceFlags, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { skippingUnrecorded } from '../telemetry/unrecorded.js';

/** A client's `traceparent` as the services receive it: this trace and parent span, sampled or not. */
export const REMOTE_TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
export const REMOTE_SPAN_ID = '00f067aa0ba902b7';

export const remoteParent = (traceFlags: TraceFlags): SpanContext => ({
  traceId: REMOTE_TRACE_ID,
  spanId: REMOTE_SPAN_ID,
  traceFlags,
  isRemote: true,
});

/** Runs `fn` with `parent` as the active span context, as an incoming request's would be. */
export const underParent = <T>(parent: SpanContext, fn: () => T): T =>
  context.with(trace.setSpanContext(ROOT_CONTEXT, parent), fn);

/**
 * Records every span the file's tests make: an `AsyncLocalStorage` context and the tracer
 * provider as the services install it (no child spans in traces that record nothing) over an
 * in-memory exporter, installed before the tests, emptied before each, removed after.
 */
export function recordSpans(): InMemorySpanExporter {
  const exporter = new InMemorySpanExporter();
  beforeAll(() => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    trace.setGlobalTracerProvider(
      skippingUnrecorded(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] })),
    );
  });
  afterAll(() => {
    trace.disable();
    context.disable();
  });
  beforeEach(() => exporter.reset());
  return exporter;
}
