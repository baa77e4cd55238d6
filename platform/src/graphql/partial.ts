import type { GraphQLFormattedError } from 'graphql';
import { type DegradeReason, UpstreamError } from '../resilience/errors.js';

function startsWith(path: ReadonlyArray<string | number>, prefix: ReadonlyArray<string | number>): boolean {
  return prefix.length <= path.length && prefix.every((key, i) => path[i] === key);
}

const REASONS: readonly DegradeReason[] = ['CIRCUIT_OPEN', 'TIMEOUT', 'UPSTREAM_ERROR'];

function dependencyOf(error: GraphQLFormattedError): string | undefined {
  const named = error.extensions?.dependency ?? error.extensions?.serviceName;
  return typeof named === 'string' && named.length > 0 ? named : undefined;
}

/**
 * The error that explains a missing value at `path` of a partial GraphQL result, as an
 * UpstreamError naming the dependency (`extensions.dependency` as Edgeway's gateway reports it,
 * or Apollo Gateway's `extensions.serviceName`, else `fallbackDependency`) and its `reason`.
 * An error whose path is an ancestor or descendant of `path` counts: the gateway places each
 * failed subgraph fetch's errors on the fields it cost, so a null elsewhere is data, not that
 * outage. Failing that, an error without a path (one that could not be placed) counts, so a
 * failure is never passed off as data.
 */
export function errorAt(
  errors: readonly GraphQLFormattedError[],
  path: ReadonlyArray<string | number>,
  fallbackDependency: string,
): UpstreamError | undefined {
  const placed = errors.find((e) => e.path && (startsWith(path, e.path) || startsWith(e.path, path)));
  const error = placed ?? errors.find((e) => !e.path);
  if (!error) return undefined;
  const reason = error.extensions?.reason;
  return new UpstreamError(
    dependencyOf(error) ?? fallbackDependency,
    REASONS.includes(reason as DegradeReason) ? (reason as DegradeReason) : 'UPSTREAM_ERROR',
    error.message,
  );
}

/** Where an object sits in a GraphQL result, so a null field can be traced to the error behind it. */
export interface ResultOrigin {
  errors: readonly GraphQLFormattedError[];
  path: ReadonlyArray<string | number>;
  /** Named when an error does not say which service failed. */
  dependency: string;
}

/**
 * `object[field]`; when that is null because of an error in the result, throws the failure
 * instead (see `errorAt`).
 */
export function fieldOf<T, K extends keyof T & string>(object: T, field: K, origin: ResultOrigin): T[K] {
  const value = object[field];
  if (value === null) {
    const failure = errorAt(origin.errors, [...origin.path, field], origin.dependency);
    if (failure) throw failure;
  }
  return value;
}
