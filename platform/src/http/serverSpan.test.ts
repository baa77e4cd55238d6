import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { capturedLogger } from '../testing/logs.js';
import { AppError } from '../errors/catalog.js';
import { REMOTE_SPAN_ID, REMOTE_TRACE_ID, recordSpans } from '../testing/spans.js';
import { withSpan } from '../telemetry/trace.js';
import { createHttpServer, type HttpServer } from './server.js';

// The services' tracer provider (parent-based sampling, always on for a root) over memory.
const exporter = recordSpans();
beforeAll(() => propagation.setGlobalPropagator(new W3CTraceContextPropagator()));
afterAll(() => propagation.disable());

const SAMPLED_PARENT = `00-${REMOTE_TRACE_ID}-${REMOTE_SPAN_ID}-01`;
const UNSAMPLED_PARENT = `00-${REMOTE_TRACE_ID}-${REMOTE_SPAN_ID}-00`;

let server: HttpServer | undefined;
afterEach(async () => {
  await server?.app.close();
  server = undefined;
});

/** A service as the platform builds it, on a real port, with a few routes that trace, log and fail. */
async function start() {
  const { logger, lines } = capturedLogger('span-test', 'info');
  server = createHttpServer({ logger, errorShape: 'graphql' });
  const { app } = server;
  // After the body is read: the handler's own span is a child of the server span.
  app.post('/echo/:id', async (req) =>
    withSpan('work', {}, async (span) => ({ body: req.body, traceId: span.spanContext().traceId })),
  );
  app.get('/fail', async () => {
    throw new Error('boom');
  });
  app.get('/denied', async () => {
    throw new AppError('FORBIDDEN', 'not yours');
  });
  app.get('/slow', () => new Promise(() => undefined));
  // Where the access-log line is written (pino's instrumentation adds the active span's ids to it).
  const atResponse: Array<string | undefined> = [];
  app.addHook('onResponse', async () => {
    atResponse.push(trace.getActiveSpan()?.spanContext().spanId);
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return { base: `http://127.0.0.1:${port}`, port, lines, atResponse };
}

/** A POST whose body comes 50 ms after its headers, as from a slow client: read in later callbacks. */
function postLate(port: number, path: string, headers: Record<string, string>, body: string) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method: 'POST', headers }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.flushHeaders();
    setTimeout(() => req.end(body), 50);
  });
}

/** A GET whose answer is read to the end (an unread body keeps its connection busy, and the server from closing). */
async function get(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, { headers });
  await response.text();
  return response.status;
}

const serverSpans = () => exporter.getFinishedSpans().filter((s) => s.kind === SpanKind.SERVER);

/** Waits until `count` server spans have ended (a span ends when its response's socket closes). */
async function ended(count: number) {
  for (let i = 0; i < 200 && serverSpans().length < count; i++) await new Promise((r) => setTimeout(r, 10));
  return serverSpans();
}

