import { createHash } from 'node:crypto';
import type { ApolloServerPlugin, BaseContext, HTTPGraphQLRequest } from '@apollo/server';
import type { FastifyRequest } from 'fastify';
import { printSchema } from 'graphql';
import { type Cache, createCache } from '../cache/index.js';
import { currentTraceId } from '../telemetry/trace.js';

/**
 * The whole-response cache. An answer is stored only when its cache policy allows it: the policy
 * comes from the subgraphs (each subgraph's `Cache-Control` answer header, from its
 * `@cacheControl` hints), so its max-age is the smallest across the plan and its scope is
 * PRIVATE as soon as one part is. PUBLIC answers are shared (signed-in callers apart from
 * anonymous ones, whose answers may differ), PRIVATE ones are kept per caller and never for an
 * anonymous caller. Answers with errors, mutations, and answers that carry more than their trace
 * id in `extensions` (a degraded answer) are never stored.
 *
 * It answers in front of Apollo Server, from bytes: a hit costs a key, a lookup and a write,
 * where Apollo's response-cache plugin parsed the stored JSON and serialized the answer again on
 * every hit (two thirds of the CPU of a cached 87 KB answer, measured in docs/performance.md).
 * Authentication and rate limits still run first (they are the HTTP edge's hooks); operation
 * limits do not need to, because only a document that passed them was ever stored under its
 * exact text.
 */
export interface ResponseCacheOptions {
  /** Redis when set (replicas share cached answers), else this process's memory. */
  redisUrl?: string | undefined;
  /** Whose answer this is, for PRIVATE data: the caller's id, or null for an anonymous caller. */
  sessionId: (req: FastifyRequest) => string | null;
  /** Requests that must get an answer of their own (e.g. those injecting faults). */
  bypass?: (req: FastifyRequest) => boolean;
  /**
   * What else of the request the answer depends on, made part of its key: the client headers
   * passed on to upstreams (each can change what an upstream answers). @default nothing
   */
  vary?: (req: FastifyRequest) => string;
}

/** What is kept of a cacheable answer. */
interface Entry {
  /** The answer's `data`, as JSON bytes (the answer around it is rebuilt per request). */
  data: Buffer;
  contentType: string;
  maxAge: number;
  scope: 'PUBLIC' | 'PRIVATE';
  /** When it was stored (ms since the epoch), for the `Age` header. */
  storedAt: number;
  operationName?: string | undefined;
}

/** How a request's answer may be kept, decided by the plugin once Apollo has executed it. */
interface Storable {
  data: string;
  maxAge: number;
  scope: 'PUBLIC' | 'PRIVATE';
}

/** A request the cache can key: POSTed JSON with the query text. */
interface Keyed {
  key: string;
  sessionId: string | null;
}

export interface CachedAnswer {
  headers: Record<string, string>;
  body: Buffer;
  operationName?: string | undefined;
}

export interface ResponseCache {
  /** Decides, per executed operation, whether its answer may be stored. */
  plugin<C extends BaseContext>(): ApolloServerPlugin<C>;
  /** The cached answer for this request, if there is a fresh one. */
  lookup(req: FastifyRequest): Promise<CachedAnswer | undefined>;
  /** Stores the answer Apollo just gave, when the plugin found it storable. */
  store(
    req: FastifyRequest,
    http: HTTPGraphQLRequest,
    answer: { status: number; contentType: string | undefined },
  ): Promise<void>;
  close(): Promise<void>;
}

/** Largest key material (query, variables, extensions as JSON): bigger requests are not cached. */
const MAX_KEY_BYTES = 64 * 1024;

/**
 * The request's key, or undefined when it cannot be cached: not a POST of JSON with the query
 * text (a GET is left to HTTP caches, which see our Cache-Control), or variables that cannot be
 * serialized (a hostile client's `[[[[...]]]]` deeper than the serializer's stack) or are huge.
 * The `accept` header is part of the key: it decides the answer's content type.
 */
function keyOf(req: FastifyRequest, vary: string): string | undefined {
  if (req.method !== 'POST' || typeof req.body !== 'object' || req.body === null) return undefined;
  const { query, operationName, variables, extensions } = req.body as Record<string, unknown>;
  if (typeof query !== 'string') return undefined;
  let material: string;
  try {
    material = JSON.stringify([
      query,
      operationName ?? null,
      variables ?? null,
      extensions ?? null,
      req.headers.accept,
      vary,
    ]);
  } catch {
    return undefined;
  }
  if (material.length > MAX_KEY_BYTES) return undefined;
  return createHash('sha256').update(material).digest('base64url');
}

