import { context, ROOT_CONTEXT, type SpanContext, type TraceFlags, trace } from '@opentelemetry/api';

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
