import { basename } from 'node:path';
import { OTLPTraceExporter as OTLPJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OTLPProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { DataloaderInstrumentation } from '@opentelemetry/instrumentation-dataloader';
import { GraphQLInstrumentation } from '@opentelemetry/instrumentation-graphql';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import {
  AlwaysOffSampler,
  BatchSpanProcessor,
  NoopSpanProcessor,
  type Sampler,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { guardExport } from './export.js';
import { SDK_KEY } from './flush.js';

const QUIET_PATHS = /^\/(healthz|readyz|metrics)\b/;

type Env = Record<string, string | undefined>;

/** docs/contract.md §7: the service's name as in section 1 (its folder's name), unless OTEL_SERVICE_NAME says otherwise. */
export function serviceNameFrom(env: Env, cwd: string): string {
  return env.OTEL_SERVICE_NAME || basename(cwd);
}

/**
 * Where spans go: OTLP over HTTP, protobuf unless `http/json` is asked for, sampled by the SDK's
 * OTEL_TRACES_SAMPLER (parent-based by default, so a client's sampled `traceparent` decides for
 * the whole trace). Without an endpoint nothing is recorded, but the SDK still needs a span
 * processor to install a tracer at all: then every span gets real ids (for `extensions.traceId`
 * and the logs' trace_id) and is dropped at once.
 */
export function tracingFrom(env: Env): { spanProcessors: SpanProcessor[]; sampler?: Sampler } {
  if (!env.OTEL_EXPORTER_OTLP_ENDPOINT && !env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) {
    return { spanProcessors: [new NoopSpanProcessor()], sampler: new AlwaysOffSampler() };
  }
  const protocol = env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL ?? 'http/protobuf';
  const exporter = protocol === 'http/json' ? new OTLPJsonExporter() : new OTLPProtoExporter();
  // One second unless OTEL_BSP_SCHEDULE_DELAY says otherwise (the SDK's own default, 5 s, makes
  // a trace look incomplete for a while in Jaeger).
  const batch = new BatchSpanProcessor(exporter, env.OTEL_BSP_SCHEDULE_DELAY ? {} : { scheduledDelayMillis: 1000 });
  return { spanProcessors: [guardExport(batch)] };
}

/**
 * Starts tracing for this process: HTTP server and client spans (W3C traceparent in and out),
 * undici calls, GraphQL operations (name and type, never variables), DataLoader batches, and
 * trace ids in pino lines (see `tracingFrom` for export and sampling). OTEL_SDK_DISABLED=true
 * turns all of it off.
 */
export function startTelemetry(env: Env = process.env, cwd = process.cwd()): NodeSDK | undefined {
  if (env.OTEL_SDK_DISABLED === 'true') return undefined;
  const sdk = new NodeSDK({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: serviceNameFrom(env, cwd) }),
    ...tracingFrom(env),
    // Metrics are prom-client's on /metrics and logs are pino's on stdout: without these the SDK
    // would start OTLP metric and log exporters of its own.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (req) => QUIET_PATHS.test(req.url ?? ''),
        // Never a credential here: export.ts redacts them anyway, but they are not even asked for.
        headersToSpanAttributes: {
          server: { requestHeaders: ['x-request-id', 'apollographql-client-name', 'apollographql-client-version'] },
        },
      }),
      new UndiciInstrumentation(),
      new GraphQLInstrumentation({ mergeItems: true, ignoreTrivialResolveSpans: true, allowValues: false, depth: 0 }),
      new DataloaderInstrumentation(),
      // Trace ids into pino's lines only: sending each line to the OpenTelemetry logs SDK as well
      // (its default) parsed every line again, per request, for a logs pipeline that has no processor.
      new PinoInstrumentation({ disableLogSending: true }),
    ],
  });
  sdk.start();
  (globalThis as Record<symbol, unknown>)[SDK_KEY] = sdk;
  return sdk;
}
