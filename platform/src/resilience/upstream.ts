import { Client, type Dispatcher, Pool, errors as undiciErrors } from './undici.js';
import type { Deadline } from './deadline.js';
import type { ChaosDirective } from './chaos.js';
import { UpstreamError } from './errors.js';
import { createDependencyPolicy, type DependencyPolicy, type PolicyOptions } from './policy.js';
import { inUnrecordedTrace, traceHeaders } from '../telemetry/trace.js';

export interface UpstreamOptions extends PolicyOptions {
  baseUrl: string;
  /** Keep-alive connections kept open to this upstream. @default 32 */
  connections?: number;
  /** Largest answer read; a larger one fails the call (UPSTREAM_ERROR), not the process. @default 4 MiB */
  maxResponseBytes?: number;
  /** Its readiness endpoint, probed while the circuit is open (`false`: none). @default '/readyz' */
  readinessPath?: string | false;
}

const DEFAULT_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

export interface UpstreamRequest {
  method?: 'GET' | 'POST';
  path: string;
  query?: Record<string, string | number | ReadonlyArray<string | number> | undefined>;
  headers?: Record<string, string | undefined>;
  body?: unknown;
  /** Safe to send twice (retried once on failure). @default true for GET, false otherwise */
  idempotent?: boolean;
  /** This request's injected fault for this dependency, if any (x-chaos). */
  chaos?: ChaosDirective | undefined;
}

export interface UpstreamAnswer<T> {
  status: number;
  body: T;
  /** The answer's headers (lower-case names). @default none (fakes may leave them out) */
  headers?: Readonly<Record<string, string | string[] | undefined>>;
}

export interface Upstream {
  readonly name: string;
  readonly policy: DependencyPolicy;
  /** Sends the request and parses a JSON answer; throws UpstreamError on any failure. */
  json<T>(request: UpstreamRequest): Promise<UpstreamAnswer<T>>;
  close(): Promise<void>;
}

function buildPath(path: string, query: UpstreamRequest['query']): string {
  if (!query) return path;
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) search.append(key, String(item));
  }
  const text = search.toString();
  return text ? `${path}?${text}` : path;
}

function cleanHeaders(headers: UpstreamRequest['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) if (v !== undefined) out[k] = v;
  return out;
}

/**
 * A probe of an Edgeway service's readiness endpoint (200 when it can serve) over `dispatcher`,
 * for `PolicyOptions.probe`.
 */
export function readinessProbe(dispatcher: Dispatcher, origin: string, path = '/readyz') {
  return async (signal: AbortSignal): Promise<void> => {
    const response = await dispatcher.request({ origin, path, method: 'GET', signal });
    await response.body.dump();
    if (response.statusCode !== 200) throw new Error(`readiness ${response.statusCode}`);
  };
}

/**
 * An answer's body as text, at most `maxBytes` of it: one announcing more (`Content-Length`) is
 * refused unread, and a longer one is cut off where the dispatcher's `maxResponseSize` stops it.
 * Either way the caller gets an UpstreamError naming `dependency`, never the bytes.
 */
export async function readCappedText(
  response: Dispatcher.ResponseData,
  dependency: string,
  maxBytes: number,
): Promise<string> {
  const tooLarge = () =>
    new UpstreamError(dependency, 'UPSTREAM_ERROR', `answered more than ${maxBytes} bytes`, response.statusCode);
  if (Number(response.headers['content-length']) > maxBytes) {
    response.body.destroy();
    throw tooLarge();
  }
  return response.body.text().catch((error: unknown) => {
    throw (error as { code?: unknown }).code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE' ? tooLarge() : error;
  });
}

/**
 * A connection of its own for a retry, as the dispatcher of one request sent with `reset: true`
 * (closed after its answer, leaving nothing to close): the pooled connections may all lead to the
 * replica that just refused, reset or drained, as a Service balances per connection.
 */
export function freshConnection(origin: string, maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES): Dispatcher {
  return new Client(origin, { pipelining: 0, maxResponseSize: maxResponseBytes });
}

/**
 * One pooled keep-alive HTTP client per dependency (undici), with a hard deadline on every call.
 * 4xx answers are returned to the caller (they are the caller's problem, not an outage);
 * refusals, 5xx and timeouts become UpstreamError.
 */
export function createUpstream(options: UpstreamOptions): Upstream {
  const base = new URL(options.baseUrl);
  const prefix = base.pathname.replace(/\/$/, '');
  const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  // undici stops reading past the cap and drops the connection, so a runaway answer never fills the heap.
  const pool = new Pool(base.origin, {
    connections: options.connections ?? 32,
    keepAliveTimeout: 30_000,
    maxResponseSize: maxBytes,
  });
  const readinessPath = options.readinessPath ?? '/readyz';
  const policy = createDependencyPolicy({
    ...options,
    ...(readinessPath && { probe: readinessProbe(pool, base.origin, readinessPath) }),
  });

  const send = async <T>(request: UpstreamRequest, deadline: Deadline, fresh: boolean) => {
    const body = request.body === undefined ? undefined : JSON.stringify(request.body);
    const headers = cleanHeaders(request.headers);
    if (body !== undefined) headers['content-type'] = 'application/json';
    // Undici's instrumentation makes no client span in a trace that records nothing: the trace id is sent here.
    if (inUnrecordedTrace()) Object.assign(headers, traceHeaders());
    try {
      const response = await (fresh ? freshConnection(base.origin, maxBytes) : pool).request({
        origin: base.origin,
        reset: fresh,
        method: request.method ?? 'GET',
        path: prefix + buildPath(request.path, request.query),
        headers,
        body,
        signal: deadline,
      });
      const text = await readCappedText(response, options.name, maxBytes);
      if (response.statusCode >= 500) {
        throw new UpstreamError(options.name, 'UPSTREAM_ERROR', `answered ${response.statusCode}`, response.statusCode);
      }
      let parsed: T;
      try {
        parsed = JSON.parse(text) as T;
      } catch {
        throw new UpstreamError(
          options.name,
          'UPSTREAM_ERROR',
          'answered a body that is not JSON',
          response.statusCode,
        );
      }
      return { status: response.statusCode, body: parsed, headers: response.headers };
    } catch (error) {
      if (error instanceof UpstreamError || deadline.aborted) throw error;
      if (error instanceof undiciErrors.HeadersTimeoutError || error instanceof undiciErrors.BodyTimeoutError) {
        throw new UpstreamError(options.name, 'TIMEOUT', 'socket timeout');
      }
      const code = (error as { code?: string }).code ?? (error as Error).name;
      throw new UpstreamError(options.name, 'UPSTREAM_ERROR', `request failed (${code})`);
    }
  };

  return {
    name: options.name,
    policy,
    json: <T>(request: UpstreamRequest) =>
      policy.execute((deadline, { fresh }) => send<T>(request, deadline, fresh), {
        idempotent: request.idempotent ?? (request.method ?? 'GET') === 'GET',
        chaos: request.chaos,
      }),
    close: () => pool.close(),
  };
}
