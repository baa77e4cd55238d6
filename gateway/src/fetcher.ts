import type { Fetcher, FetcherHeaders, FetcherResponse } from '@apollo/utils.fetcher';
import {
  type ChaosDirective,
  type DependencyPolicy,
  freshConnection,
  readCappedText,
  UpstreamError,
} from '@edgeway/platform';
import { Agent, type Dispatcher, Headers } from 'undici';

/** Internal header carrying this request's injected fault from the data source to its fetcher. */
export const CHAOS_DIRECTIVE_HEADER = 'x-edgeway-chaos';

export function encodeChaos(directive: ChaosDirective): string {
  return directive.mode === 'down' ? 'down' : `slow:${directive.delayMs}`;
}

function decodeChaos(value: string | undefined): ChaosDirective | undefined {
  if (value === 'down') return { mode: 'down' };
  const slow = value ? /^slow:(\d+)$/.exec(value) : null;
  return slow?.[1] ? { mode: 'slow', delayMs: Number(slow[1]) } : undefined;
}

/** The few members of a fetch Response that RemoteGraphQLDataSource reads, over a buffered body. */
function toFetcherResponse(url: string, status: number, headers: Headers, text: string): FetcherResponse {
  const response: FetcherResponse = {
    bodyUsed: false,
    url,
    redirected: false,
    status,
    ok: status >= 200 && status < 300,
    statusText: '',
    headers: headers as unknown as FetcherHeaders,
    text: async () => text,
    json: async () => JSON.parse(text),
    arrayBuffer: async () => new TextEncoder().encode(text).buffer as ArrayBuffer,
    clone: () => toFetcherResponse(url, status, headers, text),
  };
  return response;
}

/**
 * Headers that never change a subgraph's answer: left out of the deduplication key. Every other
 * header (the signed credential naming the caller above all) is part of it, so two callers only
 * ever share an answer when the subgraph could not tell their requests apart.
 */
const NOT_IN_KEY = new Set(['x-request-id', 'traceparent', 'tracestate', 'baggage']);

function dedupKey(url: string, headers: Record<string, string>, body: string): string {
  // In the order the headers were set: the data source sets them in a fixed order, and two
  // requests whose headers merely came in another order are only not shared (never wrongly shared).
  let key = url;
  for (const name in headers) {
    if (!NOT_IN_KEY.has(name.toLowerCase())) key += `\n${name.toLowerCase()}:${headers[name]}`;
  }
  return `${key}\n\n${body}`;
}

interface Buffered {
  status: number;
  headers: Headers;
  text: string;
}

/** Largest subgraph answer read when none is configured (`SUBGRAPH_MAX_RESPONSE_BYTES`). */
export const DEFAULT_SUBGRAPH_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

/**
 * The keep-alive pool every subgraph request goes through. undici stops reading an answer (and
 * drops its connection) once it passes `maxResponseBytes`, so one subgraph's runaway answer
 * costs that fetch, not the gateway's heap.
 */
export function createSubgraphPool(maxResponseBytes = DEFAULT_SUBGRAPH_MAX_RESPONSE_BYTES): Agent {
  return new Agent({ connections: 64, keepAliveTimeout: 30_000, maxResponseSize: maxResponseBytes });
}

/**
 * The subgraph HTTP client: undici's `request()` over a keep-alive pool instead of the gateway's
 * default make-fetch-happen stack, under the subgraph's resilience policy (deadline, breaker,
 * retry of queries only). The default fetcher has no deadline at all.
 */
export function createSubgraphFetcher(
  policy: DependencyPolicy,
  dispatcher: Dispatcher,
  options: {
    dedupe?: boolean;
    /** Answers announcing more (`Content-Length`) are refused unread; the pool's own cap stops the rest. @default 4 MiB */
    maxResponseBytes?: number;
    /** Where a retry goes: a connection of its own (tests pass their mock). @default `freshConnection` */
    freshConnection?: (origin: string, maxResponseBytes?: number) => Dispatcher;
  } = {},
): Fetcher {
  const maxBytes = options.maxResponseBytes ?? DEFAULT_SUBGRAPH_MAX_RESPONSE_BYTES;
  // Identical queries in flight at once share one subgraph request (each caller still gets its own
  // response object and parses its own copy: the executor merges into what it parsed).
  const inFlight = options.dedupe === false ? undefined : new Map<string, Promise<Buffered>>();
  return async (url, init = {}) => {
    const headers = { ...init.headers };
    const chaos = decodeChaos(headers[CHAOS_DIRECTIVE_HEADER]);
    delete headers[CHAOS_DIRECTIVE_HEADER];
    const body = typeof init.body === 'string' ? init.body : init.body?.toString('utf8');
    // Queries may be retried and shared; anything that might be a mutation is sent once, alone.
    const idempotent = body !== undefined && !/"query"\s*:\s*"\s*mutation\b/.test(body);
    const fresh = (origin: string) => (options.freshConnection ?? freshConnection)(origin, maxBytes);
    const send = () =>
      sendOnce(policy, [dispatcher, fresh], url, { method: init.method, headers, body, maxBytes }, idempotent, chaos);
    if (!inFlight || !idempotent || body === undefined || chaos) {
      const buffered = await send();
      return toFetcherResponse(url, buffered.status, buffered.headers, buffered.text);
    }
    const key = dedupKey(url, headers, body);
    let shared = inFlight.get(key);
    if (!shared) {
      shared = send().finally(() => inFlight.delete(key));
      inFlight.set(key, shared);
    }
    const buffered = await shared;
    return toFetcherResponse(url, buffered.status, buffered.headers, buffered.text);
  };
}

async function sendOnce(
  policy: DependencyPolicy,
  [dispatcher, freshConnection]: [Dispatcher, (origin: string) => Dispatcher],
  url: string,
  request: { method: string | undefined; headers: Record<string, string>; body: string | undefined; maxBytes: number },
  idempotent: boolean,
  chaos: ChaosDirective | undefined,
): Promise<Buffered> {
  return policy.execute(
    async (signal, { fresh }) => {
      const target = new URL(url);
      const { method, headers, body, maxBytes } = request;
      const response = await (fresh ? freshConnection(target.origin) : dispatcher).request({
        origin: target.origin,
        path: target.pathname + target.search,
        method: (method ?? 'POST') as Dispatcher.HttpMethod,
        headers,
        body,
        signal,
        reset: fresh,
      });
      const text = await readCappedText(response, policy.name, maxBytes);
      if (response.statusCode >= 500) {
        throw new UpstreamError(policy.name, 'UPSTREAM_ERROR', `answered ${response.statusCode}`, response.statusCode);
      }
      const responseHeaders = new Headers();
      for (const [name, value] of Object.entries(response.headers)) {
        // Appended one by one: Set-Cookie values stay apart (`getSetCookie()`), others read comma-joined.
        for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value]) {
          responseHeaders.append(name, item);
        }
      }
      return { status: response.statusCode, headers: responseHeaders, text };
    },
    { idempotent, chaos },
  );
}
