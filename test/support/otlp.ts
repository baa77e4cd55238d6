import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJson, decodeProtobuf, type ReceivedSpan } from './otlpDecode.js';

export type { ReceivedSpan };

export interface OtlpReceiver {
  /** The OTLP base URL (what OTEL_EXPORTER_OTLP_ENDPOINT takes). */
  url: string;
  spans(): ReceivedSpan[];
  /** Content types of the export requests seen so far. */
  contentTypes(): Set<string>;
  /** Polls until `check` returns something (exports are batched), then returns it. */
  waitFor<T>(check: (spans: ReceivedSpan[]) => T | undefined, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

async function bodyOf(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export interface ReceiverOptions {
  /** Traces kept (oldest dropped first), so a long test run does not grow without bound. @default 5000 */
  maxTraces?: number;
  /** Log lines served on `GET /logs` (the system's output, for tests in other processes). */
  lines?: () => readonly string[];
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/**
 * An OTLP/HTTP trace receiver on 127.0.0.1 and a free port, keeping spans in memory by trace.
 * Besides `POST /v1/traces` it answers `GET /spans?traceId=` (or `?requestId=`: the spans tagged
 * with that `edgeway.request_id`, whatever their trace) and `GET /content-types` (and
 * `GET /logs?contains=` when given lines), so tests in other processes can read what it got.
 */
export async function startOtlpReceiver(options: ReceiverOptions = {}): Promise<OtlpReceiver> {
  const traces = new Map<string, ReceivedSpan[]>();
  const contentTypes = new Set<string>();
  const keep = (spans: ReceivedSpan[]) => {
    for (const span of spans) {
      const trace = traces.get(span.traceId) ?? [];
      if (trace.length === 0) traces.set(span.traceId, trace);
      trace.push(span);
    }
    for (const oldest of traces.keys()) {
      if (traces.size <= (options.maxTraces ?? 5000)) break;
      traces.delete(oldest);
    }
  };
  const all = () => [...traces.values()].flat();

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://receiver');
      if (req.method === 'GET' && url.pathname === '/spans') {
        const requestId = url.searchParams.get('requestId');
        if (requestId)
          return send(
            res,
            200,
            all().filter((s) => s.attributes['edgeway.request_id'] === requestId),
          );
        return send(res, 200, traces.get(url.searchParams.get('traceId') ?? '') ?? []);
      }
      if (req.method === 'GET' && url.pathname === '/content-types') return send(res, 200, [...contentTypes]);
      if (req.method === 'GET' && url.pathname === '/logs' && options.lines) {
        const contains = url.searchParams.get('contains') ?? '';
        return send(
          res,
          200,
          options.lines().filter((line) => line.includes(contains)),
        );
      }
      if (req.method !== 'POST' || url.pathname !== '/v1/traces') return send(res, 404, {});
      const type = (req.headers['content-type'] ?? '').split(';')[0]!;
      contentTypes.add(type);
      const body = await bodyOf(req);
      try {
        keep(type === 'application/json' ? decodeJson(body) : decodeProtobuf(body));
        if (type === 'application/json') send(res, 200, {});
        else res.writeHead(200, { 'content-type': type }).end();
      } catch (error) {
        res.writeHead(400).end(String(error));
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    spans: all,
    contentTypes: () => new Set(contentTypes),
    waitFor: (check, timeoutMs) => poll(() => check(all()), timeoutMs),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Calls `read` until it returns something (not undefined/false/null), at most `timeoutMs`. */
export async function poll<T>(read: () => T | undefined | Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await read();
    if (result !== undefined && result !== null && result !== false) return result;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
