// An OTLP/HTTP JSON trace receiver on 127.0.0.1, keeping the spans of the traces asked for, with
// their times: what the BFF benchmark reads one request's timeline from.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TimedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  name: string;
  /** OTLP SpanKind: 1 internal, 2 server, 3 client. */
  kind: number;
  /** Milliseconds since the Unix epoch; OpenTelemetry JS starts spans on a millisecond clock. */
  start: number;
  end: number;
  attributes: Record<string, unknown>;
}

export interface SpanReceiver {
  /** The OTLP base URL (OTEL_EXPORTER_OTLP_ENDPOINT). */
  url: string;
  /** Keeps the spans of this trace from now on; others are dropped on arrival. */
  watch(traceId: string): void;
  spans(traceId: string): TimedSpan[];
  close(): Promise<void>;
}

interface JsonKeyValue {
  key: string;
  value: Record<string, unknown>;
}

interface JsonSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind?: number;
  startTimeUnixNano: string | number;
  endTimeUnixNano: string | number;
  attributes?: JsonKeyValue[];
}

interface JsonRequest {
  resourceSpans?: Array<{
    resource?: { attributes?: JsonKeyValue[] };
    scopeSpans?: Array<{ spans?: JsonSpan[] }>;
  }>;
}

const valueOf = (value: Record<string, unknown>): unknown =>
  value.stringValue ?? value.boolValue ?? (value.intValue === undefined ? value.doubleValue : Number(value.intValue));

const attributesOf = (list: JsonKeyValue[] = []) => Object.fromEntries(list.map((kv) => [kv.key, valueOf(kv.value)]));

// Nanoseconds since the epoch overflow a double's integer precision: read as BigInt, keep microseconds.
const millis = (nanos: string | number) => Number(BigInt(nanos) / 1000n) / 1000;

async function bodyOf(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startSpanReceiver(): Promise<SpanReceiver> {
  const traces = new Map<string, TimedSpan[]>();
  const keep = (request: JsonRequest) => {
    for (const resource of request.resourceSpans ?? []) {
      const service = String(attributesOf(resource.resource?.attributes)['service.name']);
      for (const span of (resource.scopeSpans ?? []).flatMap((scope) => scope.spans ?? [])) {
        traces.get(span.traceId)?.push({
          service,
          traceId: span.traceId,
          spanId: span.spanId,
          parentSpanId: span.parentSpanId || undefined,
          name: span.name,
          kind: span.kind ?? 0,
          start: millis(span.startTimeUnixNano),
          end: millis(span.endTimeUnixNano),
          attributes: attributesOf(span.attributes),
        });
      }
    }
  };
  const server = createServer((req, res) => {
    bodyOf(req)
      .then((body) => {
        if (req.method === 'POST' && req.url === '/v1/traces') keep(JSON.parse(body) as JsonRequest);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      })
      .catch(() => res.writeHead(400).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    watch: (traceId) => void traces.set(traceId, []),
    spans: (traceId) => traces.get(traceId) ?? [],
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