/** Only the trace id may be in `extensions`: it is the one part of an answer rebuilt per request. */
function onlyTraceId(extensions: Record<string, unknown> | undefined): boolean {
  return extensions === undefined || Object.keys(extensions).every((name) => name === 'traceId');
}

const DATA_OPEN = Buffer.from('{"data":');
const CLOSE = Buffer.from('}\n');

/** The answer as Apollo writes it: `{"data":...,"extensions":{"traceId":...}}` and a newline. */
function answerBody(data: Buffer, traceId: string | undefined): Buffer {
  const close = traceId ? Buffer.from(`,"extensions":${JSON.stringify({ traceId })}}\n`) : CLOSE;
  return Buffer.concat([DATA_OPEN, data, close], DATA_OPEN.length + data.length + close.length);
}

export function createResponseCache(options: ResponseCacheOptions): ResponseCache {
  const cache: Cache = createCache({
    namespace: 'response',
    redisUrl: options.redisUrl,
    byReference: true,
    sizeOf: (entry) => (entry as Partial<Entry> | undefined)?.data?.length ?? 64,
  });
  // Apollo hands plugins the HTTP request object the route built: the way back to the route.
  const storable = new WeakMap<HTTPGraphQLRequest, Storable>();
  // Part of every key: an answer is never served from a schema other than the one that made it
  // (after a supergraph reload, or by a replica on another version of it, through Redis).
  let schemaId = '';
  const keyed = new WeakMap<FastifyRequest, Keyed>();

  function keysOf(req: FastifyRequest): Keyed | undefined {
    let known = keyed.get(req);
    if (!known) {
      if (options.bypass?.(req)) return undefined;
      const key = keyOf(req, options.vary?.(req) ?? '');
      if (key === undefined) return undefined;
      known = { key: `${schemaId}:${key}`, sessionId: options.sessionId(req) };
      keyed.set(req, known);
    }
    return known;
  }

  return {
    plugin<C extends BaseContext>(): ApolloServerPlugin<C> {
      return {
        async serverWillStart() {
          return {
            schemaDidLoadOrUpdate({ apiSchema, coreSupergraphSdl }) {
              const source = coreSupergraphSdl ?? printSchema(apiSchema);
              schemaId = createHash('sha256').update(source).digest('base64url').slice(0, 16);
            },
          };
        },
        async requestDidStart({ request }) {
          const http = request.http;
          if (!http) return;
          return {
            async willSendResponse({ response, operation, overallCachePolicy }) {
              if (response.body.kind !== 'single' || operation?.operation !== 'query') return;
              const { data, errors, extensions } = response.body.singleResult;
              if (errors || !data || !onlyTraceId(extensions)) return;
              if ((response.http.status ?? 200) !== 200) return;
              const policy = overallCachePolicy.policyIfCacheable();
              if (!policy) return;
              storable.set(http, { data: JSON.stringify(data), maxAge: policy.maxAge, scope: policy.scope });
            },
          };
        },
      };
    },

    async lookup(req) {
      const keys = keysOf(req);
      if (!keys) return undefined;
      // A signed-in caller's own answer first, then the answer shared by signed-in callers.
      const entry = await cache.getFirst<Entry>(
        keys.sessionId === null
          ? [`${keys.key}:anonymous`]
          : [`${keys.key}:private:${keys.sessionId}`, `${keys.key}:signed-in`],
      );
      if (!entry) return undefined;
      const age = Math.max(0, Math.floor((Date.now() - entry.storedAt) / 1000));
      return {
        headers: {
          'content-type': entry.contentType,
          // The max-age the answer was given, with its age: what HTTP caches expect.
          'cache-control': `max-age=${entry.maxAge}, ${entry.scope.toLowerCase()}`,
          age: String(age),
        },
        body: answerBody(entry.data, currentTraceId()),
        operationName: entry.operationName,
      };
    },

    async store(req, http, answer) {
      const decided = storable.get(http);
      storable.delete(http);
      const keys = keyed.get(req);
      if (!decided || !keys || answer.status !== 200 || !answer.contentType) return;
      let key: string;
      if (decided.scope === 'PRIVATE') {
        if (keys.sessionId === null) return;
        key = `${keys.key}:private:${keys.sessionId}`;
      } else {
        key = `${keys.key}:${keys.sessionId === null ? 'anonymous' : 'signed-in'}`;
      }
      const entry: Entry = {
        data: Buffer.from(decided.data),
        contentType: answer.contentType,
        maxAge: decided.maxAge,
        scope: decided.scope,
        storedAt: Date.now(),
        operationName: req.operationName,
      };
      await cache.set(key, entry, decided.maxAge * 1000);
    },

    close: () => cache.disconnect(),
  };
}
