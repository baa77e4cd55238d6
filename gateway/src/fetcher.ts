import type { Fetcher } from '@apollo/utils.fetcher';
import {
  type ChaosDirective,
  type DependencyPolicy,
  freshConnection,
  inUnrecordedTrace,
  readCappedText,
  traceHeaders,
  UpstreamError,
  undici,
} from '@edgeway/platform';
import type { Agent, Dispatcher } from 'undici';
import { type Buffered, BufferedResponse, SubgraphAnswerHeaders } from './answer.js';

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

/** Largest subgraph answer read when none is configured (`SUBGRAPH_MAX_RESPONSE_BYTES`). */
export const DEFAULT_SUBGRAPH_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

/**
 * The keep-alive pool every subgraph request goes through. undici stops reading an answer (and
 * drops its connection) once it passes `maxResponseBytes`, so one subgraph's runaway answer
 * costs that fetch, not the gateway's heap.
 */
export function createSubgraphPool(maxResponseBytes = DEFAULT_SUBGRAPH_MAX_RESPONSE_BYTES): Agent {
  return new undici.Agent({ connections: 64, keepAliveTimeout: 30_000, maxResponseSize: maxResponseBytes });
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
  let parsed: Target | undefined;
  return async (url, init = {}) => {
    // A data source fetches one URL: parsed once, not per request (a URL that does not parse fails
    // inside the policy, as the dependency failing).
    if (parsed?.url !== url) parsed = URL.canParse(url) ? targetOf(url) : undefined;
    const target = parsed ?? url;
    let headers = init.headers ?? {};
    const chaos = decodeChaos(headers[CHAOS_DIRECTIVE_HEADER]);
    // Copied only to leave the internal header out (the caller's object is never changed).
    if (CHAOS_DIRECTIVE_HEADER in headers) {
      headers = Object.fromEntries(Object.entries(headers).filter(([name]) => name !== CHAOS_DIRECTIVE_HEADER));
    }
    const body = typeof init.body === 'string' ? init.body : init.body?.toString('utf8');
    // Queries may be retried and shared; anything that might be a mutation is sent once, alone.
    const idempotent = body !== undefined && !mayMutate(body);
    const fresh = (origin: string) => (options.freshConnection ?? freshConnection)(origin, maxBytes);
    const send = () =>
      sendOnce(
        policy,
        [dispatcher, fresh],
        target,
        { method: init.method, headers, body, maxBytes },
        idempotent,
        chaos,
      );
    if (!inFlight || !idempotent || body === undefined || chaos) {
      return new BufferedResponse(url, await send());
    }
    const key = dedupKey(url, headers, body);
    let shared = inFlight.get(key);
    if (!shared) {
      shared = send().finally(() => inFlight.delete(key));
      inFlight.set(key, shared);
    }
    return new BufferedResponse(url, await shared);
  };
}

interface Target {
  url: string;
  origin: string;
  path: string;
}

function targetOf(url: string): Target {
  const parsed = new URL(url);
  return { url, origin: parsed.origin, path: parsed.pathname + parsed.search };
}

// The data source's bodies start with the operation (`{"query":"...`): then its first word alone
// decides. Any other body counts as a mutation when a "query" member anywhere starts with one.
const OPERATION_START = '{"query":"';
const MUTATION_HERE = /\s*mutation\b/y;

function mayMutate(body: string): boolean {
  if (!body.startsWith(OPERATION_START)) return /"query"\s*:\s*"\s*mutation\b/.test(body);
  MUTATION_HERE.lastIndex = OPERATION_START.length;
  return MUTATION_HERE.test(body);
}

async function sendOnce(
  policy: DependencyPolicy,
  [dispatcher, freshConnection]: [Dispatcher, (origin: string) => Dispatcher],
  target: Target | string,
  request: { method: string | undefined; headers: Record<string, string>; body: string | undefined; maxBytes: number },
  idempotent: boolean,
  chaos: ChaosDirective | undefined,
): Promise<Buffered> {
  return policy.execute(
    async (deadline, { fresh }) => {
      const { origin, path } = typeof target === 'string' ? targetOf(target) : target;
      const { method, headers, body, maxBytes } = request;
      const response = await (fresh ? freshConnection(origin) : dispatcher).request({
        origin,
        path,
        method: (method ?? 'POST') as Dispatcher.HttpMethod,
        // Undici's instrumentation makes no client span in a trace that records nothing: the trace id is sent here.
        headers: inUnrecordedTrace() ? { ...headers, ...traceHeaders() } : headers,
        body,
        signal: deadline,
        reset: fresh,
      });
      const text = await readCappedText(response, policy.name, maxBytes);
      if (response.statusCode >= 500) {
        throw new UpstreamError(policy.name, 'UPSTREAM_ERROR', `answered ${response.statusCode}`, response.statusCode);
      }
      return { status: response.statusCode, headers: new SubgraphAnswerHeaders(response.headers), text };
    },
    { idempotent, chaos },
  );
}
