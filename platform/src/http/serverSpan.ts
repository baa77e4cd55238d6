import {
  type Attributes,
  context,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CLIENT_NAME_HEADER, CLIENT_VERSION_HEADER, quiet } from './observe.js';
import { REQUEST_ID_HEADER } from './requestId.js';

// The instrumentation scope the server spans are reported under.
const tracer = trace.getTracer('@edgeway/platform/http');

/** Request headers recorded on a sampled server span, as the HTTP semantic conventions name them. */
const RECORDED_HEADERS = [REQUEST_ID_HEADER, CLIENT_NAME_HEADER, CLIENT_VERSION_HEADER];

function recordedAttributes(req: FastifyRequest): Attributes {
  const attributes: Attributes = {
    'url.scheme': req.protocol,
    'url.path': req.url.split('?', 1)[0],
    'server.address': req.hostname,
    'network.protocol.version': req.raw.httpVersion,
    'client.address': req.ip,
  };
  if (req.port) attributes['server.port'] = req.port;
  const agent = req.headers['user-agent'];
  if (agent) attributes['user_agent.original'] = agent;
  for (const name of RECORDED_HEADERS) {
    const value = req.headers[name];
    if (typeof value === 'string') attributes[`http.request.header.${name}`] = [value];
  }
  return attributes;
}

function endServerSpan(span: Span, statusCode: number, finished: boolean): void {
  span.setAttribute('http.response.status_code', statusCode);
  if (!finished) {
    // The client went away before the answer was sent.
    span.setAttribute('error.type', 'aborted');
  } else if (statusCode >= 500) {
    span.setAttribute('error.type', String(statusCode));
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
  span.end();
}

/**
 * One HTTP server span per request, made by the framework that routes it: named `METHOD /route`,
 * child of the caller's `traceparent` (the global propagator, so OTEL_PROPAGATORS applies) and
 * decided by the sampler as any root or child span. It is the active span from the first hook to
 * the last, and every span, log line and `traceparent` of the request descends from it.
 *
 * Why not `@opentelemetry/instrumentation-http`'s server side: it wraps every listener of every
 * request and response in the request's context and computes every attribute before sampling,
 * which cost the gateway 13 % of its throughput (docs/performance.md). Here the context is entered
 * once, at the first hook: fastify reads the body in an async resource of the request's own, so
 * the handler, the error handler and the access-log line stay in it (serverSpan.test.ts sends a
 * late body to check); the attributes beyond the method and route are computed only for a span
 * that records.
 */
export function installServerSpans(app: FastifyInstance): void {
  app.addHook('onRequest', (req, reply, done) => {
    if (quiet(req)) return done();
    const parent = propagation.extract(ROOT_CONTEXT, req.headers);
    const route = req.routeOptions.url;
    const attributes: Attributes = { 'http.request.method': req.method, 'edgeway.request_id': req.id };
    if (route) attributes['http.route'] = route;
    const span = tracer.startSpan(
      route ? `${req.method} ${route}` : req.method,
      { kind: SpanKind.SERVER, attributes },
      parent,
    );
    // A span that records nothing needs neither its attributes nor its end (both no-ops).
    if (span.isRecording()) {
      span.setAttributes(recordedAttributes(req));
      // 'close' comes once per response, whether sent, failed or aborted by the client.
      reply.raw.once('close', () => endServerSpan(span, reply.statusCode, reply.raw.writableFinished));
    }
    context.with(trace.setSpan(parent, span), done);
  });
}