describe('HTTP server spans', () => {
  it("continues the caller's trace: one server span per request, active through the body, the handler and the access log", async () => {
    const { port, lines, atResponse } = await start();
    const response = await postLate(
      port,
      '/echo/7?token=secret',
      {
        'content-type': 'application/json',
        traceparent: SAMPLED_PARENT,
        'x-request-id': 'req-42',
        'apollographql-client-name': 'web',
        'user-agent': 'span-test/1.0',
      },
      JSON.stringify({ hello: 'world' }),
    );
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ body: { hello: 'world' }, traceId: REMOTE_TRACE_ID });

    const [span] = await ended(1);
    expect(span).toMatchObject({
      name: 'POST /echo/:id',
      kind: SpanKind.SERVER,
      parentSpanContext: { spanId: REMOTE_SPAN_ID },
      attributes: {
        'http.request.method': 'POST',
        'http.route': '/echo/:id',
        'http.response.status_code': 200,
        'url.path': '/echo/7',
        'url.scheme': 'http',
        'server.address': '127.0.0.1',
        'server.port': port,
        'client.address': '127.0.0.1',
        'user_agent.original': 'span-test/1.0',
        'edgeway.request_id': 'req-42',
        'http.request.header.x-request-id': ['req-42'],
        'http.request.header.apollographql-client-name': ['web'],
      },
    });
    expect(span?.spanContext().traceId).toBe(REMOTE_TRACE_ID);
    // Never the query string (it may carry a secret).
    expect(JSON.stringify(span?.attributes)).not.toContain('secret');
    const work = exporter.getFinishedSpans().find((s) => s.name === 'work');
    expect(work?.parentSpanContext?.spanId).toBe(span?.spanContext().spanId);
    // The access-log line is written when the answer has gone: still in the request's trace.
    expect(atResponse).toEqual([span?.spanContext().spanId]);
    expect(lines.filter((l) => l.msg === 'request')).toEqual([expect.objectContaining({ requestId: 'req-42' })]);
  });

  it('starts a trace of its own without a traceparent, and one per request', async () => {
    const { base } = await start();
    for (const id of [1, 2]) {
      const response = await fetch(`${base}/echo/${id}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      await response.text();
    }
    const spans = await ended(2);
    expect(spans).toHaveLength(2);
    for (const span of spans) expect(span.parentSpanContext).toBeUndefined();
    expect(spans[0]?.spanContext().traceId).not.toBe(spans[1]?.spanContext().traceId);
  });

  it('answers a body that is not JSON in the trace of its request (the traceId the client quotes)', async () => {
    const { port, atResponse } = await start();
    const response = await postLate(
      port,
      '/echo/1',
      { 'content-type': 'application/json', traceparent: SAMPLED_PARENT },
      '{"query":',
    );
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body)).toMatchObject({
      errors: [{ extensions: { code: 'BAD_USER_INPUT' } }],
      extensions: { traceId: REMOTE_TRACE_ID },
    });
    const [span] = await ended(1);
    expect(span?.attributes['http.response.status_code']).toBe(400);
    expect(span?.status.code).toBe(SpanStatusCode.UNSET);
    expect(atResponse).toEqual([span?.spanContext().spanId]);
  });

  it('marks server failures (5xx) as errors, and client errors (4xx) not', async () => {
    const { base } = await start();
    expect(await get(`${base}/fail`, { traceparent: SAMPLED_PARENT })).toBe(500);
    expect(await get(`${base}/denied`, { traceparent: SAMPLED_PARENT })).toBe(403);
    const spans = await ended(2);
    const fail = spans.find((s) => s.name === 'GET /fail');
    expect(fail?.status.code).toBe(SpanStatusCode.ERROR);
    expect(fail?.attributes).toMatchObject({ 'http.response.status_code': 500, 'error.type': '500' });
    const denied = spans.find((s) => s.name === 'GET /denied');
    expect(denied?.status.code).toBe(SpanStatusCode.UNSET);
    expect(denied?.attributes['error.type']).toBeUndefined();
  });

  it('ends the span of a request whose client hangs up, as aborted', async () => {
    const { port } = await start();
    await new Promise<void>((resolve) => {
      const req = httpRequest({ host: '127.0.0.1', port, path: '/slow', headers: { traceparent: SAMPLED_PARENT } });
      req.on('error', () => resolve());
      req.end();
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 100);
    });
    const [span] = await ended(1);
    expect(span).toMatchObject({ name: 'GET /slow', attributes: { 'error.type': 'aborted' } });
  });

  it('traces neither probes nor scrapes, and records nothing for a caller whose trace is not sampled', async () => {
    const { base } = await start();
    await get(`${base}/healthz`, { traceparent: SAMPLED_PARENT });
    await get(`${base}/metrics`, { traceparent: SAMPLED_PARENT });
    const response = await fetch(`${base}/echo/1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: UNSAMPLED_PARENT },
      body: '{}',
    });
    // Not recorded, but the trace id still comes back and travels on.
    expect(((await response.json()) as { traceId: string }).traceId).toBe(REMOTE_TRACE_ID);
    await new Promise((r) => setTimeout(r, 50));
    expect(exporter.getFinishedSpans()).toEqual([]);
  });
});
