/** Why a dependency did not answer (docs/contract.md §5). */
export type DegradeReason = 'CIRCUIT_OPEN' | 'TIMEOUT' | 'UPSTREAM_ERROR';

/** A dependency failed: refused, 5xx, timed out, or its circuit is open. Never shown raw to clients. */
export class UpstreamError extends Error {
  /**
   * The last good answer for the same call, when one was kept: a fallback site then serves it
   * (`STALE`) instead of its declared fallback.
   */
  stale?: unknown;

  constructor(
    readonly dependency: string,
    readonly reason: DegradeReason,
    detail: string,
    readonly status?: number,
  ) {
    super(`${dependency}: ${detail}`);
    this.name = 'UpstreamError';
  }
}

export function isUpstreamError(error: unknown): error is UpstreamError {
  return error instanceof UpstreamError;
}

/**
 * The same failure, carrying `value` as what may stand in for the field that failed: a screen
 * that rebuilt the field from a dependency's last good answer hands the result to the field's
 * fallback, which then serves it as STALE.
 */
export function withStale(error: UpstreamError, value: unknown): UpstreamError {
  const copy = new UpstreamError(
    error.dependency,
    error.reason,
    error.message.slice(error.dependency.length + 2),
    error.status,
  );
  copy.stale = value;
  return copy;
}
