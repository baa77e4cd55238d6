import type { GraphQLFormattedError } from 'graphql';
import { isTokenLimitMessage } from '../graphql/plugins/limits.js';
import { UpstreamError } from '../resilience/errors.js';
import { isErrorCode } from './catalog.js';

// Apollo Server's own codes that map one to one onto the catalog.
const APOLLO_CODES: Record<string, string> = {
  GRAPHQL_PARSE_FAILED: 'GRAPHQL_PARSE_FAILED',
  GRAPHQL_VALIDATION_FAILED: 'GRAPHQL_VALIDATION_FAILED',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  BAD_REQUEST: 'BAD_USER_INPUT',
  PERSISTED_QUERY_NOT_FOUND: 'PERSISTED_QUERY_NOT_FOUND',
  PERSISTED_QUERY_NOT_SUPPORTED: 'PERSISTED_QUERY_NOT_ALLOWED',
  OPERATION_RESOLUTION_FAILURE: 'BAD_USER_INPUT',
};

const URL_PATTERN = /\b(?:https?|redis|tcp):\/\/[^\s"'`]+/gi;
const HOST_PORT_PATTERN = /\b(?:\d{1,3}(?:\.\d{1,3}){3}|localhost|\[[0-9a-f:]+\]):\d{2,5}\b/gi;

/** Removes URLs and host:port pairs, so no message names an internal address. */
export function scrubInternals(message: string): string {
  return message.replace(URL_PATTERN, '<upstream>').replace(HOST_PORT_PATTERN, '<upstream>');
}

/**
 * The extensions a production error may carry besides its code: which dependency it came from
 * (its public name, the one `degraded` entries use), why it failed, and when to retry. Anything
 * else an upstream put there (a response body, an exception, its own fields) stays inside.
 */
const PUBLIC_EXTENSIONS = new Set(['dependency', 'reason', 'retryAfter']);

/** What an upstream may have put in an error that never leaves the service, in any mode. */
const INTERNAL_EXTENSIONS = new Set(['exception', 'http', 'response', 'stacktrace']);

function publicExtensions(extensions: Record<string, unknown>, production: boolean): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(extensions)) {
    if (production ? PUBLIC_EXTENSIONS.has(key) : !INTERNAL_EXTENSIONS.has(key)) kept[key] = value;
  }
  // Apollo Gateway names the subgraph as `serviceName`; a BFF reads it to say which dependency a
  // null came from, so production keeps it under the one public name: `dependency`.
  const service = extensions.serviceName;
  if (
    production &&
    kept.dependency === undefined &&
    typeof service === 'string' &&
    /^[a-z][a-z0-9-]{0,40}$/.test(service)
  ) {
    kept.dependency = service;
  }
  return kept;
}

export interface MaskOptions {
  /** Production hides the message of errors that are not from the catalog. */
  production: boolean;
}

/**
 * Apollo Server `formatError`: every error leaves with a catalog code, no stack trace in
 * production, and no internal host or URL in any environment.
 */
/** The UpstreamError behind a GraphQL error, however deeply the executor wrapped it. */
function upstreamCause(error: unknown): UpstreamError | undefined {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    if (current instanceof UpstreamError) return current;
    current =
      (current as { originalError?: unknown; cause?: unknown }).originalError ?? (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * Apollo wraps a validation rule's error in its own (code GRAPHQL_VALIDATION_FAILED); a catalog
 * code the rule gave the original (the operation limits) is the one the client must see.
 */
function carriedCode(error: unknown): string | undefined {
  const code = (error as { originalError?: { extensions?: { code?: unknown } } } | undefined)?.originalError?.extensions
    ?.code;
  return isErrorCode(code) ? code : undefined;
}

/** Apollo refuses some requests (a hash that does not match its query, ...) with a 4xx and no code. */
function isClientRefusal(error: unknown): boolean {
  const extensions = (error as { extensions?: { code?: unknown; http?: { status?: unknown } } } | undefined)
    ?.extensions;
  const status = extensions?.http?.status;
  return extensions?.code === undefined && typeof status === 'number' && status >= 400 && status < 500;
}

export function maskError(
  formatted: GraphQLFormattedError,
  options: MaskOptions,
  error?: unknown,
): GraphQLFormattedError {
  const upstream = upstreamCause(error);
  if (upstream) {
    return {
      message: `${upstream.dependency} is unavailable`,
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: 'DEPENDENCY_UNAVAILABLE', dependency: upstream.dependency, reason: upstream.reason },
    };
  }
  const rawCode = formatted.extensions?.code;
  let mapped = carriedCode(error) ?? (typeof rawCode === 'string' ? (APOLLO_CODES[rawCode] ?? rawCode) : undefined);
  if (mapped === 'GRAPHQL_PARSE_FAILED' && isTokenLimitMessage(formatted.message)) mapped = 'OPERATION_LIMIT_EXCEEDED';
  if (mapped === 'INTERNAL_SERVER_ERROR' && isClientRefusal(error)) mapped = 'BAD_USER_INPUT';
  const known = isErrorCode(mapped);
  const { stacktrace } = formatted.extensions ?? {};
  const extensions: Record<string, unknown> = {
    ...publicExtensions(formatted.extensions ?? {}, options.production),
    code: known ? mapped : 'INTERNAL_SERVER_ERROR',
  };
  if (!options.production && stacktrace) extensions.stacktrace = stacktrace;
  const message = known || !options.production ? scrubInternals(formatted.message) : 'Internal server error';
  return { ...formatted, message, extensions };
}
