import {
  type Context,
  context,
  type Span,
  type SpanOptions,
  type Tracer,
  type TracerOptions,
  type TracerProvider,
  trace,
} from '@opentelemetry/api';
import { isUnrecorded } from './trace.js';

type ActiveFn = (span: Span) => unknown;

/** The parent a new span would get, when it is in a trace that records nothing. */
function unrecordedParent(options: SpanOptions | undefined, ctx: Context): Span | undefined {
  if (options?.root) return undefined;
  const parent = trace.getSpan(ctx);
  return parent && isUnrecorded(parent) ? parent : undefined;
}

/**
 * A tracer that makes no child span inside a trace that records nothing (`inUnrecordedTrace`):
 * it hands out the parent's own context as a span that records nothing, and runs an active span's
 * function in the context already active. What a sampler would have decided is the same (every
 * sampler decides a child as its parent, by the parent or by the same trace id), and so are the
 * trace id in the logs and the `traceparent` sent on; what is saved is a span id, a span object
 * and an async context scope per span. @apollo/gateway alone starts one per subgraph fetch and
 * five per request, and the GraphQL instrumentation one per parse and validation.
 */
class UnrecordedAwareTracer implements Tracer {
  readonly #inner: Tracer;

  constructor(inner: Tracer) {
    this.#inner = inner;
  }

  startSpan(name: string, options?: SpanOptions, ctx: Context = context.active()): Span {
    const parent = unrecordedParent(options, ctx);
    return parent ? trace.wrapSpanContext(parent.spanContext()) : this.#inner.startSpan(name, options, ctx);
  }

  startActiveSpan<F extends ActiveFn>(name: string, fn: F): ReturnType<F>;
  startActiveSpan<F extends ActiveFn>(name: string, options: SpanOptions, fn: F): ReturnType<F>;
  startActiveSpan<F extends ActiveFn>(name: string, options: SpanOptions, ctx: Context, fn: F): ReturnType<F>;
  startActiveSpan<F extends ActiveFn>(name: string, a: F | SpanOptions, b?: F | Context, c?: F): ReturnType<F> {
    const fn = (c ?? b ?? a) as F;
    const options = typeof a === 'function' ? undefined : a;
    const ctx = c ? (b as Context) : undefined;
    // With a context of its own (not the active one), the SDK's way: it must become active.
    const parent = ctx === undefined ? unrecordedParent(options, context.active()) : undefined;
    if (parent) return fn(trace.wrapSpanContext(parent.spanContext())) as ReturnType<F>;
    if (ctx !== undefined) return this.#inner.startActiveSpan(name, options ?? {}, ctx, fn);
    return options ? this.#inner.startActiveSpan(name, options, fn) : this.#inner.startActiveSpan(name, fn);
  }
}

/** `provider`, whose tracers make no child spans in traces that record nothing (see `UnrecordedAwareTracer`). */
export function skippingUnrecorded(provider: TracerProvider): TracerProvider {
  const tracers = new Map<string, Tracer>();
  return {
    getTracer(name: string, version?: string, options?: TracerOptions): Tracer {
      const key = `${name}@${version ?? ''}:${options?.schemaUrl ?? ''}`;
      let tracer = tracers.get(key);
      if (!tracer) tracers.set(key, (tracer = new UnrecordedAwareTracer(provider.getTracer(name, version, options))));
      return tracer;
    },
  };
}
