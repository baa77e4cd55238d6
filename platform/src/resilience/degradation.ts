import { AppError } from '../errors/catalog.js';
import { degradedTotal } from '../metrics/index.js';
import { spanEvent } from '../telemetry/trace.js';
import { type DegradeReason, isUpstreamError } from './errors.js';

/** What a client gets instead of a failed dependency's data (docs/contract.md §5). */
export type Fallback = 'EMPTY' | 'LIST_PRICE' | 'NULL' | 'STALE';

/** One entry of a response's `extensions.degraded` manifest. */
export interface Degradation {
  path: ReadonlyArray<string | number>;
  dependency: string;
  reason: DegradeReason;
  fallback: Fallback;
}

/** Per-request list of what the response left out; lives in the request's context. */
export interface DegradationCollector {
  record(entry: Degradation): void;
  entries(): readonly Degradation[];
}

export function createDegradationCollector(): DegradationCollector {
  const entries: Degradation[] = [];
  const seen = new Set<string>();
  return {
    record(entry) {
      // A field resolved twice (aliases, retries) is still one thing left out.
      const key = JSON.stringify([entry.path, entry.dependency, entry.fallback]);
      if (seen.has(key)) return;
      seen.add(key);
      entries.push(entry);
      degradedTotal.labels(entry.dependency, entry.reason, entry.fallback).inc();
      spanEvent('degraded', {
        'degraded.path': entry.path.join('.'),
        dependency: entry.dependency,
        reason: entry.reason,
        fallback: entry.fallback,
      });
    },
    entries: () => entries,
  };
}

export interface FallbackSite {
  /** The response path of the field, e.g. `responsePathAsArray(info.path)`. */
  path: ReadonlyArray<string | number>;
  fallback: Fallback;
}

/**
 * Runs `run`; when a dependency fails (UpstreamError) records it and answers `value` instead.
 * Any other error is a bug and propagates (to be masked).
 */
export async function withFallback<T>(
  collector: DegradationCollector,
  site: FallbackSite,
  value: T,
  run: () => T | Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (!isUpstreamError(error)) throw error;
    const stale = error.stale !== undefined;
    collector.record({
      path: site.path,
      dependency: error.dependency,
      reason: error.reason,
      fallback: stale ? 'STALE' : site.fallback,
    });
    return stale ? (error.stale as T) : value;
  }
}

/**
 * Like `withFallback` with a NULL fallback, but for fields a client cannot do without: the
 * field also gets a DEPENDENCY_UNAVAILABLE error at its path, so the null is not mistaken for
 * "none".
 */
export async function orUnavailable<T>(
  collector: DegradationCollector,
  path: ReadonlyArray<string | number>,
  run: () => T | Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (!isUpstreamError(error)) throw error;
    collector.record({ path, dependency: error.dependency, reason: error.reason, fallback: 'NULL' });
    throw new AppError('DEPENDENCY_UNAVAILABLE', `${error.dependency} is unavailable`, { path });
  }
}
