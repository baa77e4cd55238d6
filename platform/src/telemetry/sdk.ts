import { createRequire } from 'node:module';
import { basename } from 'node:path';
import { context, propagation, type TextMapPropagator, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import type { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { DataloaderInstrumentation } from '@opentelemetry/instrumentation-dataloader';
import { GraphQLInstrumentation } from '@opentelemetry/instrumentation-graphql';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import {
  detectResources,
  envDetector,
  hostDetector,
  processDetector,
  resourceFromAttributes,
} from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  BasicTracerProvider,
  BatchSpanProcessor,
  NoopSpanProcessor,
  type Sampler,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { guardExport } from './export.js';
import { SDK_KEY, type Telemetry } from './flush.js';
import { inUnrecordedTrace } from './trace.js';
import { skippingUnrecorded } from './unrecorded.js';

// The exporter is loaded only when spans are exported, and only the protocol asked for: each
// brings its own OTLP encoding stack (about 170 modules), a cost every service paid at start-up.
const require = createRequire(import.meta.url);

type Env = Record<string, string | undefined>;

/** docs/contract.md §7: the service's name as in section 1 (its folder's name), unless OTEL_SERVICE_NAME says otherwise. */
export function serviceNameFrom(env: Env, cwd: string): string {
  return env.OTEL_SERVICE_NAME || basename(cwd);
}

/**
 * Where spans go: OTLP over HTTP, protobuf unless `http/json` is asked for, sampled by the SDK's
 * OTEL_TRACES_SAMPLER (parent-based by default, so a client's sampled `traceparent` decides for
 * the whole trace). Without an endpoint nothing is recorded, but the SDK still needs a span
 * processor to install a tracer at all: then each request's span gets real ids (for
 * `extensions.traceId` and the logs' trace_id), is dropped at once, and has no children
 * (`unrecorded.ts`).
 */
export function tracingFrom(env: Env): { spanProcessors: SpanProcessor[]; sampler?: Sampler } {
  if (!env.OTEL_EXPORTER_OTLP_ENDPOINT && !env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) {
    return { spanProcessors: [new NoopSpanProcessor()], sampler: new AlwaysOffSampler() };
  }
  const protocol = env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL ?? 'http/protobuf';
  const { OTLPTraceExporter: Exporter } = require(
    protocol === 'http/json' ? '@opentelemetry/exporter-trace-otlp-http' : '@opentelemetry/exporter-trace-otlp-proto',
  ) as { OTLPTraceExporter: typeof OTLPTraceExporter };
  const exporter = new Exporter();
  // One second unless OTEL_BSP_SCHEDULE_DELAY says otherwise (the SDK's own default, 5 s, makes
  // a trace look incomplete for a while in Jaeger).
  const batch = new BatchSpanProcessor(exporter, env.OTEL_BSP_SCHEDULE_DELAY ? {} : { scheduledDelayMillis: 1000 });
  return { spanProcessors: [guardExport(batch)] };
}

/**
 * The propagators OTEL_PROPAGATORS names (W3C trace context and baggage by default, as the SDK's);
 * `none` propagates nothing. Other names need packages the services do not ship: they are
 * reported once and skipped.
 */
export function propagatorFrom(env: Env): TextMapPropagator {
  const names = (env.OTEL_PROPAGATORS ?? 'tracecontext,baggage')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
  const known: Record<string, () => TextMapPropagator> = {
    tracecontext: () => new W3CTraceContextPropagator(),
    baggage: () => new W3CBaggagePropagator(),
  };
  const unknown = names.filter((name) => name !== 'none' && !known[name]);
  if (unknown.length > 0) {
    process.emitWarning(
      `OTEL_PROPAGATORS: ${unknown.join(', ')} not available (tracecontext, baggage or none); skipped`,
    );
  }
  const propagators = names.includes('none') ? [] : names.flatMap((name) => known[name]?.() ?? []);
  return new CompositePropagator({ propagators });
}

/**
 * Starts tracing for this process: W3C traceparent in and out, undici and node:http client spans,
 * GraphQL operations (name and type, never variables), DataLoader batches, and trace ids in pino
 * lines (see `tracingFrom` for export and sampling); each service's server spans are its HTTP
 * server's own (`http/serverSpan.ts`). OTEL_SDK_DISABLED=true turns all of it off.
 *
 * These are the pieces `@opentelemetry/sdk-node`'s NodeSDK assembles for traces (the same
 * instrumentation registry, async-local-storage context, W3C propagation, env/process/host
 * resource, env sampler and span limits), put together here because NodeSDK loads the exporters
 * of every signal and protocol at import (about 2,000 modules: gRPC, protobuf, Prometheus,
 * Zipkin), which was half of each service's start-up; metrics are prom-client's and logs pino's.
 */
export function startTelemetry(env: Env = process.env, cwd = process.cwd()): Telemetry | undefined {
  if (env.OTEL_SDK_DISABLED === 'true') return undefined;
  // Patches what the app imports after this (the app is imported after register.ts).
  registerInstrumentations({
    instrumentations: [
      // Outgoing node:http calls only: each service's server span is its HTTP server's own
      // (http/serverSpan.ts), cheaper than this instrumentation's on every request.
      new HttpInstrumentation({ disableIncomingRequestInstrumentation: true }),
      // No HTTP client span inside a trace that records nothing (one per subgraph fetch on the
      // gateway); the clients (`createUpstream`, the gateway's subgraph fetcher) then send the
      // trace headers themselves, so the trace id still travels.
      new UndiciInstrumentation({ ignoreRequestHook: () => inUnrecordedTrace() }),
      new GraphQLInstrumentation({ mergeItems: true, ignoreTrivialResolveSpans: true, allowValues: false, depth: 0 }),
      new DataloaderInstrumentation(),
      // Trace ids into pino's lines only: sending each line to the OpenTelemetry logs SDK as well
      // (its default) parsed every line again, per request, for a logs pipeline that has no processor.
      new PinoInstrumentation({ disableLogSending: true }),
    ],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(propagatorFrom(env));
  const resource = detectResources({ detectors: [envDetector, processDetector, hostDetector] }).merge(
    resourceFromAttributes({ [ATTR_SERVICE_NAME]: serviceNameFrom(env, cwd) }),
  );
  // Sampler (unless tracing is off) and span limits from the OTEL_* variables, as the SDK reads them.
  const provider = new BasicTracerProvider({ resource, ...tracingFrom(env) });
  // No child spans inside traces that record nothing (unrecorded.ts): the exported traces are the same.
  trace.setGlobalTracerProvider(skippingUnrecorded(provider));
  const telemetry: Telemetry = { shutdown: () => provider.shutdown() };
  (globalThis as Record<symbol, unknown>)[SDK_KEY] = telemetry;
  return telemetry;
}
